"""The project's `date` filter: Django's, with Swedish month abbreviations (core/dates.py).

Installed as a template builtin (settings.TEMPLATES), so it replaces Django's
`date` in every template without a `{% load %}`: `|date:"j M Y"` reads
"5 dec. 2026" in Swedish and "5 Dec 2026" in English, and every other format
character means what Django's documentation says.
"""

from __future__ import annotations

from datetime import date as date_type
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date

from samverkan.core.dates import localised_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    if arg and isinstance(value, date_type):
        arg = localised_format(value, arg)
    return django_date(value, arg)
