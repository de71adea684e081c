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
from typing import Protocol

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


# --- The numbers to call, in the order of who answers now (issue 18, point 4) ----------

OFFICE_HOURS_LINE = "office_hours"
HANDOVER_LINE = "handover_24_7"
FALLBACK_LINE = "fallback"
POLICE_LINE = "police_line"

# What each line is called wherever a number is shown (PhonePurpose in the model).
LINE_LABELS = {
    OFFICE_HOURS_LINE: "Kontorstid",
    HANDOVER_LINE: "Dygnet runt",
    FALLBACK_LINE: "Reservnummer",
}


@dataclass(frozen=True)
class Line:
    """A phone line of a unit: its number, purpose (`PhonePurpose`) and order in the unit."""

    number: str
    purpose: str
    priority: int = 1


class CallableUnit(Protocol):
    """A unit whose lines may be called (`UnitLines`, or intake's `UnitInfo`)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def intervals(self) -> tuple[OpeningInterval, ...]: ...
    @property
    def open_24_7(self) -> bool: ...
    @property
    def is_hub(self) -> bool: ...
    @property
    def lines(self) -> tuple[Line, ...]: ...
    @property
    def id(self) -> int | None: ...


@dataclass(frozen=True)
class UnitLines:
    name: str
    kind: str  # UnitKind: intake, out_of_hours, …
    intervals: tuple[OpeningInterval, ...] = ()
    open_24_7: bool = False
    is_hub: bool = False
    lines: tuple[Line, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class NumberToCall:
    number: str
    label: str  # Kontorstid, Dygnet runt, Reservnummer
    unit: str
    answers_now: bool
    unit_id: int | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "label": self.label,
            "unit": self.unit,
            "answers_now": self.answers_now,
        }


def unit_answers(unit: CallableUnit, instant: datetime) -> bool:
    """Whether the unit is staffed at `instant`; an out-of-hours service with no hours
    registered is taken to answer (as routing does), never silently skipped."""
    always = unit.open_24_7 or (unit.kind == "out_of_hours" and not unit.intervals)
    return is_open(unit.intervals, instant, open_24_7=always)


def numbers_to_call(units: Iterable[CallableUnit], instant: datetime) -> tuple[NumberToCall, ...]:
    """Every number of `units` the hub may call, those that answer at `instant` first.

    Within the units that answer: in the order given (the caller lists the unit the
    report is routed to first), each unit's main line (an intake unit's office line,
    an out-of-hours service's handover line) before its reserve number. So at night,
    on a weekend or a holiday the joint out-of-hours service and its reserve number
    come first; in office hours the intake unit's office number. The closed units'
    numbers follow, for when they open. The hub (Socialjouren Stockholm, which is
    the one calling) and the police's own line to it are never listed.
    """
    found: list[tuple[tuple[int, int, int, int], NumberToCall]] = []
    seen: set[str] = set()
    for position, unit in enumerate(units):
        if unit.is_hub:
            continue
        answers = unit_answers(unit, instant)
        main = HANDOVER_LINE if unit.kind == "out_of_hours" else OFFICE_HOURS_LINE
        for line in unit.lines:
            if line.purpose == POLICE_LINE or line.number in seen:
                continue
            seen.add(line.number)
            rank = 0 if line.purpose == main else 2 if line.purpose == FALLBACK_LINE else 1
            label = LINE_LABELS.get(line.purpose, LINE_LABELS[OFFICE_HOURS_LINE])
            found.append(
                (
                    (not answers, position, rank, line.priority),
                    NumberToCall(line.number, label, unit.name, answers, unit.id),
                )
            )
    return tuple(number for _key, number in sorted(found, key=lambda item: item[0]))
