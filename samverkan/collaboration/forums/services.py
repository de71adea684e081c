"""Writes of forums and their meetings: settings, minutes, attendance, decisions (SPEC §6).

One transaction, a right, an audit entry each; errors as in `common.services`.
Minutes of a general-questions forum pass the personal-data guard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from samverkan.audit.models import AuditAction
from samverkan.collaboration.access import require_coordinator
from samverkan.collaboration.common.services import audit, guard_text, own_district, today
from samverkan.collaboration.models import (
    Attendance,
    DecisionFollowUp,
    DecisionStatus,
    Forum,
    ForumKind,
    Function,
    Meeting,
    MeetingDecision,
    MeetingStatus,
)
from samverkan.core.errors import InvalidInput, NotFound
from samverkan.registry.models import Organisation


@transaction.atomic
def forum_create(
    *,
    actor: Any,
    district: Organisation,
    name: str,
    kind: str,
    required_per_term: int,
    required_functions: Sequence[str],
    parties: Sequence[Organisation] = (),
    purpose: str = "",
) -> Forum:
    """A new forum convened by the actor's district; the district is always a party."""
    own_district(actor, district)
    settings = _settings(name, kind, required_per_term, required_functions, purpose)
    forum = Forum.objects.create(district=district, kind=kind, **settings)
    _set_parties(forum, parties)
    audit(actor, AuditAction.CREATE, forum, district)
    return forum


@transaction.atomic
def forum_update(
    *,
    actor: Any,
    forum_id: int,
    name: str,
    required_per_term: int,
    required_functions: Sequence[str],
    parties: Sequence[Organisation] = (),
    purpose: str = "",
) -> Forum:
    """Change a forum's name, requirements, parties or purpose.

    The kind stays: minutes written under the secrecy rules of a children-at-risk
    forum must not become readable as a general-questions forum, nor the reverse.
    A new requirement applies to every term's compliance, as the district decided.
    """
    forum = _forum_for_coordinator(actor, forum_id)
    settings = _settings(name, forum.kind, required_per_term, required_functions, purpose)
    for attribute, value in settings.items():
        setattr(forum, attribute, value)
    forum.save(update_fields=list(settings))
    _set_parties(forum, parties)
    audit(
        actor,
        AuditAction.CHANGE,
        forum,
        forum.district,
        parties=sorted(p.code for p in forum.parties.all()),
    )
    return forum


def _settings(
    name: str,
    kind: str,
    required_per_term: int,
    required_functions: Sequence[str],
    purpose: str,
) -> dict[str, Any]:
    """The settings a coordinator chooses, checked and cleaned alike on creation and change."""
    if not name.strip():
        raise InvalidInput("name", "Ange forumets namn.")
    if kind not in ForumKind.values:
        raise InvalidInput("kind", "Välj slag av forum.")
    if required_per_term < 1:
        raise InvalidInput("required_per_term", "Ange hur många möten per termin (minst 1).")
    if set(required_functions) - set(Function.values):
        raise InvalidInput("required_functions", "Okänd funktion.")
    return {
        "name": name.strip(),
        "required_per_term": required_per_term,
        "required_functions": list(dict.fromkeys(required_functions)),
        "purpose": purpose.strip(),
    }


def _set_parties(forum: Forum, parties: Sequence[Organisation]) -> None:
    """The convening district is always a party, whatever else was chosen."""
    forum.parties.set({forum.district_id, *(p.pk for p in parties)})


@dataclass(frozen=True)
class DecisionInput:
    text: str
    owner: Organisation
    due_date: date
    owner_function: str = ""


@dataclass(frozen=True)
class MeetingInput:
    held_on: date
    status: str = MeetingStatus.HELD
    agenda: str = ""
    minutes: str = ""
    functions_present: Sequence[str] = ()
    decisions: Sequence[DecisionInput] = ()
    follow_ups: dict[int, tuple[str, str]] = field(default_factory=dict)  # id → (status, note)
    confirmed_no_personal_data: bool = False


def _guard_meeting_text(forum: Forum, data: MeetingInput, on: date) -> None:
    if not forum.is_general:
        return
    texts = [("agenda", data.agenda), ("minutes", data.minutes)]
    texts += [("decisions", d.text) for d in data.decisions]
    texts += [("follow_ups", note) for _status, note in data.follow_ups.values()]
    for name, text in texts:
        guard_text(name, text, names="warn", confirmed=data.confirmed_no_personal_data, on=on)


def _forum_for_coordinator(actor: Any, forum_id: int) -> Forum:
    forum = Forum.objects.visible_to(actor).select_related("district").filter(pk=forum_id).first()
    if forum is None:
        raise NotFound()
    require_coordinator(actor, forum.district_id)
    return forum


def _check_meeting(forum: Forum, data: MeetingInput) -> None:
    if data.status not in MeetingStatus.values:
        raise InvalidInput("status", "Välj mötets status.")
    unknown = set(data.functions_present) - set(Function.values)
    if unknown:
        raise InvalidInput("functions_present", "Okänd funktion.")
    if data.status != MeetingStatus.HELD and data.functions_present:
        raise InvalidInput("functions_present", "Närvaro registreras bara för genomförda möten.")
    for decision in data.decisions:
        if not decision.text.strip():
            raise InvalidInput("decisions", "Skriv beslutet.")
        if decision.due_date < data.held_on:
            raise InvalidInput("decisions", "Ett beslut kan inte vara klart före mötet.")


def _apply_follow_ups(forum: Forum, meeting: Meeting, data: MeetingInput) -> None:
    if not data.follow_ups:
        return
    decisions = {
        d.pk: d
        for d in MeetingDecision.objects.filter(meeting__forum=forum, pk__in=list(data.follow_ups))
    }
    for decision_id, (status, note) in data.follow_ups.items():
        decision = decisions.get(decision_id)
        if decision is None:
            raise InvalidInput("follow_ups", "Beslutet hör till ett annat forum.")
        if status not in DecisionStatus.values:
            raise InvalidInput("follow_ups", "Välj status för beslutet.")
        if status == decision.status and not note.strip():
            continue
        DecisionFollowUp.objects.create(
            decision=decision, meeting=meeting, status=status, note=note.strip()
        )
        decision.status = status
        decision.save(update_fields=["status"])


def _write_attendance_and_decisions(forum: Forum, meeting: Meeting, data: MeetingInput) -> None:
    """Attendance by function, new decisions and follow-ups of earlier ones, as entered."""
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, function=function)
        for function in dict.fromkeys(data.functions_present)
    )
    for decision in data.decisions:
        MeetingDecision.objects.create(
            meeting=meeting,
            text=decision.text.strip(),
            owner=decision.owner,
            owner_function=decision.owner_function,
            due_date=decision.due_date,
        )
    _apply_follow_ups(forum, meeting, data)


@transaction.atomic
def meeting_record(*, actor: Any, forum_id: int, data: MeetingInput) -> Meeting:
    """Record a forum meeting: agenda, attendance by function, minutes, decisions, follow-up."""
    forum = _forum_for_coordinator(actor, forum_id)
    _check_meeting(forum, data)
    _guard_meeting_text(forum, data, today())
    meeting = Meeting.objects.create(
        forum=forum,
        held_on=data.held_on,
        status=data.status,
        agenda=data.agenda.strip(),
        minutes=data.minutes.strip(),
        recorded_by=actor,
    )
    _write_attendance_and_decisions(forum, meeting, data)
    audit(actor, AuditAction.CREATE, meeting, forum.district, forum=forum.pk)
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting_id: int, data: MeetingInput) -> Meeting:
    """Change a meeting: status, agenda, minutes and attendance; add decisions and follow-ups."""
    meeting = (
        Meeting.objects.select_for_update().select_related("forum").filter(pk=meeting_id).first()
    )
    if meeting is None:
        raise NotFound()
    forum = _forum_for_coordinator(actor, meeting.forum_id)
    _check_meeting(forum, data)
    _guard_meeting_text(forum, data, today())
    meeting.held_on = data.held_on
    meeting.status = data.status
    meeting.agenda = data.agenda.strip()
    meeting.minutes = data.minutes.strip()
    meeting.save()
    meeting.attendance.all().delete()
    _write_attendance_and_decisions(forum, meeting, data)
    audit(actor, AuditAction.CHANGE, meeting, forum.district, forum=forum.pk)
    return meeting
