"""Stand-in for `samverkan.core.calendar` (contract in CONTRACTS.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local_datetime(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime")
    return instant.astimezone(STOCKHOLM)


def local_date(instant: datetime) -> date:
    return local_datetime(instant).date()


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("SE", years=year, language="sv")


def is_public_holiday(day: date) -> bool:
    if day.month == 12 and day.day in (24, 31):
        return True
    if day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4:
        return True  # Midsummer Eve
    name = _holidays(day.year).get(day)
    return bool(name) and name != "Söndag"


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day)


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def end_of_local_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=STOCKHOLM)
