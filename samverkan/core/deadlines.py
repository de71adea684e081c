"""Legal deadlines, as pure functions of a date or an instant (no clock, no database).

Lag (1930:173) om beräkning av lagstadgad tid:
- 1 §: a period in months ends on the same day of the month, or on the last
  day of the month when the month has no such day;
- 2 §: when the last day falls on a Saturday, Sunday, public holiday,
  Midsummer Eve, Christmas Eve or New Year's Eve, the period ends on the
  next working day.

Every date is a Swedish date (Europe/Stockholm), also at night and across
daylight-saving changes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.conf import settings

from samverkan.core.calendar import (
    add_months,
    end_of_local_day,
    local_date,
    local_datetime,
    next_working_day,
)

PRELIMINARY_ASSESSMENT_DAYS = 14  # SoL (2025:400) 20 kap. 2 §
FEEDBACK_WEEKS = 1  # SoL (2025:400) 19 kap. 6 §
INVESTIGATION_MONTHS = 4  # SoL (2025:400) 20 kap. 3 §


# Pure in its arguments, and a day's reports all ask the same: cached (issue 8, the rules
# benchmark), bounded to a few years of distinct questions.
@lru_cache(maxsize=4096)
def legal_deadline(start: date, *, days: int = 0, weeks: int = 0, months: int = 0) -> date:
    """The last day of a period of `months`, then `weeks` and `days`, after `start`.

    Rolled forward to the next working day (lag (1930:173) 2 §).
    """
    raw = add_months(start, months) + timedelta(days=days, weeks=weeks)
    return next_working_day(raw)


def moved_from(start: date, *, days: int = 0, weeks: int = 0, months: int = 0) -> date | None:
    """The day the period would have ended on, when 2 § moved its end; else None.

    So a deadline can say why it is not where the worker counted it:
    "måndag 14 dec. – flyttad från lördag enligt lag 1930:173".
    """
    raw = add_months(start, months) + timedelta(days=days, weeks=weeks)
    return raw if raw != legal_deadline(start, days=days, weeks=weeks, months=months) else None


def protection_assessment_due(received_at: datetime, *, late_from: time) -> datetime:
    """When the immediate protection assessment (*genast*, SoL 20 kap. 1 §) is due.

    The end (23:59:59 Stockholm time) of the Swedish day the report came in;
    for a report received at or after `late_from` local time, the end of the
    next day. Not moved for weekends or holidays: the out-of-hours service
    works every day.
    """
    local = local_datetime(received_at)
    day = local.date()
    if local.time().replace(tzinfo=None) >= late_from:
        day += timedelta(days=1)
    return end_of_local_day(day)


def preliminary_assessment_due(received_at: datetime) -> date:
    """The last day to decide whether to open an investigation: receipt + 14 days, rolled."""
    return legal_deadline(local_date(received_at), days=PRELIMINARY_ASSESSMENT_DAYS)


def preliminary_assessment_moved_from(received_at: datetime) -> date | None:
    """The non-working day receipt + 14 days fell on, when the deadline moved from it."""
    return moved_from(local_date(received_at), days=PRELIMINARY_ASSESSMENT_DAYS)


def feedback_due(decision_date: date) -> date:
    """The last day to tell the reporter the decision: decision + 1 week, rolled."""
    return legal_deadline(decision_date, weeks=FEEDBACK_WEEKS)


def investigation_due(start: date) -> date:
    """The last day of an investigation: start + 4 months, rolled."""
    return legal_deadline(start, months=INVESTIGATION_MONTHS)


def late_report_from() -> time:
    """The configured local time from which a report counts as late (setting LATE_REPORT_FROM)."""
    return time.fromisoformat(str(getattr(settings, "LATE_REPORT_FROM", "20:00")))
