"""The few calendar functions the opening-hours rule needs.

TODO(core-audit): replace with `from samverkan.core.calendar import ...` once
that branch is merged; this copy (holidays library + Midsummer, Christmas and
New Year's Eve) only bridges the time until then.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@lru_cache(maxsize=64)
def _holidays_in(year: int) -> frozenset[date]:
    found = holidays.country_holidays("SE", years=year, language="sv")
    days = {day for day, name in found.items() if name != "Söndag"}
    for day, name in found.items():
        if "Midsommardagen" in name:
            days.add(day - timedelta(days=1))
    days.add(date(year, 12, 24))
    days.add(date(year, 12, 31))
    return frozenset(days)


def local_datetime(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("a naive datetime has no place in Samverkan: pass an aware one")
    return instant.astimezone(STOCKHOLM)


def is_public_holiday(day: date) -> bool:
    return day in _holidays_in(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day)
