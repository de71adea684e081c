"""`{% page_sections "place" record %}`: the sections other apps add to this page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from samverkan.core.page_sections import render_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context: template.Context, place: str, record: Any) -> SafeString:
    return render_sections(place, context["request"], record)
