"""Reporting periods: week, month, term, quarter, year or a custom range of Swedish dates.

A period is a closed range of Swedish dates; `bounds()` gives the half-open
range of instants [first day 00:00, day after last 00:00) in Europe/Stockholm,
so that a report received at 23:59 on the last day counts and one at 00:00
the next day does not, whatever the server's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from samverkan.core.calendar import STOCKHOLM
from samverkan.core.errors import InvalidInput

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]

KINDS = {
    "week": "Vecka",
    "month": "Månad",
    "term": "Termin",
    "quarter": "Kvartal",
    "year": "År",
    "custom": "Eget intervall",
}


class InvalidPeriod(InvalidInput):
    """A period that cannot be counted (the whole form's input, so no one field)."""

    def __init__(self, message: str) -> None:
        super().__init__(None, message)


def swedish_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.first, time.min, tzinfo=STOCKHOLM)
        end = datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=STOCKHOLM)
        return start, end

    @property
    def label(self) -> str:
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"Vecka {week} {year}"
        if self.kind == "month":
            return f"{MONTHS[self.first.month - 1].capitalize()} {self.first.year}"
        if self.kind == "term":
            name = "Vårterminen" if self.first.month == 1 else "Höstterminen"
            return f"{name} {self.first.year}"
        if self.kind == "quarter":
            return f"Kvartal {(self.first.month - 1) // 3 + 1} {self.first.year}"
        if self.kind == "year":
            return f"År {self.first.year}"
        return f"{swedish_date(self.first)} – {swedish_date(self.last)}"

    @property
    def slug(self) -> str:
        return f"{self.first.isoformat()}_{self.last.isoformat()}"

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def period_containing(kind: str, day: date) -> Period:
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return Period(kind, first, first + timedelta(days=6))
    if kind == "month":
        return Period(kind, day.replace(day=1), _month_end(day.year, day.month))
    if kind == "term":
        # Vårtermin January–June, hösttermin July–December (calendar halves).
        if day.month <= 6:
            return Period(kind, date(day.year, 1, 1), date(day.year, 6, 30))
        return Period(kind, date(day.year, 7, 1), date(day.year, 12, 31))
    if kind == "quarter":
        first_month = (day.month - 1) // 3 * 3 + 1
        return Period(kind, date(day.year, first_month, 1), _month_end(day.year, first_month + 2))
    if kind == "year":
        return Period(kind, date(day.year, 1, 1), date(day.year, 12, 31))
    raise InvalidPeriod("Okänd periodtyp.")


MAX_CUSTOM_DAYS = 366 * 10


def custom_period(first: date, last: date) -> Period:
    if last < first:
        raise InvalidPeriod("Slutdatum kan inte vara före startdatum.")
    if (last - first).days > MAX_CUSTOM_DAYS:
        raise InvalidPeriod("Intervallet får vara högst tio år.")
    return Period("custom", first, last)


# The days follow-up counts on. A period's bounds and the links to the periods before
# and after it step past its ends, which Python's dates cannot do at year 1 or 9999
# (`?datum=9999-12-31` was a server error); no report can fall outside these years.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)


def day_out_of_range(day: date) -> str | None:
    """Why follow-up cannot count on `day` (Swedish), or None: every date parser asks this."""
    if EARLIEST_DAY <= day <= LATEST_DAY:
        return None
    return (
        f"Datumet {day.isoformat()} går inte att använda: välj en dag mellan "
        f"{EARLIEST_DAY.isoformat()} och {LATEST_DAY.isoformat()}."
    )


def parse_date(value: str, field: str) -> date:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidPeriod(f"{field}: skriv datumet som ÅÅÅÅ-MM-DD.") from None
    problem = day_out_of_range(day)
    if problem is not None:
        raise InvalidPeriod(f"{field}: {problem}")
    return day


def shift(period: Period, steps: int) -> Period:
    """The period `steps` periods before (negative) or after this one, same kind."""
    if period.kind == "custom":
        length = (period.last - period.first).days + 1
        delta = timedelta(days=length * steps)
        return Period("custom", period.first + delta, period.last + delta)
    if steps < 0:
        day = period.first
        for _ in range(-steps):
            day = period_containing(period.kind, day - timedelta(days=1)).first
        return period_containing(period.kind, day)
    day = period.last
    for _ in range(steps):
        day = period_containing(period.kind, day + timedelta(days=1)).last
    return period_containing(period.kind, day)
