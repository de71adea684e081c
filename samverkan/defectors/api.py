"""Defector assignments over HTTP (/api/v1/defectors): the same actions as the pages.

Signed-in defector coordinators only (session with second factor, CSRF-checked);
police API clients have no access here. An assignment outside the caller's
two-party scope answers 404; a refused action 403 (wrong side) or 400 (the
rule that refused it, in Swedish). Amounts are decimal strings, never floats.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from samverkan.defectors import rules, selectors, services
from samverkan.defectors.models import (
    Assignment,
    ChildrenTask,
    CostEntry,
    PlannedIntervention,
    Reconciliation,
)
from samverkan.defectors.services import DefectorError, NotAllowed
from samverkan.registry.models import Organisation

router = Router(auth=django_auth, tags=["defectors"])


class ErrorOut(Schema):
    detail: str
    messages: list[str] = []


def _call(function: Any, **kwargs: Any) -> Any:
    try:
        return function(**kwargs)
    except NotAllowed as error:
        raise HttpError(403, error.message) from error
    except DefectorError as error:
        raise HttpError(400, " ".join(error.messages)) from error


def _user(request: HttpRequest) -> Any:
    user = request.user
    if not selectors.may_work_with_defectors(user):
        raise HttpError(403, "Du har inte behörighet att arbeta med avhopparuppdrag.")
    return user


def _assignment(request: HttpRequest, pk: int, *, audit: bool = True) -> Assignment:
    user = _user(request)
    try:
        return selectors.assignment_get(user=user, pk=pk, audit=audit)
    except Assignment.DoesNotExist as error:
        raise HttpError(404, "Uppdraget finns inte.") from error


def _agreement(request: HttpRequest, pk: int) -> Any:
    from samverkan.agreements.models import Agreement

    try:
        return selectors.agreement_get_for(user=_user(request), pk=pk)
    except Agreement.DoesNotExist as error:
        raise HttpError(404, "Avtalet finns inte.") from error


def _organisation(code: str) -> Organisation:
    try:
        return Organisation.objects.get(code=code)
    except Organisation.DoesNotExist as error:
        raise HttpError(400, f"Okänd organisation: {code}") from error


# --- schemas ------------------------------------------------------------------------------


class AssignmentOut(Schema):
    id: int
    reference: str
    agreement: int
    home_municipality: str
    receiving_municipality: str
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
    actor: str
    reason: str


class MissingOut(Schema):
    kind: str
    message: str


class AssignmentDetailOut(AssignmentOut):
    events: list[EventOut]
    missing_preconditions: list[MissingOut]
    open_children_tasks: int


def _out(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "reference": a.reference,
        "agreement": a.agreement_id,
        "home_municipality": a.home_municipality.code,
        "receiving_municipality": a.receiving_municipality.code,
        "person_alias": a.person_alias,
        "state": a.state,
        "state_reason": a.state_reason,
        "handled_centrally": a.handled_centrally,
        "started_on": a.started_on,
        "ended_on": a.ended_on,
    }


def _detail(a: Assignment) -> dict[str, Any]:
    data = _out(a)
    data["events"] = [
        {
            "at": e.at,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "side": e.side,
            "actor": e.actor_label,
            "reason": e.reason,
        }
        for e in a.events.order_by("at", "id")
    ]
    data["missing_preconditions"] = (
        [{"kind": m.kind.value, "message": m.message} for m in services.request_blockers(a)]
        if a.state in services.BEFORE_REQUEST
        else []
    )
    data["open_children_tasks"] = a.children_tasks.filter(closed_at__isnull=True).count()
    return data


class AssignmentIn(Schema):
    agreement: int
    receiving_municipality: str
    person_alias: str
    summary: str = ""


class TransitionIn(Schema):
    action: str  # consultation | request | accept | decline | activate | end
    reason: str = ""


class PreconditionIn(Schema):
    kind: str
    confirmed_on: date
    police_unit: str = ""
    police_unit_name: str = ""
    legal_basis: str = ""
    note: str = ""


class TextIn(Schema):
    text: str


class ThreatIn(Schema):
    assessed_on: date
    level: str
    relocation_needed: bool = False
    police_unit: str = ""
    note: str = ""


class DefectorConsultationIn(Schema):
    held_on: date
    participants: str
    notes: str = ""
    decisions: str = ""


class DefectorPlanIn(Schema):
    decided_on: date
    goals: str = ""


class InterventionIn(Schema):
    kind: str
    catalogue_code: str = ""
    description: str = ""


class InterventionOut(Schema):
    id: int
    kind: str
    name: str
    bearer: str
    status: str
    decline_reason: str


def _intervention_out(i: PlannedIntervention) -> dict[str, Any]:
    return {
        "id": i.pk,
        "kind": i.kind,
        "name": str(i),
        "bearer": i.bearer.value,
        "status": i.status,
        "decline_reason": i.decline_reason,
    }


class CostIn(Schema):
    intervention: int
    incurred_on: date
    amount: str
    note: str = ""


class CostOut(Schema):
    id: int
    intervention: int
    booked_by: str
    incurred_on: date
    period: str
    amount: Decimal
    note: str


def _cost_out(c: CostEntry) -> dict[str, Any]:
    return {
        "id": c.pk,
        "intervention": c.intervention_id,
        "booked_by": c.booked_by_organisation.code,
        "incurred_on": c.incurred_on,
        "period": c.period,
        "amount": c.amount,
        "note": c.note,
    }


class DefectorFollowUpIn(Schema):
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
    party_a: str
    party_b: str
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


def _rec_out(r: Reconciliation) -> dict[str, Any]:
    payee = r.payee
    return {
        "id": r.pk,
        "period": r.period,
        "party_a": r.party_a.code,
        "party_b": r.party_b.code,
        "a_for_b": r.a_for_b,
        "b_for_a": r.b_for_a,
        "deviation": r.deviation,
        "threshold": r.threshold,
        "equalisation": r.equalisation,
        "payer": r.payer.code if r.payer else None,
        "payee": payee.code if payee else None,
        "approved_a_at": r.approved_a_at,
        "approved_b_at": r.approved_b_at,
        "locked": r.locked_at is not None,
    }


class BalanceOut(Schema):
    party: str
    sent: int
    received: int
    max_sent: int | None
    max_received: int | None


class IdOut(Schema):
    id: int


# --- endpoints ----------------------------------------------------------------------------


@router.get("/assignments", response=list[AssignmentOut])
def list_assignments(request: HttpRequest) -> Any:
    return [_out(a) for a in selectors.assignment_list(user=_user(request))]


@router.post("/assignments", response={201: AssignmentDetailOut, 400: ErrorOut, 403: ErrorOut})
def create_assignment(request: HttpRequest, payload: AssignmentIn) -> Any:
    agreement = _agreement(request, payload.agreement)
    assignment = _call(
        services.assignment_create,
        actor=request.user,
        agreement=agreement,
        receiving_municipality=_organisation(payload.receiving_municipality),
        person_alias=payload.person_alias,
        summary=payload.summary,
    )
    return Status(201, _detail(assignment))


@router.get("/assignments/{pk}", response=AssignmentDetailOut)
def get_assignment(request: HttpRequest, pk: int) -> Any:
    return _detail(_assignment(request, pk))


API_TRANSITIONS = {
    "consultation": services.assignment_start_consultation,
    "request": services.assignment_request,
    "accept": services.assignment_accept,
    "decline": services.assignment_decline,
    "activate": services.assignment_activate,
    "end": services.assignment_end,
}


@router.post(
    "/assignments/{pk}/transitions",
    response={200: AssignmentDetailOut, 400: ErrorOut, 403: ErrorOut},
)
def transition(request: HttpRequest, pk: int, payload: TransitionIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    service = API_TRANSITIONS.get(payload.action)
    if service is None:
        raise HttpError(400, "Okänd åtgärd.")
    kwargs: dict[str, Any] = {}
    if payload.action in ("decline", "end"):
        kwargs["reason"] = payload.reason
    assignment = _call(service, actor=request.user, assignment=assignment, **kwargs)
    return _detail(assignment)


@router.post("/assignments/{pk}/preconditions", response={201: IdOut, 400: ErrorOut, 403: ErrorOut})
def confirm_precondition(
    request: HttpRequest,
    pk: int,
    payload: Form[PreconditionIn],
    document: File[UploadedFile] | None = None,
) -> Any:
    assignment = _assignment(request, pk, audit=False)
    try:
        kind = rules.PreconditionKind(payload.kind)
    except ValueError as error:
        raise HttpError(400, "Okänd förutsättning.") from error
    confirmation = _call(
        services.precondition_confirm,
        actor=request.user,
        assignment=assignment,
        kind=kind,
        confirmed_on=payload.confirmed_on,
        police_unit=_organisation(payload.police_unit) if payload.police_unit else None,
        police_unit_name=payload.police_unit_name,
        legal_basis=payload.legal_basis,
        document=document,
        note=payload.note,
    )
    return Status(201, {"id": confirmation.pk})


@router.post(
    "/assignments/{pk}/threat-assessments", response={201: IdOut, 400: ErrorOut, 403: ErrorOut}
)
def record_threat(request: HttpRequest, pk: int, payload: ThreatIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    try:
        level = rules.ThreatLevel(payload.level)
    except ValueError as error:
        raise HttpError(400, "Okänd hotnivå (low, medium, high).") from error
    threat = _call(
        services.threat_assessment_record,
        actor=request.user,
        assignment=assignment,
        assessed_on=payload.assessed_on,
        level=level,
        relocation_needed=payload.relocation_needed,
        police_unit=_organisation(payload.police_unit) if payload.police_unit else None,
        note=payload.note,
    )
    return Status(201, {"id": threat.pk})


@router.post(
    "/assignments/{pk}/children-tasks", response={201: IdOut, 400: ErrorOut, 403: ErrorOut}
)
def create_children_task(request: HttpRequest, pk: int, payload: TextIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    task = _call(
        services.children_task_create,
        actor=request.user,
        assignment=assignment,
        description=payload.text,
    )
    return Status(201, {"id": task.pk})


@router.post("/children-tasks/{pk}/close", response={200: IdOut, 400: ErrorOut, 403: ErrorOut})
def close_children_task(request: HttpRequest, pk: int, payload: TextIn) -> Any:
    task = ChildrenTask.objects.filter(pk=pk).first()
    if task is None:
        raise HttpError(404, "Uppgiften finns inte.")
    _assignment(request, task.assignment_id, audit=False)
    _call(services.children_task_close, actor=request.user, task=task, resolution=payload.text)
    return {"id": task.pk}


@router.post("/assignments/{pk}/consultations", response={201: IdOut, 400: ErrorOut, 403: ErrorOut})
def record_consultation(request: HttpRequest, pk: int, payload: DefectorConsultationIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    consultation = _call(
        services.consultation_record, actor=request.user, assignment=assignment, **payload.dict()
    )
    return Status(201, {"id": consultation.pk})


@router.post("/assignments/{pk}/plan", response={200: IdOut, 400: ErrorOut, 403: ErrorOut})
def decide_plan(request: HttpRequest, pk: int, payload: DefectorPlanIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    plan = _call(services.plan_decide, actor=request.user, assignment=assignment, **payload.dict())
    return {"id": plan.pk}


@router.get("/assignments/{pk}/interventions", response=list[InterventionOut])
def list_interventions(request: HttpRequest, pk: int) -> Any:
    assignment = _assignment(request, pk)
    plan = getattr(assignment, "plan", None)
    if plan is None:
        return []
    return [_intervention_out(i) for i in plan.interventions.select_related("catalogue_item")]


@router.post(
    "/assignments/{pk}/interventions", response={201: InterventionOut, 400: ErrorOut, 403: ErrorOut}
)
def add_intervention(request: HttpRequest, pk: int, payload: InterventionIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    try:
        kind = rules.InterventionKind(payload.kind)
    except ValueError as error:
        raise HttpError(400, "Okänt slag av insats (catalogue, outside, housing).") from error
    item = None
    if payload.catalogue_code:
        item = assignment.agreement.defector_catalogue.filter(code=payload.catalogue_code).first()
        if item is None:
            raise HttpError(400, "Insatsen finns inte i avtalets katalog.")
    intervention = _call(
        services.plan_intervention_add,
        actor=request.user,
        assignment=assignment,
        kind=kind,
        catalogue_item=item,
        description=payload.description,
    )
    return Status(201, _intervention_out(intervention))


@router.post(
    "/interventions/{pk}/decline", response={200: InterventionOut, 400: ErrorOut, 403: ErrorOut}
)
def decline_intervention(request: HttpRequest, pk: int, payload: TextIn) -> Any:
    intervention = PlannedIntervention.objects.filter(pk=pk).select_related("plan").first()
    if intervention is None:
        raise HttpError(404, "Insatsen finns inte.")
    _assignment(request, intervention.plan.assignment_id, audit=False)
    intervention = _call(
        services.intervention_decline_not_offered,
        actor=request.user,
        intervention=intervention,
        reason=payload.text,
    )
    return _intervention_out(intervention)


@router.get("/assignments/{pk}/costs", response=list[CostOut])
def list_costs(request: HttpRequest, pk: int) -> Any:
    assignment = _assignment(request, pk)
    return [_cost_out(c) for c in selectors.ledger(user=request.user, assignment=assignment)]


@router.post("/assignments/{pk}/costs", response={201: CostOut, 400: ErrorOut, 403: ErrorOut})
def book_cost(request: HttpRequest, pk: int, payload: CostIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    intervention = PlannedIntervention.objects.filter(
        pk=payload.intervention, plan__assignment=assignment
    ).first()
    if intervention is None:
        raise HttpError(400, "Insatsen hör inte till detta uppdrag.")
    entry = _call(
        services.cost_book,
        actor=request.user,
        assignment=assignment,
        intervention=intervention,
        incurred_on=payload.incurred_on,
        amount=payload.amount,
        note=payload.note,
    )
    return Status(201, _cost_out(entry))


@router.post("/assignments/{pk}/followups", response={201: IdOut, 400: ErrorOut, 403: ErrorOut})
def record_followup(request: HttpRequest, pk: int, payload: DefectorFollowUpIn) -> Any:
    assignment = _assignment(request, pk, audit=False)
    followup = _call(
        services.followup_record, actor=request.user, assignment=assignment, **payload.dict()
    )
    return Status(201, {"id": followup.pk})


@router.get("/agreements/{pk}/balance", response=list[BalanceOut])
def balance(request: HttpRequest, pk: int) -> Any:
    agreement = _agreement(request, pk)
    return [
        {
            "party": row.party.code,
            "sent": row.sent,
            "received": row.received,
            "max_sent": row.max_sent,
            "max_received": row.max_received,
        }
        for row in selectors.balance_for(agreement)
    ]


@router.get("/agreements/{pk}/reconciliations", response=list[ReconciliationOut])
def list_reconciliations(request: HttpRequest, pk: int) -> Any:
    agreement = _agreement(request, pk)
    return [
        _rec_out(r) for r in selectors.reconciliation_list(user=request.user, agreement=agreement)
    ]


@router.post(
    "/agreements/{pk}/reconciliations",
    response={200: ReconciliationOut, 400: ErrorOut, 403: ErrorOut},
)
def compute_reconciliation(request: HttpRequest, pk: int, payload: ReconciliationIn) -> Any:
    agreement = _agreement(request, pk)
    try:
        period = rules.Period.parse(payload.period.strip().upper())
    except ValueError as error:
        raise HttpError(400, "Ange perioden som ÅÅÅÅ-H1 eller ÅÅÅÅ-H2.") from error
    reconciliation = _call(
        services.reconciliation_compute,
        actor=request.user,
        agreement=agreement,
        period=period,
        other_party=_organisation(payload.other_party),
    )
    return _rec_out(reconciliation)


def _reconciliation(request: HttpRequest, pk: int) -> Reconciliation:
    try:
        return selectors.reconciliation_get(user=_user(request), pk=pk)
    except Reconciliation.DoesNotExist as error:
        raise HttpError(404, "Avstämningen finns inte.") from error


@router.get("/reconciliations/{pk}", response=ReconciliationOut)
def get_reconciliation(request: HttpRequest, pk: int) -> Any:
    return _rec_out(_reconciliation(request, pk))


@router.post(
    "/reconciliations/{pk}/approve", response={200: ReconciliationOut, 400: ErrorOut, 403: ErrorOut}
)
def approve_reconciliation(request: HttpRequest, pk: int) -> Any:
    reconciliation = _call(
        services.reconciliation_approve,
        actor=request.user,
        reconciliation=_reconciliation(request, pk),
    )
    return _rec_out(reconciliation)


@router.get("/agreements/{pk}/evaluation.pdf")
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from samverkan.defectors.report import render_evaluation_pdf

    agreement = _agreement(request, pk)
    data = selectors.evaluation_data(
        user=request.user, agreement=agreement, on=timezone.localdate()
    )
    response = HttpResponse(render_evaluation_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="utvarderingsrapport-{pk}.pdf"'
    return response
