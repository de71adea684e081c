"""Writes of the joint work with the police: co-location, anonymous consultations,
trainings for police aspirants and serious talks (SPEC §6).

One transaction, a right, an audit entry each; errors as in `common.services`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from samverkan.audit.models import AuditAction
from samverkan.collaboration.access import can_record_talk, is_inside, require_coordinator
from samverkan.collaboration.common.services import (
    audit,
    check_parties,
    guard_text,
    own_district,
    today,
)
from samverkan.collaboration.models import (
    AnonymousConsultation,
    CoLocation,
    QuestionType,
    ReportFollowed,
    SeriousTalk,
    Training,
)
from samverkan.core.audited import create_audited
from samverkan.core.errors import InvalidInput, NotAllowed, NotFound
from samverkan.core.identity import InvalidPersonId, parse_person_id
from samverkan.registry.models import Organisation


@transaction.atomic
def colocation_create(
    *,
    actor: Any,
    district: Organisation,
    police_unit: Organisation,
    social_worker: str,
    weekdays: Sequence[int],
    valid_from: date,
    valid_to: date | None = None,
    note: str = "",
) -> CoLocation:
    """A social worker of the actor's district stationed at a police office on weekdays."""
    own_district(actor, district)
    check_parties(district, police_unit)
    if not social_worker.strip():
        raise InvalidInput("social_worker", "Ange socialsekreteraren.")
    days = _validate_schedule(weekdays, valid_from, valid_to)
    return create_audited(
        actor,
        CoLocation,
        controller=district.code,
        detail={"police_unit": police_unit.code},
        district=district,
        police_unit=police_unit,
        social_worker=social_worker.strip(),
        weekdays=days,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note.strip(),
    )


def _validate_schedule(
    weekdays: Sequence[int], valid_from: date, valid_to: date | None
) -> list[int]:
    days = sorted(set(weekdays))
    if not days:
        raise InvalidInput("weekdays", "Välj minst en veckodag.")
    if any(day not in range(5) for day in days):
        raise InvalidInput("weekdays", "Välj veckodagar måndag till fredag.")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("valid_to", "Slutdatum kan inte vara före startdatum.")
    return days


@transaction.atomic
def colocation_change(
    *,
    actor: Any,
    colocation_id: int,
    weekdays: Sequence[int],
    effective_from: date,
    valid_to: date | None = None,
) -> CoLocation:
    """Change the days on site from a date, or end the stationing.

    The calendar must stay true for the weeks already past: a change of days that
    takes effect after the schedule started ends the old entry the day before and
    starts a new one, so the history shows one day a week before and two after.
    Returns the entry that is valid from ``effective_from``.
    """
    colocation = (
        CoLocation.objects.select_for_update().select_related("district").filter(pk=colocation_id)
    ).first()
    if colocation is None or not is_inside(actor, colocation.district_id):
        raise NotFound()
    own_district(actor, colocation.district)
    if colocation.valid_to is not None and effective_from > colocation.valid_to:
        raise InvalidInput("effective_from", "Schemat har redan upphört det datumet.")
    days = _validate_schedule(weekdays, max(effective_from, colocation.valid_from), valid_to)
    if days == colocation.weekdays or effective_from <= colocation.valid_from:
        colocation.weekdays = days
        colocation.valid_to = valid_to
        colocation.save(update_fields=["weekdays", "valid_to"])
        audit(actor, AuditAction.CHANGE, colocation, colocation.district, weekdays=days)
        return colocation
    successor = CoLocation.objects.create(
        district=colocation.district,
        police_unit=colocation.police_unit,
        social_worker=colocation.social_worker,
        weekdays=days,
        valid_from=effective_from,
        valid_to=valid_to,
        note=colocation.note,
    )
    colocation.valid_to = effective_from - timedelta(days=1)
    colocation.save(update_fields=["valid_to"])
    audit(actor, AuditAction.CHANGE, colocation, colocation.district, ended_for=successor.pk)
    audit(actor, AuditAction.CREATE, successor, colocation.district, weekdays=days)
    return successor


@transaction.atomic
def consultation_record(
    *,
    actor: Any,
    district: Organisation,
    police_unit: Organisation,
    held_on: date,
    question_type: str,
    question: str,
    advice: str,
    report_followed: str = ReportFollowed.UNKNOWN,
    report_filed_on: date | None = None,
    confirmed_no_personal_data: bool = False,
) -> AnonymousConsultation:
    """An anonymous consultation before a concern report: no identity numbers, no names."""
    user = require_coordinator(actor, district.pk, police_unit.pk)
    check_parties(district, police_unit)
    if question_type not in QuestionType.values:
        raise InvalidInput("question_type", "Välj typ av fråga.")
    if report_followed not in ReportFollowed.values:
        raise InvalidInput("report_followed", "Välj om en orosanmälan gjordes.")
    on = today()
    if held_on > on:
        raise InvalidInput("held_on", "Datumet kan inte ligga i framtiden.")
    if report_filed_on is not None:
        if report_followed != ReportFollowed.YES:
            raise InvalidInput(
                "report_filed_on", "Ange datum för anmälan bara om en anmälan gjordes."
            )
        if report_filed_on < held_on:
            raise InvalidInput("report_filed_on", "Anmälan kan inte göras före konsultationen.")
    for name, text in (("question", question), ("advice", advice)):
        if not text.strip():
            raise InvalidInput(name, "Fältet får inte vara tomt.")
        guard_text(name, text, names="refuse", confirmed=confirmed_no_personal_data, on=on)
    return create_audited(
        actor,
        AnonymousConsultation,
        controller=district.code,
        district=district,
        police_unit=police_unit,
        held_on=held_on,
        question_type=question_type,
        question=question.strip(),
        advice=advice.strip(),
        report_followed=report_followed,
        report_filed_on=report_filed_on,
        recorded_by=user,
    )


@transaction.atomic
def training_record(
    *,
    actor: Any,
    district: Organisation,
    police_unit: Organisation,
    held_on: date,
    topic: str,
    participants: int,
) -> Training:
    user = require_coordinator(actor, district.pk, police_unit.pk)
    check_parties(district, police_unit)
    if not topic.strip():
        raise InvalidInput("topic", "Ange ämnet.")
    if participants < 1:
        raise InvalidInput("participants", "Ange antalet deltagare (minst 1).")
    return create_audited(
        actor,
        Training,
        controller=district.code,
        district=district,
        police_unit=police_unit,
        held_on=held_on,
        topic=topic.strip(),
        participants=participants,
        recorded_by=user,
    )


@transaction.atomic
def serious_talk_record(
    *,
    actor: Any,
    district: Organisation,
    police_unit: Organisation,
    held_on: date,
    person_id: str,
    social_worker: str,
    police_officer: str,
    guardians_present: bool = True,
    plan_agreed: bool = False,
    follow_up: str = "",
) -> SeriousTalk:
    """A joint serious talk on the child's record in the district's responsibility."""
    if not can_record_talk(actor, district.pk):
        raise NotAllowed("Bara socialtjänsten i det ansvariga stadsdelsområdet registrerar detta.")
    check_parties(district, police_unit)
    try:
        person = parse_person_id(person_id, on=held_on)
    except InvalidPersonId as error:
        raise InvalidInput("person_id", error.message) from error
    if not social_worker.strip() or not police_officer.strip():
        raise InvalidInput("police_officer", "Ange både socialsekreterare och polis.")
    return create_audited(
        actor,
        SeriousTalk,
        controller=district.code,
        district=district,
        police_unit=police_unit,
        held_on=held_on,
        person_id=person.number,
        guardians_present=guardians_present,
        social_worker=social_worker.strip(),
        police_officer=police_officer.strip(),
        plan_agreed=plan_agreed,
        follow_up=follow_up.strip(),
        recorded_by=actor,
    )
