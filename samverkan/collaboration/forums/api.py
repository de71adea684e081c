"""Forums and their meetings in the collaboration API: compliance, minutes, settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from samverkan.collaboration import access, rules
from samverkan.collaboration.common import api as shared
from samverkan.collaboration.common.forms import today
from samverkan.collaboration.forums import selectors, services
from samverkan.collaboration.models import Function
from samverkan.core.api_lookups import organisation_in_body
from samverkan.core.api_schemas import PersonalDataGuardedSchema
from samverkan.core.errors import InvalidInput, NotFound
from samverkan.core.mapping import copy_fields

router = shared.CollaborationRouter()


# Read from a `rules.FunctionCompliance`, with the function's name.
class FunctionOut(Schema):
    function: str
    label: str
    present: int
    held: int

    @staticmethod
    def resolve_label(row: rules.FunctionCompliance) -> str:
        return selectors.function_label(row.function)


# Read from a `rules.TermCompliance`; the term by its key.
class ComplianceOut(Schema):
    term: str = Field(alias="term.key")
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


# The endpoints answer with the compliance rows themselves, read once by the response
# schema: a ComplianceOut made here would be read again as if it were a row.
@router.get("/forums", response=list[ForumOut])
def forum_list(request: HttpRequest) -> list[dict[str, Any]]:
    shared.require_role(request, access.PARTICIPANTS)
    day = today()
    return [
        {
            "id": forum.pk,
            "name": forum.name,
            "kind": forum.kind,
            "district": forum.district.code,
            "required_per_term": forum.required_per_term,
            "required_functions": list(forum.required_functions),
            "current": selectors.forum_compliance(forum, today=day, terms=1)[0],
        }
        for forum in access.forums_visible_to(request.user)
    ]


@router.get("/forums/{forum_id}/compliance", response=list[ComplianceOut])
def forum_compliance(
    request: HttpRequest, forum_id: int, terms: int = 4
) -> list[rules.TermCompliance]:
    shared.require_role(request, access.PARTICIPANTS)
    forum = access.forums_visible_to(request.user).filter(pk=forum_id).first()
    if forum is None:
        raise NotFound("Forumet finns inte.")
    return selectors.forum_compliance(forum, today=today(), terms=max(1, min(terms, 20)))


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
    # The body's other fields are the meeting's, by the same names.
    data = copy_fields(
        services.MeetingInput,
        payload,
        decisions=[
            services.DecisionInput(
                text=d.text, owner=organisation_in_body(d.owner, "owner"), due_date=d.due_date
            )
            for d in payload.decisions
        ],
        follow_ups={k: (v, "") for k, v in payload.follow_ups.items()},
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
