"""Homecoming API (/api/v1/homecoming): the same reads and writes as the web pages.

Reads go through `selectors.plan_view`/`plan_list`: scoped to the parties, redacted
by the recorded basis and audited — a field the viewer's party may not see is
`null` and `sections` lists what is shown. Errors: 422 (with the Swedish message),
403, 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from samverkan.agreements.api import VerifiedSessionAuth
from samverkan.core.api_lookups import organisation_in_body
from samverkan.core.api_schemas import PersonalDataGuardedSchema
from samverkan.core.errors import NotAllowed, NotFound
from samverkan.homecoming import access, selectors, services
from samverkan.homecoming.forms import HOMECOMING_TEXTS
from samverkan.homecoming.models import SharingBasis
from samverkan.homecoming.selectors import PlanView

router = Router(tags=["homecoming"], auth=[VerifiedSessionAuth()])


def _member(request: HttpRequest) -> Any:
    if not access.works_with_plans(request.user):
        raise NotAllowed("Du har ingen roll som arbetar med hemtagningsplaner.")
    return request.user


# The schemas read the selectors' views (PlanView, ActionView …) by their attributes: the
# API names an organisation by its code.
class ActionOut(Schema):
    id: int
    party: str = Field(alias="party_code")
    text: str
    owner_name: str
    due_date: date
    status: str
    completed_on: date | None
    note: str
    overdue: bool
    can_update: bool


class ContactOut(Schema):
    organisation: str
    name: str
    title: str
    phone: str


class FollowUpOut(Schema):
    held_on: date
    text: str


class PlanOut(Schema):
    id: int
    reference: str
    district: str = Field(alias="district_code")
    police_unit: str = Field(alias="police_unit_code")
    school: str | None = Field(alias="school_code")
    status: str
    viewer_party: str
    sharing_basis: str
    basis_recorded_on: date | None
    sections: list[str]
    person_id: str | None
    name: str | None
    age: int | None
    expected_release: date | None
    released_on: date | None
    risk_level: str | None
    concrete_risk: str | None
    sis_home: str | None
    risk_assessment: str | None
    basis_note: str | None

    @staticmethod
    def resolve_sections(view: PlanView) -> list[str]:
        return sorted(str(s) for s in view.sections)


class PlanDetailOut(PlanOut):
    actions: list[ActionOut]
    contacts: list[ContactOut] | None
    follow_ups: list[FollowUpOut] | None


def _read(request: HttpRequest, plan_id: int, reason: str = "API") -> PlanView:
    view = selectors.plan_view(_member(request), plan_id, reason=reason)
    if view is None:
        raise NotFound("Planen finns inte.")
    return view


@router.get("/plans", response=list[PlanOut])
def plan_list(request: HttpRequest) -> list[PlanView]:
    return selectors.plan_list(_member(request), reason="API, lista")


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def plan_detail(request: HttpRequest, plan_id: int) -> PlanView:
    return _read(request, plan_id)


class PlanIn(PersonalDataGuardedSchema):
    numbers_only_fields = HOMECOMING_TEXTS
    district: str
    police_unit: str
    school: str | None = None
    person_id: str
    name: str
    sis_home: str
    expected_release: date
    risk_level: str
    concrete_risk: str = ""
    risk_assessment: str = ""
    sharing_basis: str = SharingBasis.NONE
    basis_note: str = ""


@router.post("/plans", response={201: PlanDetailOut})
def plan_create(request: HttpRequest, payload: PlanIn) -> Any:
    data = payload.dict()
    plan = services.plan_create(
        actor=_member(request),
        **{
            **data,
            "district": organisation_in_body(payload.district, "district"),
            "police_unit": organisation_in_body(payload.police_unit, "police_unit"),
            "school": organisation_in_body(payload.school, "school") if payload.school else None,
        },
    )
    return Status(201, _read(request, plan.pk, "API, ny plan"))


class BasisIn(PersonalDataGuardedSchema):
    numbers_only_fields = HOMECOMING_TEXTS
    sharing_basis: str
    basis_note: str = ""
    concrete_risk: str = ""
    # true once the caller has seen (422) what the police will no longer see
    confirm_police_loss: bool = False


@router.post("/plans/{plan_id}/basis", response=PlanDetailOut)
def plan_basis(request: HttpRequest, plan_id: int, payload: BasisIn) -> PlanView:
    services.basis_record(actor=_member(request), plan_id=plan_id, **payload.dict())
    return _read(request, plan_id)


class AssessmentIn(PersonalDataGuardedSchema):
    numbers_only_fields = HOMECOMING_TEXTS
    expected_release: date
    risk_level: str
    concrete_risk: str = ""
    risk_assessment: str = ""
    sis_home: str


@router.post("/plans/{plan_id}/assessment", response=PlanDetailOut)
def plan_assessment(request: HttpRequest, plan_id: int, payload: AssessmentIn) -> PlanView:
    services.plan_update(actor=_member(request), plan_id=plan_id, **payload.dict())
    return _read(request, plan_id)


@router.post("/plans/{plan_id}/close", response=PlanDetailOut)
def plan_close(request: HttpRequest, plan_id: int) -> PlanView:
    services.plan_close(actor=_member(request), plan_id=plan_id)
    return _read(request, plan_id)


class ActionIn(PersonalDataGuardedSchema):
    numbers_only_fields = ("text",)
    party: str
    text: str
    owner_name: str
    due_date: date


class CreatedOut(Schema):
    id: int


@router.post("/plans/{plan_id}/actions", response={201: CreatedOut})
def action_create(request: HttpRequest, plan_id: int, payload: ActionIn) -> Any:
    party = organisation_in_body(payload.party, "party")
    # the payload's fields are the service's, with the party chosen by code
    action = services.action_add(
        actor=_member(request), plan_id=plan_id, **{**payload.dict(), "party": party}
    )
    return Status(201, CreatedOut(id=action.pk))


class ActionUpdateIn(PersonalDataGuardedSchema):
    numbers_only_fields = ("note",)
    status: str
    note: str = ""
    completed_on: date | None = None


@router.post("/actions/{action_id}", response=CreatedOut)
def action_update(request: HttpRequest, action_id: int, payload: ActionUpdateIn) -> CreatedOut:
    action = services.action_update(actor=_member(request), action_id=action_id, **payload.dict())
    return CreatedOut(id=action.pk)


class ContactIn(Schema):
    organisation: str
    name: str
    title: str
    phone: str = ""


@router.post("/plans/{plan_id}/contacts", response={201: CreatedOut})
def contact_create(request: HttpRequest, plan_id: int, payload: ContactIn) -> Any:
    actor = _member(request)
    organisation = organisation_in_body(payload.organisation, "organisation")
    contact = services.contact_add(
        actor=actor, plan_id=plan_id, **{**payload.dict(), "organisation": organisation}
    )
    return Status(201, CreatedOut(id=contact.pk))


class ReturnIn(Schema):
    released_on: date


@router.post("/plans/{plan_id}/return", response=PlanDetailOut)
def plan_return(request: HttpRequest, plan_id: int, payload: ReturnIn) -> PlanView:
    services.return_record(
        actor=_member(request),
        plan_id=plan_id,
        released_on=payload.released_on,
    )
    return _read(request, plan_id)


class FollowUpIn(PersonalDataGuardedSchema):
    numbers_only_fields = ("text",)
    held_on: date
    text: str


@router.post("/plans/{plan_id}/follow-ups", response={201: CreatedOut})
def follow_up_create(request: HttpRequest, plan_id: int, payload: FollowUpIn) -> Any:
    follow_up = services.follow_up_add(
        actor=_member(request),
        plan_id=plan_id,
        held_on=payload.held_on,
        text=payload.text,
    )
    return Status(201, CreatedOut(id=follow_up.pk))


class DueActionOut(Schema):
    id: int
    plan: int = Field(alias="plan_id")
    plan_reference: str
    text: str
    due_date: date
    overdue: bool


@router.get("/due-actions", response=list[DueActionOut])
def actions_due(request: HttpRequest, days: int = 0) -> list[selectors.DueAction]:
    """The caller's party's open actions past their date (or within `days` days)."""
    return selectors.overdue_actions_for(_member(request), soon_days=max(0, min(days, 90)))
