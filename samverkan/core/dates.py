"""Dates as Swedish readers write them (issue 18.9): "5 dec. 2026", "14 maj".

Django's `M` is the month's first three letters, capitalised ("Dec") in every
language. Swedish abbreviates months its own way: with a full stop where letters
are left out, and short months not at all (Språkrådet: jan., feb., mars, apr.,
maj, juni, juli, aug., sep., okt., nov., dec.). `swedish_format` puts those into
a Django date format; the project's `date` template filter
(core/templatetags/swedish_dates.py) and `format_date` use it whenever Swedish
is the active language, so every `|date:"j M Y"` reads "5 dec. 2026".
"""

from __future__ import annotations

from datetime import date

from django.utils import formats, translation

SWEDISH_MONTH_ABBREVIATIONS = {
    1: "jan.",
    2: "feb.",
    3: "mars",
    4: "apr.",
    5: "maj",
    6: "juni",
    7: "juli",
    8: "aug.",
    9: "sep.",
    10: "okt.",
    11: "nov.",
    12: "dec.",
}


def swedish_format(format_string: str, month: int) -> str:
    """`format_string` with each `M` (not escaped) as the Swedish abbreviation of `month`."""
    escaped = "".join("\\" + char for char in SWEDISH_MONTH_ABBREVIATIONS[month])
    out = []
    chars = iter(format_string)
    for char in chars:
        if char == "\\":
            out.append(char + next(chars, ""))
        elif char == "M":
            out.append(escaped)
        else:
            out.append(char)
    return "".join(out)


def in_swedish() -> bool:
    return (translation.get_language() or "").startswith("sv")


def localised_format(value: date, format_string: str) -> str:
    """The format to use for `value` in the active language (Swedish month abbreviations)."""
    if in_swedish() and "M" in format_string:
        return swedish_format(format_string, value.month)
    return format_string


def format_date(value: date, format_string: str) -> str:
    """`value` (a date, or an aware datetime already in local time) in the active language."""
    return formats.date_format(value, localised_format(value, format_string))
