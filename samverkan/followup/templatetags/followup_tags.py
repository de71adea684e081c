"""Template filters for the follow-up figures."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from samverkan.followup.charts import bar_chart_svg
from samverkan.followup.stats import Cell
from samverkan.followup.tables import Table

register = template.Library()


@register.filter
def cell_text(cell: Cell, limit: int) -> str:
    return cell.text(limit)


@register.simple_tag
def bar_chart(table: Table) -> SafeString:
    return bar_chart_svg(table, described=False)
