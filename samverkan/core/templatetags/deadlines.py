"""`{% load deadlines %}`: why a legal deadline is not where the worker counted it.

- `received_at|preliminary_moved_from` – the day receipt + 14 days fell on when
  lag (1930:173) 2 § moved the preliminary assessment's deadline from it, else None.

`includes/deadline_day.html` shows a deadline with that note.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template

from samverkan.core.deadlines import preliminary_assessment_moved_from

register = template.Library()


@register.filter
def preliminary_moved_from(received_at: datetime | None) -> date | None:
    return preliminary_assessment_moved_from(received_at) if received_at else None
