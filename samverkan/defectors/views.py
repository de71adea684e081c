"""Defector pages (/avhoppare/): thin views over the services and selectors.

Every page needs the defector coordinator role (or administrator); an
assignment or agreement outside the user's two-party scope answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.accounts.decorators import role_required
from samverkan.defectors import forms as f
from samverkan.defectors import rules, selectors, services
from samverkan.defectors.models import (
    DEFECTOR_ROLES,
    Assignment,
    CatalogueIntervention,
    ChildrenTask,
    PlannedIntervention,
    Reconciliation,
)
from samverkan.defectors.services import DefectorError
from samverkan.registry.models import Organisation

defector_view = role_required(*DEFECTOR_ROLES)


def _assignment(request: HttpRequest, pk: int, *, audit: bool = True) -> Assignment:
    try:
        return selectors.assignment_get(user=request.user, pk=pk, audit=audit)
    except Assignment.DoesNotExist as error:
        raise Http404 from error


def _agreement(request: HttpRequest, pk: int) -> Any:
    from samverkan.agreements.models import Agreement

    try:
        return selectors.agreement_get_for(user=request.user, pk=pk)
    except Agreement.DoesNotExist as error:
        raise Http404 from error


@defector_view
def assignment_list(request: HttpRequest) -> HttpResponse:
    assignments = selectors.assignment_list(user=request.user)
    agreements = selectors.defector_agreements_for(user=request.user)
    return render(
        request,
        "defectors/assignment_list.html",
        {"assignments": assignments, "agreements": agreements},
    )


@defector_view
def assignment_create(request: HttpRequest) -> HttpResponse:
    agreements = selectors.defector_agreements_for(user=request.user)
    own = services.municipality_of(request.user.organisation)  # type: ignore[union-attr]
    codes: set[str] = set()
    for agreement in agreements:
        codes |= services.agreement_party_codes(agreement)
    receivers = Organisation.objects.filter(code__in=codes).exclude(pk=own.pk if own else 0)
    form = f.AssignmentCreateForm(request.POST or None, agreements=agreements, receivers=receivers)
    if request.method == "POST" and form.is_valid():
        agreement = next(a for a in agreements if a.pk == form.cleaned_data["agreement"])
        try:
            assignment = services.assignment_create(
                actor=request.user,
                agreement=agreement,
                receiving_municipality=form.cleaned_data["receiving_municipality"],
                person_alias=form.cleaned_data["person_alias"],
                summary=form.cleaned_data["summary"],
            )
        except DefectorError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Uppdraget %(ref)s är registrerat.") % {"ref": assignment.reference}
            )
            return redirect("defectors:detail", pk=assignment.pk)
    return render(request, "defectors/assignment_form.html", {"form": form})


def _detail_context(
    request: HttpRequest, assignment: Assignment, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    side = services.side_of(request.user, assignment)
    plan = getattr(assignment, "plan", None)
    interventions = list(plan.interventions.select_related("catalogue_item")) if plan else []
    bookable = [
        i
        for i in interventions
        if side is not None
        and rules.bearer_of(i.kind_enum) is side
        and i.status != "declined_not_offered"
    ]
    today = timezone.localdate()
    blockers = (
        services.request_blockers(assignment) if assignment.state in services.BEFORE_REQUEST else []
    )
    cap = (
        services.cap_check(assignment, today)
        if assignment.state in services.BEFORE_REQUEST
        else None
    )
    preconditions = {p.kind: p for p in assignment.preconditions.select_related("police_unit")}
    precondition_rows = [
        (kind, rules.PRECONDITION_LABELS[kind], preconditions.get(kind.value))
        for kind in rules.PreconditionKind
    ]
    ledger = list(selectors.ledger(user=request.user, assignment=assignment))
    initial = {
        "confirmed_on": today,
        "assessed_on": today,
        "held_on": today,
        "incurred_on": today,
        "decided_on": today,
    }

    def form(name: str, cls: Callable[..., forms.Form], **kwargs: Any) -> forms.Form:
        return bound.get(name) or cls(initial=initial, auto_id=f"id_{name}_%s", **kwargs)

    return {
        "assignment": assignment,
        "side": side.value if side else "",
        "is_home": side is rules.Side.HOME,
        "is_receiving": side is rules.Side.RECEIVING,
        "events": assignment.events.select_related("actor").order_by("at", "id"),
        "precondition_rows": precondition_rows,
        "blockers": blockers,
        "cap": cap,
        "threats": assignment.threats.all(),
        "children_tasks": assignment.children_tasks.order_by("-created_at"),
        "consultations": assignment.consultations.all(),
        "plan": plan,
        "interventions": interventions,
        "ledger": ledger,
        "ledger_total": sum((c.amount for c in ledger), rules.ZERO),
        "followups": assignment.followups.all(),
        "catalogue_rule": rules.CATALOGUE_RULE_EXPLAINED,
        "precondition_form": form("precondition", f.PreconditionForm),
        "threat_form": form("threat", f.ThreatForm),
        "children_form": form("children", f.ChildrenTaskForm),
        "close_form": f.ChildrenTaskCloseForm(auto_id="id_close_%s"),
        "consultation_form": form("consultation", f.ConsultationForm),
        "plan_form": form("plan", f.PlanForm),
        "intervention_form": form(
            "intervention", f.InterventionForm, agreement=assignment.agreement
        ),
        "decline_intervention_form": f.DeclineInterventionForm(),
        "status_form": f.InterventionStatusForm(),
        "cost_form": form("cost", f.CostForm, interventions=bookable),
        "bookable": bookable,
        "reason_form": form("reason", f.ReasonForm),
        "followup_form": form("followup", f.FollowUpForm),
        "State": {s.name: s.value for s in rules.State},
    }


@defector_view
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    return render(request, "defectors/assignment_detail.html", _detail_context(request, assignment))


def _rerender(
    request: HttpRequest, assignment: Assignment, name: str, form: forms.Form
) -> HttpResponse:
    context = _detail_context(request, assignment, {name: form})
    return render(request, "defectors/assignment_detail.html", context, status=400)


def _back(assignment: Assignment, anchor: str = "") -> HttpResponse:
    url = reverse("defectors:detail", kwargs={"pk": assignment.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


TRANSITIONS: dict[str, Callable[..., Assignment]] = {
    "samrad": services.assignment_start_consultation,
    "begar": services.assignment_request,
    "acceptera": services.assignment_accept,
    "avboj": services.assignment_decline,
    "starta": services.assignment_activate,
    "avsluta": services.assignment_end,
}


@require_POST
@defector_view
def assignment_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assignment = _assignment(request, pk, audit=False)
    service = TRANSITIONS.get(action)
    if service is None:
        raise Http404
    kwargs: dict[str, Any] = {}
    if action in ("avboj", "avsluta"):
        form = f.ReasonForm(request.POST, auto_id="id_reason_%s")
        if not form.is_valid():
            return _rerender(request, assignment, "reason", form)
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        service(actor=request.user, assignment=assignment, **kwargs)
    except DefectorError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(assignment, "atgarder")
    messages.success(request, _("Uppdraget är uppdaterat."))
    return _back(assignment)


def _form_action(
    name: str,
    form_class: Callable[..., forms.Form],
    call: Callable[[HttpRequest, Assignment, dict[str, Any]], Any],
    anchor: str,
    success: str,
    form_kwargs: Callable[[Assignment], dict[str, Any]] | None = None,
) -> Callable[..., HttpResponse]:
    @require_POST
    @defector_view
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        assignment = _assignment(request, pk, audit=False)
        extra = form_kwargs(assignment) if form_kwargs else {}
        form = form_class(request.POST, request.FILES, auto_id=f"id_{name}_%s", **extra)
        if not form.is_valid():
            return _rerender(request, assignment, name, form)
        try:
            call(request, assignment, form.cleaned_data)
        except DefectorError as error:
            form.add_error(None, error.message)
            return _rerender(request, assignment, name, form)
        messages.success(request, success)
        return _back(assignment, anchor)

    view.__name__ = f"{name}_view"
    return view


precondition_confirm = _form_action(
    "precondition",
    f.PreconditionForm,
    lambda request, assignment, data: services.precondition_confirm(
        actor=request.user,
        assignment=assignment,
        kind=rules.PreconditionKind(data["kind"]),
        confirmed_on=data["confirmed_on"],
        police_unit=data["police_unit"],
        police_unit_name=data["police_unit_name"],
        legal_basis=data["legal_basis"],
        document=data["document"],
        note=data["note"],
    ),
    "forutsattningar",
    _("Förutsättningen är registrerad."),
)

threat_record = _form_action(
    "threat",
    f.ThreatForm,
    lambda request, assignment, data: services.threat_assessment_record(
        actor=request.user,
        assignment=assignment,
        assessed_on=data["assessed_on"],
        level=rules.ThreatLevel(data["level"]),
        relocation_needed=data["relocation_needed"],
        police_unit=data["police_unit"],
        note=data["note"],
    ),
    "hotbild",
    _("Hotbedömningen är registrerad."),
)

children_task_create = _form_action(
    "children",
    f.ChildrenTaskForm,
    lambda request, assignment, data: services.children_task_create(
        actor=request.user, assignment=assignment, description=data["description"]
    ),
    "barn",
    _("Uppgiften om barn är skapad och syns på båda parternas startsidor tills den stängs."),
)

consultation_record = _form_action(
    "consultation",
    f.ConsultationForm,
    lambda request, assignment, data: services.consultation_record(
        actor=request.user, assignment=assignment, **data
    ),
    "samrad",
    _("Samrådet är registrerat."),
)

plan_decide = _form_action(
    "plan",
    f.PlanForm,
    lambda request, assignment, data: services.plan_decide(
        actor=request.user, assignment=assignment, **data
    ),
    "plan",
    _("Genomförandeplanen är beslutad."),
)

intervention_add = _form_action(
    "intervention",
    f.InterventionForm,
    lambda request, assignment, data: services.plan_intervention_add(
        actor=request.user,
        assignment=assignment,
        kind=rules.InterventionKind(data["kind"]),
        catalogue_item=data["catalogue_item"],
        description=data["description"],
    ),
    "plan",
    _("Insatsen är tillagd i planen."),
    lambda assignment: {"agreement": assignment.agreement},
)


def _book(request: HttpRequest, assignment: Assignment, data: dict[str, Any]) -> Any:
    intervention = PlannedIntervention.objects.get(
        pk=data["intervention"], plan__assignment=assignment
    )
    return services.cost_book(
        actor=request.user,
        assignment=assignment,
        intervention=intervention,
        incurred_on=data["incurred_on"],
        amount=data["amount"],
        document=data["document"],
        note=data["note"],
    )


def _cost_form_kwargs(assignment: Assignment) -> dict[str, Any]:
    plan = getattr(assignment, "plan", None)
    return {"interventions": list(plan.interventions.all()) if plan else []}


cost_book = _form_action(
    "cost", f.CostForm, _book, "kostnader", _("Kostnaden är bokförd."), _cost_form_kwargs
)

followup_record = _form_action(
    "followup",
    f.FollowUpForm,
    lambda request, assignment, data: services.followup_record(
        actor=request.user, assignment=assignment, **data
    ),
    "uppfoljning",
    _("Uppföljningen är registrerad."),
)


@require_POST
@defector_view
def children_task_close(request: HttpRequest, pk: int) -> HttpResponse:
    task = ChildrenTask.objects.filter(pk=pk).select_related("assignment").first()
    if task is None:
        raise Http404
    assignment = _assignment(request, task.assignment_id, audit=False)
    form = f.ChildrenTaskCloseForm(request.POST)
    if form.is_valid():
        try:
            services.children_task_close(
                actor=request.user, task=task, resolution=form.cleaned_data["resolution"]
            )
        except DefectorError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Uppgiften om barn är stängd."))
    else:
        messages.error(request, _("Beskriv hur ansvaret för barnen har fördelats."))
    return _back(assignment, "barn")


def _intervention(request: HttpRequest, pk: int) -> tuple[PlannedIntervention, Assignment]:
    intervention = PlannedIntervention.objects.filter(pk=pk).select_related("plan").first()
    if intervention is None:
        raise Http404
    return intervention, _assignment(request, intervention.plan.assignment_id, audit=False)


@require_POST
@defector_view
def intervention_decline(request: HttpRequest, pk: int) -> HttpResponse:
    intervention, assignment = _intervention(request, pk)
    form = f.DeclineInterventionForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        services.intervention_decline_not_offered(
            actor=request.user, intervention=intervention, reason=reason
        )
    except DefectorError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Insatsen är avböjd."))
    return _back(assignment, "plan")


@require_POST
@defector_view
def intervention_status(request: HttpRequest, pk: int) -> HttpResponse:
    intervention, assignment = _intervention(request, pk)
    form = f.InterventionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.intervention_set_status(
                actor=request.user, intervention=intervention, status=form.cleaned_data["status"]
            )
        except DefectorError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Insatsens status är ändrad."))
    return _back(assignment, "plan")


# --- agreement level: balance, reconciliation, lessons, terms, report --------------------------


def _agreement_context(
    request: HttpRequest, agreement: Any, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    own = services.municipality_of(request.user.organisation)  # type: ignore[union-attr]
    parties = selectors.party_organisations(agreement)
    others = Organisation.objects.filter(pk__in=[p.pk for p in parties]).exclude(
        pk=own.pk if own else 0
    )
    terms = services.terms_for(agreement)
    lesson = agreement.defector_lessons.filter(party=own).first()
    today = timezone.localdate()
    previous = rules.period_of(today)
    previous = (
        rules.Period(previous.year - 1, 2) if previous.half == 1 else rules.Period(previous.year, 1)
    )
    return {
        "agreement": agreement,
        "own": own,
        "balance": selectors.balance_for(agreement),
        "terms": terms,
        "reconciliations": selectors.reconciliation_list(user=request.user, agreement=agreement),
        "compute_form": bound.get("compute")
        or f.ReconciliationComputeForm(parties=others, initial={"period": previous.code}),
        "lesson_form": bound.get("lesson")
        or f.LessonForm(initial={"text": lesson.text if lesson else ""}),
        "lessons": agreement.defector_lessons.select_related("party"),
        "catalogue": CatalogueIntervention.objects.filter(agreement=agreement),
        "catalogue_form": bound.get("catalogue") or f.CatalogueItemForm(),
        "others": others,
    }


@defector_view
def agreement_overview(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    return render(request, "defectors/agreement.html", _agreement_context(request, agreement))


def _agreement_form_action(
    name: str,
    form_class: Callable[..., forms.Form],
    call: Callable[[HttpRequest, Any, dict[str, Any]], Any],
    success: str,
) -> Callable[..., HttpResponse]:
    @require_POST
    @defector_view
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        agreement = _agreement(request, pk)
        kwargs: dict[str, Any] = {}
        if name == "compute":
            kwargs["parties"] = Organisation.objects.filter(
                code__in=services.agreement_party_codes(agreement)
            )
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                result = call(request, agreement, form.cleaned_data)
            except DefectorError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, success)
                if isinstance(result, Reconciliation):
                    return redirect("defectors:reconciliation", pk=result.pk)
                return redirect("defectors:agreement", pk=agreement.pk)
        context = _agreement_context(request, agreement, {name: form})
        return render(request, "defectors/agreement.html", context, status=400)

    view.__name__ = f"{name}_view"
    return view


reconciliation_compute = _agreement_form_action(
    "compute",
    f.ReconciliationComputeForm,
    lambda request, agreement, data: services.reconciliation_compute(
        actor=request.user,
        agreement=agreement,
        period=data["period"],
        other_party=data["other_party"],
    ),
    _("Avstämningen är beräknad."),
)

lesson_save = _agreement_form_action(
    "lesson",
    f.LessonForm,
    lambda request, agreement, data: services.lesson_save(
        actor=request.user, agreement=agreement, text=data["text"]
    ),
    _("Lärdomarna är sparade."),
)

catalogue_save = _agreement_form_action(
    "catalogue",
    f.CatalogueItemForm,
    lambda request, agreement, data: services.catalogue_item_save(
        actor=request.user, agreement=agreement, **data
    ),
    _("Katalogen är uppdaterad."),
)


def _reconciliation(request: HttpRequest, pk: int) -> Reconciliation:
    try:
        return selectors.reconciliation_get(user=request.user, pk=pk)
    except Reconciliation.DoesNotExist as error:
        raise Http404 from error


@defector_view
def reconciliation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reconciliation = _reconciliation(request, pk)
    own = services.municipality_of(request.user.organisation)  # type: ignore[union-attr]
    own_approved = (
        reconciliation.approved_a_at
        if own and own.pk == reconciliation.party_a_id
        else reconciliation.approved_b_at
    )
    return render(
        request,
        "defectors/reconciliation.html",
        {
            "r": reconciliation,
            "own": own,
            "own_approved": own_approved,
            "period": reconciliation.period_obj,
        },
    )


@require_POST
@defector_view
def reconciliation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    reconciliation = _reconciliation(request, pk)
    try:
        reconciliation = services.reconciliation_approve(
            actor=request.user, reconciliation=reconciliation
        )
    except DefectorError as error:
        messages.error(request, error.message)
    else:
        if reconciliation.locked_at:
            messages.success(request, _("Avstämningen är godkänd av båda parter och nu låst."))
        else:
            messages.success(
                request, _("Din kommun har godkänt avstämningen. Motparten behöver också godkänna.")
            )
    return redirect("defectors:reconciliation", pk=reconciliation.pk)


@defector_view
def evaluation_report(request: HttpRequest, pk: int) -> HttpResponse:
    from samverkan.defectors.report import render_evaluation_pdf

    agreement = _agreement(request, pk)
    data = selectors.evaluation_data(
        user=request.user, agreement=agreement, on=timezone.localdate()
    )
    pdf = render_evaluation_pdf(data, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="utvarderingsrapport-avhoppare-{agreement.pk}.pdf"'
    )
    return response
