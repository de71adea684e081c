"""Forums and their meetings in the collaboration API: compliance, minutes, settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from samverkan.collaboration import access, rules
from samverkan.collaboration.common import api as shared
from samverkan.collaboration.common.forms import today
from samverkan.collaboration.forums import selectors, services
from samverkan.collaboration.models import Function
from samverkan.core.api_lookups import organisation_in_body
from samverkan.core.api_schemas import PersonalDataGuardedSchema
from samverkan.core.errors import InvalidInput, NotFound

router = shared.CollaborationRouter()


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
    shared.require_role(request, access.PARTICIPANTS)
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
        for forum in access.forums_visible_to(request.user)
    ]


@router.get("/forums/{forum_id}/compliance", response=list[ComplianceOut])
def forum_compliance(request: HttpRequest, forum_id: int, terms: int = 4) -> list[ComplianceOut]:
    shared.require_role(request, access.PARTICIPANTS)
    forum = access.forums_visible_to(request.user).filter(pk=forum_id).first()
    if forum is None:
        raise NotFound("Forumet finns inte.")
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
    shared.require_role(request, access.COORDINATORS)
    unknown = set(payload.functions_present) - set(Function.values)
    if unknown:
        raise InvalidInput("functions_present", f"Okänd funktion: {', '.join(sorted(unknown))}.")
    data = services.MeetingInput(
        held_on=payload.held_on,
        status=payload.status,
        agenda=payload.agenda,
        minutes=payload.minutes,
        functions_present=payload.functions_present,
        decisions=[
            services.DecisionInput(
                text=d.text, owner=organisation_in_body(d.owner, "owner"), due_date=d.due_date
            )
            for d in payload.decisions
        ],
        follow_ups={k: (v, "") for k, v in payload.follow_ups.items()},
        confirmed_no_personal_data=payload.confirmed_no_personal_data,
    )
    meeting = services.meeting_record(actor=request.user, forum_id=forum_id, data=data)
    return 201, MeetingOut(
        id=meeting.pk,
        forum=meeting.forum_id,
        held_on=meeting.held_on,
        status=meeting.status,
        functions_present=[a.function for a in meeting.attendance.all()],
    )


class ForumSettingsIn(PersonalDataGuardedSchema):
    guarded_fields = ("purpose",)
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
        "parties": [organisation_in_body(code, "parties") for code in payload.parties],
        "purpose": payload.purpose,
    }


@router.post("/forums", response={201: shared.CreatedOut})
def forum_create(request: HttpRequest, payload: ForumIn) -> tuple[int, Any]:
    shared.require_role(request, access.COORDINATORS)
    return shared.created(
        services.forum_create(
            actor=request.user,
            district=organisation_in_body(payload.district, "district"),
            kind=payload.kind,
            **_forum_settings(payload),
        )
    )


@router.put("/forums/{forum_id}", response=shared.CreatedOut)
def forum_update(request: HttpRequest, forum_id: int, payload: ForumSettingsIn) -> Any:
    shared.require_role(request, access.COORDINATORS)
    forum = services.forum_update(
        actor=request.user,
        forum_id=forum_id,
        **_forum_settings(payload),
    )
    return shared.CreatedOut(id=forum.pk)
