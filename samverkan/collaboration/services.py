"""Every write of local collaboration (SPEC §6): one transaction, a right, an audit entry.

Errors carry a Swedish `message` that the UI and the API show as they are;
`InvalidInput.field` names the offending field. `PersonalDataFound` is the
personal-data guard: identity numbers are always refused; names are refused in
anonymous consultations and, in general-questions minutes, need the writer's
confirmation (`confirmed_no_personal_data=True`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import RoleCode, User
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record
from samverkan.collaboration import rules
from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    AnonymousConsultation,
    Attendance,
    CoLocation,
    DecisionFollowUp,
    DecisionStatus,
    Forum,
    ForumKind,
    Function,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Meeting,
    MeetingDecision,
    MeetingStatus,
    PictureContribution,
    ProgressNote,
    QuestionType,
    ReportFollowed,
    SeriousTalk,
    SituationalPicture,
    TargetGroup,
    Training,
)
from samverkan.core.calendar import local_date
from samverkan.core.errors import InvalidInput, NotAllowed, NotFound, ServiceError
from samverkan.core.identity import InvalidPersonId, parse_person_id
from samverkan.registry.models import Organisation

COORDINATOR = RoleCode.COLLABORATION_COORDINATOR


CollaborationError = ServiceError


class PersonalDataFound(InvalidInput):
    """Text holds personal data; `needs_confirmation`: only possible names, writer may confirm."""

    def __init__(self, field: str, message: str, *, needs_confirmation: bool) -> None:
        super().__init__(field, message)
        self.needs_confirmation = needs_confirmation


# --- rights ------------------------------------------------------------------------------


def _orgs(user: Any) -> frozenset[int]:
    return responsible_organisation_ids(user)


def is_coordinator_for(user: Any, organisation_id: int) -> bool:
    return has_role(user, COORDINATOR) and organisation_id in _orgs(user)


def _require_coordinator(user: Any, *organisation_ids: int) -> User:
    if not isinstance(user, User) or not any(is_coordinator_for(user, i) for i in organisation_ids):
        raise NotAllowed("Bara samverkanssamordnare hos en part får göra detta.")
    return user


def _audit(actor: Any, action: str, record: Any, district: Organisation, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        record_type=f"collaboration.{type(record).__name__}",
        record_id=record.pk,
        controller=district.code,
        detail=detail or None,
    )


# --- personal-data guard --------------------------------------------------------------------


def _quote(items: Sequence[str]) -> str:
    return ", ".join(f"”{item}”" for item in items)


def guard_text(
    field: str, text: str, *, refuse_names: bool, confirmed: bool, on: date | None = None
) -> None:
    """Refuse identity numbers; refuse or ask to confirm names (see the module docstring)."""
    findings = rules.scan_personal_data(text, on=on or local_date(timezone.now()))
    if findings.identity_numbers:
        raise PersonalDataFound(
            field,
            "Texten innehåller ett personnummer eller samordningsnummer "
            f"({_quote(findings.identity_numbers)}). Här får inga personuppgifter finnas: "
            "ta bort numret och beskriv utan att peka ut någon.",
            needs_confirmation=False,
        )
    if refuse_names and findings.likely_names:
        raise PersonalDataFound(
            field,
            f"Texten verkar innehålla namn ({_quote(findings.likely_names)}). Konsultationen "
            "är anonym: skriv till exempel ”pojken, 15 år” i stället för namnet.",
            needs_confirmation=False,
        )
    if findings.names and not confirmed:
        raise PersonalDataFound(
            field,
            f"Texten kan innehålla namn på personer ({_quote(findings.names)}). "
            "Individärenden får inte tas upp här. Ta bort namnen, eller bekräfta att det "
            "inte är namn på enskilda personer.",
            needs_confirmation=True,
        )


def _own_district(actor: Any, district: Organisation) -> User:
    """The record's owner must be a district (or municipality) the actor coordinates."""
    if district.kind not in ("district", "municipality"):
        raise InvalidInput("district", "Välj ett stadsdelsområde eller en kommun.")
    return _require_coordinator(actor, district.pk)


# --- co-location ------------------------------------------------------------------------------


def _police_and_district(district: Organisation, police_unit: Organisation) -> None:
    if police_unit.kind != "police_unit":
        raise InvalidInput("police_unit", "Välj en polisenhet.")
    if district.kind not in ("district", "municipality"):
        raise InvalidInput("district", "Välj ett stadsdelsområde eller en kommun.")


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
    _own_district(actor, district)
    _police_and_district(district, police_unit)
    if not social_worker.strip():
        raise InvalidInput("social_worker", "Ange socialsekreteraren.")
    days = _validate_schedule(weekdays, valid_from, valid_to)
    colocation = CoLocation.objects.create(
        district=district,
        police_unit=police_unit,
        social_worker=social_worker.strip(),
        weekdays=days,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note.strip(),
    )
    _audit(actor, AuditAction.CREATE, colocation, district, police_unit=police_unit.code)
    return colocation


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
    if colocation is None or colocation.district_id not in _orgs(actor):
        raise NotFound()
    _own_district(actor, colocation.district)
    if colocation.valid_to is not None and effective_from > colocation.valid_to:
        raise InvalidInput("effective_from", "Schemat har redan upphört det datumet.")
    days = _validate_schedule(weekdays, max(effective_from, colocation.valid_from), valid_to)
    if days == colocation.weekdays or effective_from <= colocation.valid_from:
        colocation.weekdays = days
        colocation.valid_to = valid_to
        colocation.save(update_fields=["weekdays", "valid_to"])
        _audit(actor, AuditAction.CHANGE, colocation, colocation.district, weekdays=days)
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
    _audit(actor, AuditAction.CHANGE, colocation, colocation.district, ended_for=successor.pk)
    _audit(actor, AuditAction.CREATE, successor, colocation.district, weekdays=days)
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
    user = _require_coordinator(actor, district.pk, police_unit.pk)
    _police_and_district(district, police_unit)
    if question_type not in QuestionType.values:
        raise InvalidInput("question_type", "Välj typ av fråga.")
    if report_followed not in ReportFollowed.values:
        raise InvalidInput("report_followed", "Välj om en orosanmälan gjordes.")
    today = local_date(timezone.now())
    if held_on > today:
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
        guard_text(name, text, refuse_names=True, confirmed=confirmed_no_personal_data, on=today)
    consultation = AnonymousConsultation.objects.create(
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
    _audit(actor, AuditAction.CREATE, consultation, district)
    return consultation


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
    user = _require_coordinator(actor, district.pk, police_unit.pk)
    _police_and_district(district, police_unit)
    if not topic.strip():
        raise InvalidInput("topic", "Ange ämnet.")
    if participants < 1:
        raise InvalidInput("participants", "Ange antalet deltagare (minst 1).")
    training = Training.objects.create(
        district=district,
        police_unit=police_unit,
        held_on=held_on,
        topic=topic.strip(),
        participants=participants,
        recorded_by=user,
    )
    _audit(actor, AuditAction.CREATE, training, district)
    return training


# --- forums and meetings -------------------------------------------------------------------


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
    _own_district(actor, district)
    _validate_forum(name, kind, required_per_term, required_functions)
    forum = Forum.objects.create(
        district=district,
        name=name.strip(),
        kind=kind,
        required_per_term=required_per_term,
        required_functions=list(dict.fromkeys(required_functions)),
        purpose=purpose.strip(),
    )
    forum.parties.set({district.pk, *(p.pk for p in parties)})
    _audit(actor, AuditAction.CREATE, forum, district)
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
    _validate_forum(name, forum.kind, required_per_term, required_functions)
    forum.name = name.strip()
    forum.required_per_term = required_per_term
    forum.required_functions = list(dict.fromkeys(required_functions))
    forum.purpose = purpose.strip()
    forum.save(update_fields=["name", "required_per_term", "required_functions", "purpose"])
    forum.parties.set({forum.district_id, *(p.pk for p in parties)})
    _audit(
        actor,
        AuditAction.CHANGE,
        forum,
        forum.district,
        parties=sorted(p.code for p in forum.parties.all()),
    )
    return forum


def _validate_forum(
    name: str, kind: str, required_per_term: int, required_functions: Sequence[str]
) -> None:
    if not name.strip():
        raise InvalidInput("name", "Ange forumets namn.")
    if kind not in ForumKind.values:
        raise InvalidInput("kind", "Välj slag av forum.")
    if required_per_term < 1:
        raise InvalidInput("required_per_term", "Ange hur många möten per termin (minst 1).")
    if set(required_functions) - set(Function.values):
        raise InvalidInput("required_functions", "Okänd funktion.")


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
        guard_text(name, text, refuse_names=False, confirmed=data.confirmed_no_personal_data, on=on)


def _forum_for_coordinator(actor: Any, forum_id: int) -> Forum:
    forum = Forum.objects.visible_to(actor).select_related("district").filter(pk=forum_id).first()
    if forum is None:
        raise NotFound()
    _require_coordinator(actor, forum.district_id)
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
    _guard_meeting_text(forum, data, local_date(timezone.now()))
    meeting = Meeting.objects.create(
        forum=forum,
        held_on=data.held_on,
        status=data.status,
        agenda=data.agenda.strip(),
        minutes=data.minutes.strip(),
        recorded_by=actor,
    )
    _write_attendance_and_decisions(forum, meeting, data)
    _audit(actor, AuditAction.CREATE, meeting, forum.district, forum=forum.pk)
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
    _guard_meeting_text(forum, data, local_date(timezone.now()))
    meeting.held_on = data.held_on
    meeting.status = data.status
    meeting.agenda = data.agenda.strip()
    meeting.minutes = data.minutes.strip()
    meeting.save()
    meeting.attendance.all().delete()
    _write_attendance_and_decisions(forum, meeting, data)
    _audit(actor, AuditAction.CHANGE, meeting, forum.district, forum=forum.pk)
    return meeting


# --- serious talks ------------------------------------------------------------------------


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
    if not (
        isinstance(actor, User)
        and has_role(actor, COORDINATOR, RoleCode.RECEIVER)
        and district.pk in _orgs(actor)
    ):
        raise NotAllowed("Bara socialtjänsten i det ansvariga stadsdelsområdet registrerar detta.")
    _police_and_district(district, police_unit)
    try:
        person = parse_person_id(person_id, on=held_on)
    except InvalidPersonId as error:
        raise InvalidInput("person_id", error.message) from error
    if not social_worker.strip() or not police_officer.strip():
        raise InvalidInput("police_officer", "Ange både socialsekreterare och polis.")
    talk = SeriousTalk.objects.create(
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
    _audit(actor, AuditAction.CREATE, talk, district)
    return talk


# --- situational picture and action plan -----------------------------------------------------


@transaction.atomic
def situational_picture_create(
    *,
    actor: Any,
    district: Organisation,
    title: str,
    period_start: date,
    period_end: date,
) -> SituationalPicture:
    from samverkan.collaboration.selectors import inflow_figures

    if actor is not None:
        _require_coordinator(actor, district.pk)
    if period_end < period_start:
        raise InvalidInput("period_end", "Periodens slut kan inte vara före dess början.")
    if not title.strip():
        raise InvalidInput("title", "Ange en rubrik.")
    picture = SituationalPicture.objects.create(
        district=district,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        figures=inflow_figures(district, period_start, period_end),
        computed_at=timezone.now(),
        created_by=actor,
    )
    _audit(actor, AuditAction.CREATE, picture, district)
    return picture


@transaction.atomic
def situational_picture_refresh(*, actor: Any, picture_id: int) -> SituationalPicture:
    from samverkan.collaboration.selectors import inflow_figures

    picture = SituationalPicture.objects.select_related("district").filter(pk=picture_id).first()
    if picture is None or picture.district_id not in _orgs(actor):
        raise NotFound()
    _require_coordinator(actor, picture.district_id)
    picture.figures = inflow_figures(picture.district, picture.period_start, picture.period_end)
    picture.computed_at = timezone.now()
    picture.save(update_fields=["figures", "computed_at"])
    _audit(actor, AuditAction.CHANGE, picture, picture.district, refreshed=True)
    return picture


@transaction.atomic
def contribution_add(*, actor: Any, picture_id: int, text: str) -> PictureContribution:
    """A party's text in the situational picture (no personal data: it reaches every party)."""
    from samverkan.collaboration.selectors import pictures_visible_to

    picture = pictures_visible_to(actor).filter(pk=picture_id).first()
    if picture is None or not isinstance(actor, User) or actor.organisation is None:
        raise NotFound()
    if not text.strip():
        raise InvalidInput("text", "Skriv texten.")
    guard_text("text", text, refuse_names=True, confirmed=False)
    contribution = PictureContribution.objects.create(
        picture=picture, organisation=actor.organisation, text=text.strip(), author=actor
    )
    _audit(actor, AuditAction.CREATE, contribution, picture.district)
    return contribution


@transaction.atomic
def action_plan_create(
    *,
    actor: Any,
    district: Organisation,
    title: str,
    period_start: date,
    period_end: date,
    situational_picture: SituationalPicture | None = None,
) -> ActionPlan:
    if actor is not None:
        _require_coordinator(actor, district.pk)
    if period_end < period_start:
        raise InvalidInput("period_end", "Planens slut kan inte vara före dess början.")
    if not title.strip():
        raise InvalidInput("title", "Ange en rubrik.")
    plan = ActionPlan.objects.create(
        district=district,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        situational_picture=situational_picture,
    )
    _audit(actor, AuditAction.CREATE, plan, district)
    return plan


@transaction.atomic
def activity_add(
    *,
    actor: Any,
    plan_id: int,
    title: str,
    owner: Organisation,
    target_group: str,
    due_date: date,
    status: str = ActivityStatus.PLANNED,
) -> Activity:
    """The plan's district coordinator adds an activity for any owner."""
    plan = ActionPlan.objects.select_related("district").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    if actor is not None:
        if plan.district_id not in _orgs(actor):
            raise NotFound()
        _require_coordinator(actor, plan.district_id)
    if target_group not in TargetGroup.values:
        raise InvalidInput("target_group", "Välj målgrupp.")
    if status not in ActivityStatus.values:
        raise InvalidInput("status", "Välj status.")
    if not title.strip():
        raise InvalidInput("title", "Beskriv aktiviteten.")
    activity = Activity.objects.create(
        plan=plan,
        title=title.strip(),
        owner=owner,
        target_group=target_group,
        due_date=due_date,
        status=status,
    )
    _audit(actor, AuditAction.CREATE, activity, plan.district, owner=owner.code)
    return activity


# Those who act for a party; an analyst reads aggregates and changes nothing.
ACTING_ROLES = (COORDINATOR, RoleCode.SCHOOL_STAFF, RoleCode.RECEIVER, RoleCode.POLICE_OPERATOR)


def can_update_activity(user: Any, activity: Activity) -> bool:
    """Each party updates its own activities: the owner organisation (or one above it)."""
    return (
        isinstance(user, User)
        and has_role(user, *ACTING_ROLES)
        and activity.owner_id in _orgs(user)
    )


def may_read_minutes(user: Any, forum: Forum) -> bool:
    """Minutes of a children-at-risk forum discuss individual cases under secrecy: they are
    for those who take part for a party, not for an analyst of the same organisation."""
    return forum.kind != ForumKind.CHILDREN_AT_RISK or has_role(user, *ACTING_ROLES)


@transaction.atomic
def activity_update(
    *, actor: Any, activity_id: int, status: str, note: str = "", due_date: date | None = None
) -> Activity:
    from samverkan.collaboration.selectors import activities_visible_to

    if not activities_visible_to(actor).filter(pk=activity_id).exists():
        raise NotFound()
    # Lock by primary key: PostgreSQL refuses FOR UPDATE on the scoped (DISTINCT) query.
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("plan__district")
        .get(pk=activity_id)
    )
    if not can_update_activity(actor, activity):
        raise NotAllowed("Bara den ansvariga aktören uppdaterar sin aktivitet.")
    if status not in ActivityStatus.values:
        raise InvalidInput("status", "Välj status.")
    if note.strip():
        guard_text("note", note, refuse_names=True, confirmed=False)
    changed = status != activity.status or (due_date is not None and due_date != activity.due_date)
    if not changed and not note.strip():
        raise InvalidInput("note", "Ändra status eller skriv en lägesrapport.")
    activity.status = status
    if due_date is not None:
        activity.due_date = due_date
    activity.save()
    if note.strip():
        ProgressNote.objects.create(
            activity=activity, text=note.strip(), author=actor, at=timezone.now()
        )
    _audit(actor, AuditAction.CHANGE, activity, activity.plan.district, status=status)
    return activity


# --- indicators -------------------------------------------------------------------------


@transaction.atomic
def indicator_create(
    *,
    actor: Any,
    district: Organisation,
    name: str,
    kind: str,
    forum: Forum | None = None,
    agreement: Any = None,
    unit: str = "",
    higher_is_better: bool = True,
    description: str = "",
) -> Indicator:
    """A result indicator of the actor's district, defined for its forum or its agreement."""
    _own_district(actor, district)
    if not name.strip():
        raise InvalidInput("name", "Ange indikatorns namn.")
    if kind not in IndicatorKind.values:
        raise InvalidInput("kind", "Välj hur indikatorn beräknas.")
    if forum is None and agreement is None:
        raise InvalidInput("forum", "Välj forumet eller avtalet som indikatorn gäller.")
    if forum is not None and forum.district_id != district.pk:
        raise InvalidInput("forum", "Välj ett forum som stadsdelsområdet sammankallar.")
    if agreement is not None and not agreement.parties.filter(organisation=district).exists():
        raise InvalidInput("agreement", "Välj ett avtal där stadsdelsområdet är part.")
    indicator = Indicator.objects.create(
        district=district,
        name=name.strip(),
        kind=kind,
        forum=forum,
        agreement=agreement,
        unit=unit.strip(),
        higher_is_better=higher_is_better,
        description=description.strip(),
    )
    _audit(actor, AuditAction.CREATE, indicator, district, kind=kind)
    return indicator


@transaction.atomic
def indicator_value_enter(
    *, actor: Any, indicator_id: int, term: str, value: Decimal, source: str
) -> IndicatorValue:
    indicator = Indicator.objects.select_related("district").filter(pk=indicator_id).first()
    if indicator is None or indicator.district_id not in _orgs(actor):
        raise NotFound()
    _require_coordinator(actor, indicator.district_id)
    try:
        term_key = rules.Term.from_key(term).key
    except ValueError as error:
        raise InvalidInput("term", str(error)) from error
    if not source.strip():
        raise InvalidInput("source", "Ange källan till värdet.")
    entry, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        term=term_key,
        defaults={"value": value, "source": source.strip(), "entered_by": actor},
    )
    _audit(actor, AuditAction.CHANGE, entry, indicator.district, term=term_key)
    return entry


# --- concern reports from schools -----------------------------------------------------------


@dataclass(frozen=True)
class SchoolReportInput:
    person_id: str | None
    birth_date: date | None
    registered_municipality: str  # kommunkod where the pupil is registered (folkbokförd)
    registered_district: str | None  # Stockholm district name, when the municipality is 0180
    narrative: str
    reporter_name: str
    reporter_title: str = ""
    reporter_phone: str = ""
    wants_feedback: bool = False


def school_report_file(
    *, actor: Any, data: SchoolReportInput, received_at: datetime | None = None
) -> Any:
    """A school's concern report (SoL 19 kap. 1 §) through the single-entry services.

    Routed by the pupil's registered district — not the school's — to that intake
    unit, with the same handover and deadline tracking (`intake.services`).
    Returns the intake `ConcernReport`. Errors: intake's `InvalidInput`/`NotAllowed`.
    """
    from samverkan.intake import services as intake
    from samverkan.intake.models import SourceChannel

    if not isinstance(actor, User) or actor.organisation is None:
        raise intake.NotAllowed("Bara personal på en skolenhet anmäler oro för sina elever här.")
    school = getattr(actor.organisation, "school", None)
    if school is None:
        raise intake.NotAllowed("Bara personal på en skolenhet anmäler oro för sina elever här.")
    if not data.narrative.strip():
        raise intake.InvalidInput("narrative", "Beskriv vad som ger skolan anledning till oro.")
    if not data.reporter_name.strip():
        raise intake.InvalidInput("reporter_name", "Ange ditt namn.")
    located = school.district
    municipality = located.parent if located.kind == "district" and located.parent else located
    result = intake.report_register(
        actor=actor,
        data=intake.ReportInput(
            person_id=data.person_id or None,
            birth_date=data.birth_date if not data.person_id else None,
            found_in=municipality.code,
            home_municipality=data.registered_municipality or None,
            home_district=(data.registered_district or None),
            gang_related=False,
            reporting_officer_name=data.reporter_name.strip(),
            reporting_officer_unit=", ".join(
                part for part in (data.reporter_title.strip(), actor.organisation.name) if part
            ),
            reporting_officer_phone=data.reporter_phone.strip(),
            narrative=data.narrative.strip(),
            wants_feedback=data.wants_feedback,
            source_channel=SourceChannel.SCHOOL,
        ),
        received_at=received_at,
    )
    return result.report
