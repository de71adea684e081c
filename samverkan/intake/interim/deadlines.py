"""Stand-in for `samverkan.core.deadlines` (contract in CONTRACTS.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from samverkan.intake.interim.calendar import (
    end_of_local_day,
    local_datetime,
    next_working_day,
)


def legal_deadline(start: date, *, days: int = 0, weeks: int = 0, months: int = 0) -> date:
    assert months == 0, "stand-in supports days and weeks only"
    return next_working_day(start + timedelta(days=days, weeks=weeks))


def protection_assessment_due(received_at: datetime, *, late_from: time) -> datetime:
    local = local_datetime(received_at)
    day = local.date()
    if local.time() >= late_from:
        day += timedelta(days=1)
    return end_of_local_day(day)


def preliminary_assessment_due(received_at: datetime) -> date:
    return legal_deadline(local_datetime(received_at).date(), days=14)


def feedback_due(decision_date: date) -> date:
    return legal_deadline(decision_date, weeks=1)
