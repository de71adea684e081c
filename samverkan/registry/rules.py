"""Opening hours: is a unit open at an instant? Pure: no database, no clock.

Times are wall-clock times in Europe/Stockholm, so 08:00 is 08:00 on both
sides of a daylight-saving change. An interval is half-open (open from
`opens`, closed from `closes`); `closes` 00:00 means midnight at the end of
the day. `working_days_only` intervals are closed on public holidays and on
Midsummer, Christmas and New Year's Eve. Weekday 7 (`PUBLIC_HOLIDAY`) applies
on such a holiday when it falls Monday–Friday, so an out-of-hours service can
be open exactly when an intake unit is closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from samverkan.core.calendar import is_public_holiday, is_working_day, local_datetime

PUBLIC_HOLIDAY = 7
MIDNIGHT = time(0, 0)


@dataclass(frozen=True)
class OpeningInterval:
    weekday: int  # 0 = Monday … 6 = Sunday; 7 = a holiday or eve falling on a weekday
    opens: time
    closes: time  # 00:00 = midnight at the end of the day
    working_days_only: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= PUBLIC_HOLIDAY:
            raise ValueError(f"weekday must be 0–7, not {self.weekday}")
        if self.closes != MIDNIGHT and self.closes <= self.opens:
            raise ValueError("an interval must close after it opens (00:00 = end of day)")

    def contains(self, clock: time) -> bool:
        return self.opens <= clock and (self.closes == MIDNIGHT or clock < self.closes)


def is_open(
    intervals: Sequence[OpeningInterval], instant: datetime, *, open_24_7: bool = False
) -> bool:
    """Whether a unit with these intervals is open at `instant` (an aware datetime)."""
    if open_24_7:
        return True
    local = local_datetime(instant)
    day = local.date()
    clock = local.time().replace(tzinfo=None)
    weekday = day.weekday()
    holiday_on_weekday = weekday < 5 and is_public_holiday(day)
    working_day: bool | None = None
    for interval in intervals:
        if interval.weekday == PUBLIC_HOLIDAY:
            if holiday_on_weekday and interval.contains(clock):
                return True
            continue
        if interval.weekday != weekday or not interval.contains(clock):
            continue
        if interval.working_days_only:
            if working_day is None:
                working_day = is_working_day(day)
            if not working_day:
                continue
        return True
    return False


def office_hours_intervals(
    *, weekdays: Iterable[int] = range(5), opens: time, closes: time
) -> list[OpeningInterval]:
    """The same interval on each of `weekdays`, on working days only (an intake unit)."""
    return [OpeningInterval(day, opens, closes, True) for day in weekdays]


def complement_intervals(
    *, weekdays: Iterable[int] = range(5), opens: time, closes: time
) -> list[OpeningInterval]:
    """Open exactly when `office_hours_intervals(...)` is closed (an out-of-hours service)."""
    days = list(weekdays)
    intervals = []
    for day in days:
        if opens != MIDNIGHT:
            intervals.append(OpeningInterval(day, MIDNIGHT, opens, False))
        if closes != MIDNIGHT:
            intervals.append(OpeningInterval(day, closes, MIDNIGHT, False))
    intervals += [
        OpeningInterval(day, MIDNIGHT, MIDNIGHT, False) for day in range(7) if day not in days
    ]
    if opens != closes:
        intervals.append(OpeningInterval(PUBLIC_HOLIDAY, opens, closes, False))
    return intervals
