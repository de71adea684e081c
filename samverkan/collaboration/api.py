"""Local collaboration API (/api/v1/collaboration): the same reads and writes as the web UI.

Web users authenticate with their session (second factor passed). Errors are the
services' Swedish messages: 422 bad input (with `field`), 403, 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from samverkan.accounts.access import has_role
from samverkan.accounts.models import RoleCode
from samverkan.agreements.api import VerifiedSessionAuth
from samverkan.collaboration import rules, selectors, services
from samverkan.collaboration.forms import today
from samverkan.collaboration.models import Function
from samverkan.registry.models import Organisation

router = Router(tags=["collaboration"], auth=[VerifiedSessionAuth()])

T = TypeVar("T")

# The same roles as the pages (collaboration.views): an organisation's other staff
# (the hub, agreement administrators, ...) do not read its collaboration data here either.
COORDINATOR = (RoleCode.COLLABORATION_COORDINATOR,)
PARTICIPANTS = (*COORDINATOR, RoleCode.SCHOOL_STAFF, RoleCode.RECEIVER, RoleCode.ANALYST)
PLAN_READERS = (*PARTICIPANTS, RoleCode.POLICE_OPERATOR)
SCHOOL_STAFF = (RoleCode.SCHOOL_STAFF,)


def _require_role(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_role(request.user, *roles):
        raise HttpError(403, _("Du har inte behörighet till detta."))


def _call(function: Callable[..., T], **kwargs: Any) -> T:
    """Run a service; its Swedish errors become HTTP errors with the same message."""
    try:
        return function(**kwargs)
    except services.CollaborationError as error:
        raise HttpError(error.status_code, error.message) from error


def _organisation(code: str, field: str) -> Organisation:
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        raise HttpError(422, f"Okänd organisation i {field}: {code!r}.")
    return organisation


# --- forums -----------------------------------------------------------------------------


class FunctionOut(Schema):
    function: str
    label: str
    present: int
    held: int


class ComplianceOut(Schema):
    term: str
    required: int
    held: int
    planned: int
    meetings_met: bool
    functions_met: bool
    state: str
    functions: list[FunctionOut]


class ForumOut(Schema):
    id: int
    name: str
    kind: str
    district: str
    required_per_term: int
    required_functions: list[str]
    current: ComplianceOut


def _compliance(row: rules.TermCompliance) -> ComplianceOut:
    return ComplianceOut(
        term=row.term.key,
        required=row.required,
        held=row.held,
        planned=row.planned,
        meetings_met=row.meetings_met,
        functions_met=row.functions_met,
        state=row.state,
        functions=[
            FunctionOut(
                function=f.function,
                label=selectors.function_label(f.function),
                present=f.present,
                held=f.held,
            )
            for f in row.functions
        ],
    )


@router.get("/forums", response=list[ForumOut])
def forum_list(request: HttpRequest) -> list[ForumOut]:
    _require_role(request, PARTICIPANTS)
    day = today()
    return [
        ForumOut(
            id=forum.pk,
            name=forum.name,
            kind=forum.kind,
            district=forum.district.code,
            required_per_term=forum.required_per_term,
            required_functions=list(forum.required_functions),
            current=_compliance(selectors.forum_compliance(forum, today=day, terms=1)[0]),
        )
        for forum in selectors.forums_visible_to(request.user)
    ]


@router.get("/forums/{forum_id}/compliance", response=list[ComplianceOut])
def forum_compliance(request: HttpRequest, forum_id: int, terms: int = 4) -> list[ComplianceOut]:
    _require_role(request, PARTICIPANTS)
    forum = selectors.forums_visible_to(request.user).filter(pk=forum_id).first()
    if forum is None:
        raise HttpError(404, "Forumet finns inte.")
    rows = selectors.forum_compliance(forum, today=today(), terms=max(1, min(terms, 20)))
    return [_compliance(row) for row in rows]


class DecisionIn(Schema):
    text: str
    owner: str  # organisation code
    due_date: date


class MeetingIn(Schema):
    held_on: date
    status: str = "held"
    agenda: str = ""
    minutes: str = ""
    functions_present: list[str] = []
    decisions: list[DecisionIn] = []
    follow_ups: dict[int, str] = {}  # decision id → status
    confirmed_no_personal_data: bool = False


class MeetingOut(Schema):
    id: int
    forum: int
    held_on: date
    status: str
    functions_present: list[str]


@router.post("/forums/{forum_id}/meetings", response={201: MeetingOut})
def meeting_create(request: HttpRequest, forum_id: int, payload: MeetingIn) -> tuple[int, Any]:
    _require_role(request, COORDINATOR)
    unknown = set(payload.functions_present) - set(Function.values)
    if unknown:
        raise HttpError(422, f"Okänd funktion: {', '.join(sorted(unknown))}.")
    data = services.MeetingInput(
        held_on=payload.held_on,
        status=payload.status,
        agenda=payload.agenda,
        minutes=payload.minutes,
        functions_present=payload.functions_present,
        decisions=[
            services.DecisionInput(
                text=d.text, owner=_organisation(d.owner, "owner"), due_date=d.due_date
            )
            for d in payload.decisions
        ],
        follow_ups={k: (v, "") for k, v in payload.follow_ups.items()},
        confirmed_no_personal_data=payload.confirmed_no_personal_data,
    )
    meeting = _call(services.meeting_record, actor=request.user, forum_id=forum_id, data=data)
    return 201, MeetingOut(
        id=meeting.pk,
        forum=meeting.forum_id,
        held_on=meeting.held_on,
        status=meeting.status,
        functions_present=[a.function for a in meeting.attendance.all()],
    )


# --- co-location ---------------------------------------------------------------------------


class CalendarDayOut(Schema):
    day: date
    working_day: bool
    stationed: list[str]


@router.get("/colocation/calendar", response=list[CalendarDayOut])
def colocation_calendar(
    request: HttpRequest, start: date | None = None, days: int = 28
) -> list[CalendarDayOut]:
    _require_role(request, COORDINATOR)
    colocations = list(selectors.colocations_visible_to(request.user))
    calendar = selectors.colocation_calendar(
        colocations, start or today(), days=max(1, min(days, 366))
    )
    return [
        CalendarDayOut(
            day=d.day,
            working_day=d.working_day,
            stationed=[f"{c.social_worker} ({c.police_unit.code})" for c in d.stationed],
        )
        for d in calendar
    ]


class ConsultationIn(Schema):
    district: str
    police_unit: str
    held_on: date
    question_type: str
    question: str
    advice: str
    report_followed: str = "unknown"
    report_filed_on: date | None = None
    confirmed_no_personal_data: bool = False


class CreatedOut(Schema):
    id: int


@router.post("/consultations", response={201: CreatedOut})
def consultation_create(request: HttpRequest, payload: ConsultationIn) -> tuple[int, Any]:
    _require_role(request, COORDINATOR)
    consultation = _call(
        services.consultation_record,
        actor=request.user,
        district=_organisation(payload.district, "district"),
        police_unit=_organisation(payload.police_unit, "police_unit"),
        held_on=payload.held_on,
        question_type=payload.question_type,
        question=payload.question,
        advice=payload.advice,
        report_followed=payload.report_followed,
        report_filed_on=payload.report_filed_on,
        confirmed_no_personal_data=payload.confirmed_no_personal_data,
    )
    return 201, CreatedOut(id=consultation.pk)


class TrainingIn(Schema):
    district: str
    police_unit: str
    held_on: date
    topic: str
    participants: int


@router.post("/trainings", response={201: CreatedOut})
def training_create(request: HttpRequest, payload: TrainingIn) -> tuple[int, Any]:
    _require_role(request, COORDINATOR)
    training = _call(
        services.training_record,
        actor=request.user,
        district=_organisation(payload.district, "district"),
        police_unit=_organisation(payload.police_unit, "police_unit"),
        held_on=payload.held_on,
        topic=payload.topic,
        participants=payload.participants,
    )
    return 201, CreatedOut(id=training.pk)


# --- situational picture and action plans ------------------------------------------------------


class CellOut(Schema):
    label: str
    count: int | None  # null: suppressed (fewer than the threshold)


class PictureOut(Schema):
    id: int
    district: str
    title: str
    period_start: date
    period_end: date
    suppressed_below: int | None
    total: int | None
    by_reporter: list[CellOut]
    by_age: list[CellOut]
    by_area: list[CellOut]
    texts: list[dict[str, str]]


@router.get("/situational-pictures/{picture_id}", response=PictureOut)
def picture_detail(request: HttpRequest, picture_id: int) -> PictureOut:
    _require_role(request, PLAN_READERS)
    picture = selectors.pictures_visible_to(request.user).filter(pk=picture_id).first()
    if picture is None:
        raise HttpError(404, "Lägesbilden finns inte.")
    tables = selectors.picture_tables(picture, request.user)

    def cells(items: list[selectors.Cell]) -> list[CellOut]:
        return [CellOut(label=c.label, count=c.count) for c in items]

    return PictureOut(
        id=picture.pk,
        district=picture.district.code,
        title=picture.title,
        period_start=picture.period_start,
        period_end=picture.period_end,
        suppressed_below=None if tables["inside"] else tables["threshold"],
        total=tables["total"].count,
        by_reporter=cells(tables["by_reporter"]),
        by_age=cells(tables["by_age"]),
        by_area=cells(tables["by_area"]),
        texts=[
            {"organisation": c.organisation.code, "text": c.text}
            for c in picture.contributions.select_related("organisation")
        ],
    )


class ActivityOut(Schema):
    id: int
    title: str
    owner: str
    target_group: str
    status: str
    due_date: date
    can_update: bool
    notes: list[str]


@router.get("/action-plans/{plan_id}/activities", response=list[ActivityOut])
def plan_activities(request: HttpRequest, plan_id: int) -> list[ActivityOut]:
    _require_role(request, PLAN_READERS)
    plan = selectors.plans_visible_to(request.user).filter(pk=plan_id).first()
    if plan is None:
        raise HttpError(404, "Åtgärdsplanen finns inte.")
    activities = (
        selectors.activities_visible_to(request.user)
        .filter(plan=plan)
        .select_related("owner")
        .prefetch_related("notes")
    )
    return [
        ActivityOut(
            id=a.pk,
            title=a.title,
            owner=a.owner.code,
            target_group=a.target_group,
            status=a.status,
            due_date=a.due_date,
            can_update=services.can_update_activity(request.user, a),
            notes=[n.text for n in a.notes.all()],
        )
        for a in activities
    ]


class ActivityUpdateIn(Schema):
    status: str
    note: str = ""
    due_date: date | None = None


@router.post("/activities/{activity_id}", response=CreatedOut)
def activity_update(request: HttpRequest, activity_id: int, payload: ActivityUpdateIn) -> Any:
    _require_role(request, PLAN_READERS)
    activity = _call(
        services.activity_update,
        actor=request.user,
        activity_id=activity_id,
        status=payload.status,
        note=payload.note,
        due_date=payload.due_date,
    )
    return CreatedOut(id=activity.pk)


# --- schools ---------------------------------------------------------------------------------


class SchoolOut(Schema):
    code: str
    name: str
    operator: str
    forms: list[str]
    district: str
    agreement: str | None


@router.get("/schools", response=list[SchoolOut])
def school_list(request: HttpRequest, district: str | None = None) -> list[SchoolOut]:
    _require_role(request, PARTICIPANTS)
    located = _organisation(district, "district") if district else None
    return [
        SchoolOut(
            code=row.school.organisation.code,
            name=row.school.organisation.name,
            operator=row.school.operator,
            forms=row.school.school_forms,
            district=row.school.district.code,
            agreement=row.agreement.reference if row.agreement else None,
        )
        for row in selectors.school_register(located)
    ]


class SchoolReportIn(Schema):
    person_id: str | None = None
    birth_date: date | None = None
    registered_municipality: str
    registered_district: str | None = None
    narrative: str
    reporter_name: str
    reporter_title: str = ""
    reporter_phone: str = ""
    wants_feedback: bool = False


class SchoolReportOut(Schema):
    public_id: str
    status: str
    receiver: str
    preliminary_assessment_due: date


@router.post("/school-reports", response={201: SchoolReportOut})
def school_report_create(request: HttpRequest, payload: SchoolReportIn) -> tuple[int, Any]:
    _require_role(request, SCHOOL_STAFF)
    report = _call(
        services.school_report_file,
        actor=request.user,
        data=services.SchoolReportInput(**payload.dict()),
    )
    return 201, SchoolReportOut(
        public_id=str(report.public_id),
        status=report.status,
        receiver=report.controller.code,
        preliminary_assessment_due=report.preliminary_assessment_due,
    )


# --- indicators --------------------------------------------------------------------------------


class PointOut(Schema):
    term: str
    value: float | None
    source: str
    detail: str


class IndicatorOut(Schema):
    id: int
    name: str
    kind: str
    forum: int | None
    agreement: int | None
    unit: str
    trend: str
    good: bool | None
    points: list[PointOut]


@router.get("/indicators", response=list[IndicatorOut])
def indicator_list(request: HttpRequest, terms: int = 4) -> list[IndicatorOut]:
    _require_role(request, PARTICIPANTS)
    result = []
    for indicator in selectors.indicators_visible_to(request.user):
        series = selectors.indicator_series(indicator, today=today(), terms=max(1, min(terms, 20)))
        result.append(
            IndicatorOut(
                id=indicator.pk,
                name=indicator.name,
                kind=indicator.kind,
                forum=indicator.forum_id,
                agreement=indicator.agreement_id,
                unit=indicator.unit,
                trend=series.trend,
                good=series.good,
                points=[
                    PointOut(term=p.term.key, value=p.value, source=p.source, detail=p.detail)
                    for p in series.points
                ],
            )
        )
    return result


class IndicatorValueIn(Schema):
    term: str
    value: Decimal
    source: str


@router.put("/indicators/{indicator_id}/values", response=CreatedOut)
def indicator_value(request: HttpRequest, indicator_id: int, payload: IndicatorValueIn) -> Any:
    _require_role(request, COORDINATOR)
    entry = _call(
        services.indicator_value_enter,
        actor=request.user,
        indicator_id=indicator_id,
        term=payload.term,
        value=payload.value,
        source=payload.source,
    )
    return CreatedOut(id=entry.pk)


# --- creating and changing (the same services as the web forms) --------------------------------


def _forum_of(request: HttpRequest, forum_id: int | None) -> Any:
    if forum_id is None:
        return None
    forum = selectors.forums_visible_to(request.user).filter(pk=forum_id).first()
    if forum is None:
        raise HttpError(422, f"Okänt forum: {forum_id}.")
    return forum


class ForumSettingsIn(Schema):
    name: str
    required_per_term: int
    required_functions: list[str] = []
    parties: list[str] = []  # organisation codes; the convening district is always a party
    purpose: str = ""


class ForumIn(ForumSettingsIn):
    district: str
    kind: str


def _forum_settings(payload: ForumSettingsIn) -> dict[str, Any]:
    return {
        "name": payload.name,
        "required_per_term": payload.required_per_term,
        "required_functions": payload.required_functions,
        "parties": [_organisation(code, "parties") for code in payload.parties],
        "purpose": payload.purpose,
    }


@router.post("/forums", response={201: CreatedOut})
def forum_create(request: HttpRequest, payload: ForumIn) -> tuple[int, Any]:
    _require_role(request, COORDINATOR)
    forum = _call(
        services.forum_create,
        actor=request.user,
        district=_organisation(payload.district, "district"),
        kind=payload.kind,
        **_forum_settings(payload),
    )
    return 201, CreatedOut(id=forum.pk)


@router.put("/forums/{forum_id}", response=CreatedOut)
def forum_update(request: HttpRequest, forum_id: int, payload: ForumSettingsIn) -> Any:
    _require_role(request, COORDINATOR)
    forum = _call(
        services.forum_update,
        actor=request.user,
        forum_id=forum_id,
        **_forum_settings(payload),
    )
    return CreatedOut(id=forum.pk)


class CoLocationIn(Schema):
    district: str
    police_unit: str
    social_worker: str
    weekdays: list[int]  # 0 = Monday … 4 = Friday
    valid_from: date
    valid_to: date | None = None
    note: str = ""


class CoLocationChangeIn(Schema):
    weekdays: list[int]
    effective_from: date
    valid_to: date | None = None


@router.post("/colocations", response={201: CreatedOut})
def colocation_create(request: HttpRequest, payload: CoLocationIn) -> tuple[int, Any]:
    _require_role(request, COORDINATOR)
    colocation = _call(
        services.colocation_create,
        actor=request.user,
        district=_organisation(payload.district, "district"),
        police_unit=_organisation(payload.police_unit, "police_unit"),
        social_worker=payload.social_worker,
        weekdays=payload.weekdays,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        note=payload.note,
    )
    return 201, CreatedOut(id=colocation.pk)


@router.post("/colocations/{colocation_id}/changes", response=CreatedOut)
def colocation_change(request: HttpRequest, colocation_id: int, payload: CoLocationChangeIn) -> Any:
    """Answers with the entry valid from `effective_from` (a new one when the days changed)."""
    _require_role(request, COORDINATOR)
    colocation = _call(
        services.colocation_change,
        actor=request.user,
        colocation_id=colocation_id,
        weekdays=payload.weekdays,
        effective_from=payload.effective_from,
        valid_to=payload.valid_to,
    )
    return CreatedOut(id=colocation.pk)


class SeriousTalkIn(Schema):
    district: str
    police_unit: str
    held_on: date
    person_id: str
    social_worker: str
    police_officer: str
    guardians_present: bool = True
    plan_agreed: bool = False
    follow_up: str = ""


@router.post("/serious-talks", response={201: CreatedOut})
def serious_talk_create(request: HttpRequest, payload: SeriousTalkIn) -> tuple[int, Any]:
    _require_role(request, (*COORDINATOR, RoleCode.RECEIVER))
    data = payload.dict()
    talk = _call(
        services.serious_talk_record,
        actor=request.user,
        **{
            **data,
            "district": _organisation(payload.district, "district"),
            "police_unit": _organisation(payload.police_unit, "police_unit"),
        },
    )
    return 201, CreatedOut(id=talk.pk)


class PeriodIn(Schema):
    district: str
    title: str
    period_start: date
    period_end: date


class ActionPlanIn(PeriodIn):
    situational_picture: int | None = None


class TextIn(Schema):
    text: str


@router.post("/situational-pictures", response={201: CreatedOut})
def picture_create(request: HttpRequest, payload: PeriodIn) -> tuple[int, Any]:
    _require_role(request, COORDINATOR)
    picture = _call(
        services.situational_picture_create,
        actor=request.user,
        district=_organisation(payload.district, "district"),
        title=payload.title,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return 201, CreatedOut(id=picture.pk)


@router.post("/situational-pictures/{picture_id}/texts", response={201: CreatedOut})
def picture_text_add(request: HttpRequest, picture_id: int, payload: TextIn) -> tuple[int, Any]:
    _require_role(request, PLAN_READERS)
    contribution = _call(
        services.contribution_add, actor=request.user, picture_id=picture_id, text=payload.text
    )
    return 201, CreatedOut(id=contribution.pk)


@router.post("/action-plans", response={201: CreatedOut})
def plan_create(request: HttpRequest, payload: ActionPlanIn) -> tuple[int, Any]:
    _require_role(request, COORDINATOR)
    district = _organisation(payload.district, "district")
    picture = None
    if payload.situational_picture is not None:
        picture = (
            selectors.pictures_visible_to(request.user)
            .filter(pk=payload.situational_picture, district=district)
            .first()
        )
        if picture is None:
            raise HttpError(422, "Lägesbilden finns inte för det stadsdelsområdet.")
    plan = _call(
        services.action_plan_create,
        actor=request.user,
        district=district,
        title=payload.title,
        period_start=payload.period_start,
        period_end=payload.period_end,
        situational_picture=picture,
    )
    return 201, CreatedOut(id=plan.pk)


class ActivityIn(Schema):
    title: str
    owner: str
    target_group: str
    due_date: date
    status: str = "planned"


@router.post("/action-plans/{plan_id}/activities", response={201: CreatedOut})
def activity_create(request: HttpRequest, plan_id: int, payload: ActivityIn) -> tuple[int, Any]:
    _require_role(request, COORDINATOR)
    activity = _call(
        services.activity_add,
        actor=request.user,
        plan_id=plan_id,
        title=payload.title,
        owner=_organisation(payload.owner, "owner"),
        target_group=payload.target_group,
        due_date=payload.due_date,
        status=payload.status,
    )
    return 201, CreatedOut(id=activity.pk)


class IndicatorIn(Schema):
    district: str
    name: str
    kind: str
    forum: int | None = None
    agreement: str | None = None  # the agreement's reference (diarienummer)
    unit: str = ""
    higher_is_better: bool = True
    description: str = ""


@router.post("/indicators", response={201: CreatedOut})
def indicator_create(request: HttpRequest, payload: IndicatorIn) -> tuple[int, Any]:
    _require_role(request, COORDINATOR)
    from samverkan.agreements.models import Agreement

    agreement = None
    if payload.agreement is not None:
        agreement = Agreement.objects.filter(reference=payload.agreement).first()
        if agreement is None:
            raise HttpError(422, f"Okänt avtal: {payload.agreement!r}.")
    indicator = _call(
        services.indicator_create,
        actor=request.user,
        district=_organisation(payload.district, "district"),
        name=payload.name,
        kind=payload.kind,
        forum=_forum_of(request, payload.forum),
        agreement=agreement,
        unit=payload.unit,
        higher_is_better=payload.higher_is_better,
        description=payload.description,
    )
    return 201, CreatedOut(id=indicator.pk)
