"""Defector assignments over HTTP (/api/v1/defectors): the same actions as the pages.

Signed-in defector coordinators only (session with second factor, CSRF-checked);
police API clients have no access here. An assignment outside the caller's
two-party scope answers 404; a refused action 403 (wrong side), 422 (wrong
input, naming the field) or 409 (the assignment's state does not allow it, or
someone else acted first), each with the Swedish reason in the API's one error
shape. Amounts are decimal strings, never floats.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from samverkan.agreements.models import Agreement
from samverkan.core.api_lookups import organisation_in_body
from samverkan.core.api_schemas import PersonalDataGuardedSchema
from samverkan.core.errors import InvalidInput, NotAllowed, NotFound
from samverkan.defectors import access, rules, selectors, services
from samverkan.defectors.models import (
    Assignment,
    AssignmentEvent,
    ChildrenTask,
    PlannedIntervention,
    Reconciliation,
)
from samverkan.defectors.report import render_evaluation_pdf
from samverkan.registry.models import Organisation

router = Router(auth=django_auth, tags=["defectors"])
EnumT = TypeVar("EnumT", bound=Enum)
T = TypeVar("T")


def _user(request: HttpRequest) -> Any:
    user = request.user
    if not access.may_work_with_defectors(user):
        raise NotAllowed("Du har inte behörighet att arbeta med avhopparuppdrag.")
    return user


def _found(find: Callable[[], T], message: str) -> T:
    """What `find` reads, or NotFound when it does not exist or is not the caller's to see."""
    try:
        return find()
    except ObjectDoesNotExist as error:
        raise NotFound(message) from error


def _assignment(request: HttpRequest, pk: int, *, audit: bool = True) -> Assignment:
    user = _user(request)
    return _found(
        lambda: selectors.assignment_get(user=user, pk=pk, audit=audit), "Uppdraget finns inte."
    )


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    user = _user(request)
    return _found(lambda: selectors.agreement_get_for(user=user, pk=pk), "Avtalet finns inte.")


def _police_unit(code: str) -> Organisation | None:
    return organisation_in_body(code, "police_unit") if code else None


def _choice(field: str, choices: type[EnumT], value: str, message: str) -> EnumT:
    """`value` as a member of the enum `choices`, or a refusal naming the field."""
    try:
        return choices(value)
    except ValueError as error:
        raise InvalidInput(field, message) from error


# --- schemas ------------------------------------------------------------------------------


# The output schemas read the model instances the endpoints return. A field whose value is
# another attribute (an organisation's code, a foreign key's id) names it as its alias (the
# OpenAPI document keeps the field's own name); one that takes more has its `resolve_<field>`.


class AssignmentOut(Schema):
    id: int
    reference: str
    agreement: int = Field(alias="agreement_id")
    home_municipality: str = Field(alias="home_municipality.code")
    receiving_municipality: str = Field(alias="receiving_municipality.code")
    person_alias: str
    state: str
    state_reason: str
    handled_centrally: bool
    started_on: date | None
    ended_on: date | None


class EventOut(Schema):
    at: datetime
    from_state: str
    to_state: str
    side: str
    actor: str = Field(alias="actor_label")
    reason: str


class MissingOut(Schema):
    kind: str = Field(alias="kind.value")
    message: str


class AssignmentDetailOut(AssignmentOut):
    events: list[EventOut]
    missing_preconditions: list[MissingOut]
    open_children_tasks: int

    @staticmethod
    def resolve_events(a: Assignment) -> list[AssignmentEvent]:
        return list(a.events.order_by("at", "id"))

    @staticmethod
    def resolve_missing_preconditions(a: Assignment) -> list[rules.Missing]:
        return services.request_blockers(a) if a.state in services.BEFORE_REQUEST else []

    @staticmethod
    def resolve_open_children_tasks(a: Assignment) -> int:
        return a.children_tasks.filter(closed_at__isnull=True).count()


class AssignmentIn(PersonalDataGuardedSchema):
    guarded_fields = ("person_alias", "summary")
    agreement: int
    receiving_municipality: str
    person_alias: str
    summary: str = ""


class TransitionIn(PersonalDataGuardedSchema):
    guarded_fields = ("reason",)
    action: str  # consultation | request | accept | decline | activate | end
    reason: str = ""


class PreconditionIn(PersonalDataGuardedSchema):
    guarded_fields = ("note",)
    kind: str
    confirmed_on: date
    police_unit: str = ""
    police_unit_name: str = ""
    legal_basis: str = ""
    note: str = ""


class DefectorTextIn(PersonalDataGuardedSchema):
    guarded_fields = ("text",)
    text: str


class ThreatIn(PersonalDataGuardedSchema):
    guarded_fields = ("note",)
    assessed_on: date
    level: str
    relocation_needed: bool = False
    police_unit: str = ""
    note: str = ""


class DefectorConsultationIn(PersonalDataGuardedSchema):
    guarded_fields, numbers_only_fields = ("notes", "decisions"), ("participants",)
    held_on: date
    participants: str
    notes: str = ""
    decisions: str = ""


class DefectorPlanIn(PersonalDataGuardedSchema):
    guarded_fields = ("goals",)
    decided_on: date
    goals: str = ""


class InterventionIn(PersonalDataGuardedSchema):
    guarded_fields = ("description",)
    kind: str
    catalogue_code: str = ""
    description: str = ""


class InterventionOut(Schema):
    id: int
    kind: str
    name: str
    bearer: str = Field(alias="bearer.value")
    status: str
    decline_reason: str

    @staticmethod
    def resolve_name(i: PlannedIntervention) -> str:
        return str(i)


class CostIn(PersonalDataGuardedSchema):
    guarded_fields = ("note",)
    intervention: int
    incurred_on: date
    amount: str
    note: str = ""


class CostOut(Schema):
    id: int
    intervention: int = Field(alias="intervention_id")
    booked_by: str = Field(alias="booked_by_organisation.code")
    incurred_on: date
    period: str
    amount: Decimal
    note: str


class DefectorFollowUpIn(PersonalDataGuardedSchema):
    guarded_fields = ("intervention_status", "motivation", "threat", "next_step")
    numbers_only_fields = ("participants",)
    held_on: date
    participants: str = ""
    intervention_status: str = ""
    motivation: str = ""
    threat: str = ""
    next_step: str = ""


class ReconciliationIn(Schema):
    period: str
    other_party: str


class ReconciliationOut(Schema):
    id: int
    period: str
    party_a: str = Field(alias="party_a.code")
    party_b: str = Field(alias="party_b.code")
    a_for_b: Decimal
    b_for_a: Decimal
    deviation: Decimal
    threshold: Decimal
    equalisation: Decimal
    payer: str | None
    payee: str | None
    approved_a_at: datetime | None
    approved_b_at: datetime | None
    locked: bool

    @staticmethod
    def resolve_payer(r: Reconciliation) -> str | None:
        return r.payer.code if r.payer else None

    @staticmethod
    def resolve_payee(r: Reconciliation) -> str | None:
        payee = r.payee
        return payee.code if payee else None

    @staticmethod
    def resolve_locked(r: Reconciliation) -> bool:
        return r.locked_at is not None


class BalanceOut(Schema):
    party: str = Field(alias="party.code")
    sent: int
    received: int
    max_sent: int | None
    max_received: int | None


class IdOut(Schema):
    id: int


# --- endpoints ----------------------------------------------------------------------------


@router.get("/assignments", response=list[AssignmentOut])
def list_assignments(request: HttpRequest) -> Any:
    return selectors.assignment_list(user=_user(request))


@router.post("/assignments", response={201: AssignmentDetailOut})
def create_assignment(request: HttpRequest, payload: AssignmentIn) -> Any:
    assignment = services.assignment_create(
        actor=request.user,
        agreement=_agreement(request, payload.agreement),
        receiving_municipality=organisation_in_body(
            payload.receiving_municipality, "receiving_municipality"
        ),
        person_alias=payload.person_alias,
        summary=payload.summary,
    )
    return Status(201, assignment)


class AssignmentDraftIn(PersonalDataGuardedSchema):
    guarded_fields = ("person_alias", "summary")
    receiving_municipality: str
    person_alias: str
    summary: str = ""


@router.put("/assignments/{pk}", response=AssignmentDetailOut)
def edit_draft(request: HttpRequest, pk: int, payload: AssignmentDraftIn) -> Any:
    """Change a draft (only the home municipality, only before consultation)."""
    return services.assignment_edit(
        actor=request.user,
        assignment=_assignment(request, pk, audit=False),
        receiving_municipality=organisation_in_body(
            payload.receiving_municipality, "receiving_municipality"
        ),
        person_alias=payload.person_alias,
        summary=payload.summary,
    )


@router.get("/assignments/{pk}", response=AssignmentDetailOut)
def get_assignment(request: HttpRequest, pk: int) -> Any:
    return _assignment(request, pk)


@router.post("/assignments/{pk}/transitions", response=AssignmentDetailOut)
def transition(request: HttpRequest, pk: int, payload: TransitionIn) -> Any:
    assignment = services.assignment_act(
        actor=request.user,
        assignment=_assignment(request, pk, audit=False),
        action=payload.action,
        reason=payload.reason,
    )
    return assignment


@router.post("/assignments/{pk}/preconditions", response={201: IdOut})
def confirm_precondition(
    request: HttpRequest,
    pk: int,
    payload: Form[PreconditionIn],
    document: File[UploadedFile] | None = None,
) -> Any:
    assignment = _assignment(request, pk, audit=False)
    confirmation = services.precondition_confirm(
        actor=request.user,
        assignment=assignment,
        kind=_choice("kind", rules.PreconditionKind, payload.kind, "Okänd förutsättning."),
        confirmed_on=payload.confirmed_on,
        police_unit=_police_unit(payload.police_unit),
        police_unit_name=payload.police_unit_name,
        legal_basis=payload.legal_basis,
        document=document,
        note=payload.note,
    )
    return Status(201, {"id": confirmation.pk})


@router.post("/assignments/{pk}/threat-assessments", response={201: IdOut})
def record_threat(request: HttpRequest, pk: int, payload: ThreatIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    threat = services.threat_assessment_record(
        actor=request.user,
        assignment=assignment,
        assessed_on=payload.assessed_on,
        level=_choice(
            "level", rules.ThreatLevel, payload.level, "Okänd hotnivå (low, medium, high)."
        ),
        relocation_needed=payload.relocation_needed,
        police_unit=_police_unit(payload.police_unit),
        note=payload.note,
    )
    return Status(201, {"id": threat.pk})


@router.post("/assignments/{pk}/children-tasks", response={201: IdOut})
def create_children_task(request: HttpRequest, pk: int, payload: DefectorTextIn) -> Any:
    task = services.children_task_create(
        actor=request.user,
        assignment=_assignment(request, pk, audit=False),
        description=payload.text,
    )
    return Status(201, {"id": task.pk})


@router.post("/children-tasks/{pk}/close", response=IdOut)
def close_children_task(request: HttpRequest, pk: int, payload: DefectorTextIn) -> Any:
    task = ChildrenTask.objects.filter(pk=pk).first()
    if task is None:
        raise NotFound("Uppgiften finns inte.")
    _assignment(request, task.assignment_id, audit=False)
    services.children_task_close(actor=request.user, task=task, resolution=payload.text)
    return {"id": task.pk}


@router.post("/assignments/{pk}/consultations", response={201: IdOut})
def record_consultation(request: HttpRequest, pk: int, payload: DefectorConsultationIn) -> Any:
    consultation = services.consultation_record(
        actor=request.user, assignment=_assignment(request, pk, audit=False), **payload.dict()
    )
    return Status(201, {"id": consultation.pk})


@router.post("/assignments/{pk}/plan", response=IdOut)
def decide_plan(request: HttpRequest, pk: int, payload: DefectorPlanIn) -> Any:
    plan = services.plan_decide(
        actor=request.user, assignment=_assignment(request, pk, audit=False), **payload.dict()
    )
    return {"id": plan.pk}


@router.get("/assignments/{pk}/interventions", response=list[InterventionOut])
def list_interventions(request: HttpRequest, pk: int) -> Any:
    assignment = _assignment(request, pk)
    plan = getattr(assignment, "plan", None)
    if plan is None:
        return []
    return list(plan.interventions.select_related("catalogue_item"))


@router.post("/assignments/{pk}/interventions", response={201: InterventionOut})
def add_intervention(request: HttpRequest, pk: int, payload: InterventionIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    kind = _choice(
        "kind",
        rules.InterventionKind,
        payload.kind,
        "Okänt slag av insats (catalogue, outside, housing).",
    )
    item = None
    if payload.catalogue_code:
        item = assignment.agreement.defector_catalogue.filter(code=payload.catalogue_code).first()
        if item is None:
            raise InvalidInput("catalogue_code", "Insatsen finns inte i avtalets katalog.")
    intervention = services.plan_intervention_add(
        actor=request.user,
        assignment=assignment,
        kind=kind,
        catalogue_item=item,
        description=payload.description,
    )
    return Status(201, intervention)


@router.post("/interventions/{pk}/decline", response=InterventionOut)
def decline_intervention(request: HttpRequest, pk: int, payload: DefectorTextIn) -> Any:
    intervention = PlannedIntervention.objects.filter(pk=pk).select_related("plan").first()
    if intervention is None:
        raise NotFound("Insatsen finns inte.")
    _assignment(request, intervention.plan.assignment_id, audit=False)
    intervention = services.intervention_decline_not_offered(
        actor=request.user, intervention=intervention, reason=payload.text
    )
    return intervention


@router.get("/assignments/{pk}/costs", response=list[CostOut])
def list_costs(request: HttpRequest, pk: int) -> Any:
    assignment = _assignment(request, pk)
    return selectors.ledger(user=request.user, assignment=assignment)


@router.post("/assignments/{pk}/costs", response={201: CostOut})
def book_cost(request: HttpRequest, pk: int, payload: CostIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    intervention = PlannedIntervention.objects.filter(
        pk=payload.intervention, plan__assignment=assignment
    ).first()
    if intervention is None:
        raise InvalidInput("intervention", "Insatsen hör inte till detta uppdrag.")
    entry = services.cost_book(
        actor=request.user,
        assignment=assignment,
        intervention=intervention,
        incurred_on=payload.incurred_on,
        amount=payload.amount,
        note=payload.note,
    )
    return Status(201, entry)


@router.post("/assignments/{pk}/followups", response={201: IdOut})
def record_followup(request: HttpRequest, pk: int, payload: DefectorFollowUpIn) -> Any:
    followup = services.followup_record(
        actor=request.user, assignment=_assignment(request, pk, audit=False), **payload.dict()
    )
    return Status(201, {"id": followup.pk})


@router.get("/agreements/{pk}/balance", response=list[BalanceOut])
def balance(request: HttpRequest, pk: int) -> Any:
    agreement = _agreement(request, pk)
    return selectors.balance_for(agreement)


@router.get("/agreements/{pk}/reconciliations", response=list[ReconciliationOut])
def list_reconciliations(request: HttpRequest, pk: int) -> Any:
    agreement = _agreement(request, pk)
    return selectors.reconciliation_list(user=request.user, agreement=agreement)


@router.post("/agreements/{pk}/reconciliations", response=ReconciliationOut)
def compute_reconciliation(request: HttpRequest, pk: int, payload: ReconciliationIn) -> Any:
    agreement = _agreement(request, pk)
    try:
        period = rules.Period.parse(payload.period.strip().upper())
    except ValueError as error:
        raise InvalidInput("period", "Ange perioden som ÅÅÅÅ-H1 eller ÅÅÅÅ-H2.") from error
    reconciliation = services.reconciliation_compute(
        actor=request.user,
        agreement=agreement,
        period=period,
        other_party=organisation_in_body(payload.other_party, "other_party"),
    )
    return reconciliation


def _reconciliation(request: HttpRequest, pk: int) -> Reconciliation:
    user = _user(request)
    return _found(
        lambda: selectors.reconciliation_get(user=user, pk=pk), "Avstämningen finns inte."
    )


@router.get("/reconciliations/{pk}", response=ReconciliationOut)
def get_reconciliation(request: HttpRequest, pk: int) -> Any:
    return _reconciliation(request, pk)


@router.post("/reconciliations/{pk}/approve", response=ReconciliationOut)
def approve_reconciliation(request: HttpRequest, pk: int) -> Any:
    reconciliation = services.reconciliation_approve(
        actor=request.user, reconciliation=_reconciliation(request, pk)
    )
    return reconciliation


@router.get("/agreements/{pk}/evaluation.pdf")
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    data = selectors.evaluation_data(
        user=request.user, agreement=agreement, on=timezone.localdate()
    )
    response = HttpResponse(render_evaluation_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="utvarderingsrapport-{pk}.pdf"'
    return response
