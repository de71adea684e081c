"""Swedish presentation of SEK amounts: 12 500,50 (non-breaking space, decimal comma)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from samverkan.defectors.rules import to_sek

register = template.Library()
NBSP = "\u00a0"


def format_sek(value: Decimal | int | str | None) -> str:
    if value is None or value == "":
        return ""
    amount = to_sek(Decimal(str(value)))
    sign = "−" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + NBSP.join(groups) + "," + fraction


@register.filter
def sek(value: Decimal | int | str | None) -> str:
    return format_sek(value)
