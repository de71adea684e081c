"""When retention ends, per record type (SoL 2025:400 16 kap. 1, 2 a §§) — pure functions.

* Social-services documents are deleted **five years after the last entry**
  (16 kap. 1 §): concern reports with their handovers, assessments,
  clarifications and information requests that did not lead to an
  investigation; defector assignments; joint talks; anonymous consultations.
* Documents of a **child investigation** are kept **until the child turns 30**
  (16 kap. 2 a §) — and never for less than five years after the last entry.
* Vouchers (*verifikationer*, a cost's uploaded receipt) are accounting records:
  kept **until the end of the seventh year after the financial year** in which
  they were booked (Bokföringslagen 7 kap. 2 §; a municipality's financial year
  is the calendar year), then removed.

"Five years after" is the same calendar date five years on (29 February →
28 February); retention has ended ON that day, so the job run that day
anonymises the record. See docs/decisions/0005-retention.md.
"""

from __future__ import annotations

import enum
from datetime import date

YEARS_AFTER_LAST_ENTRY = 5
CHILD_INVESTIGATION_UNTIL_AGE = 30
BOOKKEEPING_YEARS = 7


class Rule(enum.StrEnum):
    FIVE_YEARS_AFTER_LAST_ENTRY = "five_years_after_last_entry"
    CHILD_INVESTIGATION_UNTIL_30 = "child_investigation_until_30"
    BOOKKEEPING_SEVEN_YEARS = "bookkeeping_seven_years"


def add_years(day: date, years: int) -> date:
    """The same calendar date `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def earliest_last_entry_due(today: date) -> date:
    """A record whose last entry is on or after this date cannot be due on `today`.

    Used to narrow the database query before the exact rule is applied. Two
    days' slack: a last entry on 29 February is due on 28 February five years
    on, a day "early".
    """
    back = add_years(today, -YEARS_AFTER_LAST_ENTRY)
    return date.fromordinal(back.toordinal() + 2)


def five_years_after(last_entry: date) -> date:
    return add_years(last_entry, YEARS_AFTER_LAST_ENTRY)


def concern_report_retention_end(
    *, last_entry: date, birth_date: date, child_investigation: bool
) -> tuple[date, Rule]:
    """A concern report with everything recorded on it (handovers, assessments, requests).

    Not leading to an investigation: five years after the last entry. Part of a
    child investigation (investigation opened, or added to one already running):
    until the child turns 30, at the earliest five years after the last entry.
    """
    after_last = five_years_after(last_entry)
    if not child_investigation:
        return after_last, Rule.FIVE_YEARS_AFTER_LAST_ENTRY
    turns_30 = add_years(birth_date, CHILD_INVESTIGATION_UNTIL_AGE)
    return max(after_last, turns_30), Rule.CHILD_INVESTIGATION_UNTIL_30


def defector_assignment_retention_end(*, last_entry: date) -> tuple[date, Rule]:
    """A defector assignment (a social-services matter): five years after the last entry."""
    return five_years_after(last_entry), Rule.FIVE_YEARS_AFTER_LAST_ENTRY


def serious_talk_retention_end(*, held_on: date) -> tuple[date, Rule]:
    """A joint talk with a young person: five years after it was held (its only entry)."""
    return five_years_after(held_on), Rule.FIVE_YEARS_AFTER_LAST_ENTRY


def anonymous_consultation_retention_end(*, last_entry: date) -> tuple[date, Rule]:
    """An anonymous consultation (no personal data by rule; its free text goes as a precaution)."""
    return five_years_after(last_entry), Rule.FIVE_YEARS_AFTER_LAST_ENTRY


def homecoming_plan_retention_end(*, last_entry: date) -> tuple[date, Rule]:
    """A homecoming plan (a social-services document about the young person): five years."""
    return five_years_after(last_entry), Rule.FIVE_YEARS_AFTER_LAST_ENTRY


def meeting_minutes_retention_end(*, last_entry: date) -> tuple[date, Rule]:
    """A meeting's agenda and minutes may name people: their text goes after five years."""
    return five_years_after(last_entry), Rule.FIVE_YEARS_AFTER_LAST_ENTRY


def voucher_retention_end(*, booked_on: date) -> tuple[date, Rule]:
    """Kept through the seventh calendar year after the financial year; removed on 1 January."""
    return date(booked_on.year + BOOKKEEPING_YEARS + 1, 1, 1), Rule.BOOKKEEPING_SEVEN_YEARS


def earliest_financial_year_due(today: date) -> date:
    """A voucher booked on or after this date cannot be due on `today`."""
    return date(today.year - BOOKKEEPING_YEARS, 1, 1)


def is_due(retention_end: date, today: date) -> bool:
    return today >= retention_end


def coarse_birth_date(birth_date: date) -> date:
    """1 January of the birth year: keeps the age band, drops the exact date."""
    return date(birth_date.year, 1, 1)
