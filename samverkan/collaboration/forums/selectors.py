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


def meeting_facts(forum: Forum, terms: Iterable[rules.Term]) -> list[rules.MeetingFacts]:
    """The forum's meetings within `terms` (not its whole history) with who attended."""
    chosen = list(terms)
    meetings = Meeting.objects.filter(
        forum=forum,
        held_on__gte=min(t.start for t in chosen),
        held_on__lte=max(t.end for t in chosen),
    ).prefetch_related("attendance")
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
    chosen = rules.recent_terms(today, terms)
    return rules.compliance_across_terms(
        chosen,
        required_per_term=forum.required_per_term,
        required_functions=list(forum.required_functions),
        meetings=meeting_facts(forum, chosen),
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
