from typing import Any

from django import template
from django.template.defaultfilters import floatformat

from samverkan.collaboration.forums.selectors import function_label as _function_label

register = template.Library()

# An indicator's unit is typed by its coordinator, in the plural ("dagar"); a value of
# exactly one reads in the singular ("1 dag", issue 19.9).
SINGULAR_UNITS = {
    "dagar": "dag",
    "veckor": "vecka",
    "månader": "månad",
    "timmar": "timme",
    "möten": "möte",
    "personer": "person",
    "ärenden": "ärende",
    "anmälningar": "anmälan",
    "samtal": "samtal",
}


@register.filter
def function_label(code: str) -> str:
    return _function_label(code)


@register.filter
def with_unit(value: Any, unit: str) -> str:
    """An indicator's value with its unit: "3 dagar", "1 dag", "1,5 dagar", "40 %"."""
    number = floatformat(value, "-1")
    if not unit:
        return number
    if value == 1:
        unit = SINGULAR_UNITS.get(unit.lower(), unit)
    return f"{number} {unit}"
