"""Reads of forums: compliance per term, function labels, open decisions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from samverkan.collaboration import rules
from samverkan.collaboration.models import (
    Forum,
    Function,
    Meeting,
    MeetingDecision,
    MeetingStatus,
)


def meeting_facts(forum: Forum) -> list[rules.MeetingFacts]:
    meetings = Meeting.objects.filter(forum=forum).prefetch_related("attendance")
    return [
        rules.MeetingFacts(
            held_on=m.held_on,
            held=m.status == MeetingStatus.HELD,
            functions=frozenset(a.function for a in m.attendance.all()),
        )
        for m in meetings
    ]


def forum_compliance(forum: Forum, *, today: date, terms: int = 4) -> list[rules.TermCompliance]:
    """Compliance for the current term and the `terms - 1` before it, newest first."""
    return rules.compliance_across_terms(
        rules.recent_terms(today, terms),
        required_per_term=forum.required_per_term,
        required_functions=list(forum.required_functions),
        meetings=meeting_facts(forum),
        today=today,
    )


def function_label(code: str) -> str:
    try:
        return str(Function(code).label)
    except ValueError:
        return code


def function_labels(codes: Iterable[str]) -> list[str]:
    return [function_label(code) for code in codes]


def open_decisions(forum: Forum) -> QuerySet[MeetingDecision]:
    return (
        MeetingDecision.objects.filter(meeting__forum=forum, status="open")
        .select_related("owner", "meeting")
        .order_by("due_date", "id")
    )
