"""Reads of the joint work with the police: the co-location calendar, serious talks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of
from samverkan.collaboration.access import serious_talks_visible_to
from samverkan.collaboration.models import CoLocation, SeriousTalk
from samverkan.core.calendar import is_working_day


@dataclass(frozen=True)
class CalendarDay:
    day: date
    working_day: bool
    stationed: tuple[CoLocation, ...]


def colocation_calendar(
    colocations: list[CoLocation], start: date, days: int = 28
) -> list[CalendarDay]:
    """Working days from `start` with who is stationed where (holidays: nobody)."""
    calendar: list[CalendarDay] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        working = is_working_day(day)
        stationed = tuple(
            c
            for c in colocations
            if working
            and day.weekday() in c.weekdays
            and c.valid_from <= day
            and (c.valid_to is None or day <= c.valid_to)
        )
        calendar.append(CalendarDay(day, working, stationed))
    return calendar


def serious_talks_for(user: Any, *, reason: str = "") -> list[SeriousTalk]:
    """The district's serious talks (personal data): the read is audited."""
    talks = list(serious_talks_visible_to(user))
    for talk in talks:
        audit_record_of(
            talk, actor=user, action=AuditAction.VIEW, controller=talk.district.code, reason=reason
        )
    return talks
