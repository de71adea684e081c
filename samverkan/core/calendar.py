"""The Swedish calendar: local dates in Europe/Stockholm, holidays and working days.

Holidays come from the `holidays` library (Sweden): the public holidays
(*allmänna helgdagar*, lag (1989:253)) and its DE_FACTO category, which holds
the days treated like them — Midsummer Eve, Christmas Eve and New Year's Eve
(semesterlag (1977:480) 7 §; lag (1930:173) 2 §). The library can also list
every Sunday as a holiday (`include_sundays`); we switch that off so that
`is_public_holiday` answers the question its name asks, and weekends are
handled by `is_working_day`. The eves are added on top as well, so a library
version without the DE_FACTO category still gives the right answer.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from holidays.constants import DE_FACTO, PUBLIC

STOCKHOLM = ZoneInfo("Europe/Stockholm")

_MIDSUMMER_DAY = "Midsommardagen"


@lru_cache(maxsize=256)
def _holidays_in(year: int) -> frozenset[date]:
    """All public and de-facto holidays of a year (weekends are not listed unless holidays)."""
    found = holidays.Sweden(
        years=year, categories=(PUBLIC, DE_FACTO), include_sundays=False, language="sv"
    )
    days = set(found.keys())
    # The eves, derived from the library's Midsummer Day (always a Saturday, 20–26 June).
    for day, name in found.items():
        if name == _MIDSUMMER_DAY:
            days.add(day - timedelta(days=1))
    days.add(date(year, 12, 24))
    days.add(date(year, 12, 31))
    return frozenset(days)


def local_datetime(instant: datetime) -> datetime:
    """The instant as an aware datetime in Europe/Stockholm. Naive input is refused."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("a naive datetime has no place in Samverkan: pass an aware one")
    if instant.tzinfo is STOCKHOLM:
        return instant  # already local: the rules convert once and pass it on (issue 8)
    return instant.astimezone(STOCKHOLM)


def local_date(instant: datetime) -> date:
    """The Swedish calendar date of an instant (e.g. 23:30 UTC in summer is the next day)."""
    return local_datetime(instant).date()


def is_public_holiday(day: date) -> bool:
    """A Swedish public holiday, or Midsummer Eve, Christmas Eve or New Year's Eve.

    An ordinary Sunday is not a holiday here (it is a weekend day: see `is_working_day`).
    """
    return day in _holidays_in(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a holiday or de-facto holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day on or after `day`."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_months(day: date, n: int) -> date:
    """The same day of the month `n` months later (or earlier), clamped to the month's end.

    Lag (1930:173) 1 §: with no such day in the last month, the period ends on
    that month's last day (31 October + 4 months = 28/29 February).
    """
    index = day.year * 12 + (day.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    last = _calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def end_of_local_day(day: date) -> datetime:
    """23:59:59 Stockholm time on `day`, as an aware datetime (right offset on DST days)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=STOCKHOLM)


def api_instant(instant: datetime) -> str:
    """The one form of every instant the API gives: ISO 8601 in Swedish local time with
    its UTC offset, to the second — ``2026-12-05T22:14:03+01:00`` (issue 18)."""
    return local_datetime(instant).isoformat(timespec="seconds")
