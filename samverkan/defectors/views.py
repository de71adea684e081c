"""Defector pages (/avhoppare/): thin views over the services and selectors.

Every page needs a defector role (`access.DEFECTOR_ROLES`); an assignment or
agreement outside the user's two-party scope answers 404. Every form posts
through `core.views_support.form_action`: an action from the wrong side answers
403, wrong input is shown beside its field, and a state that no longer allows
the action is a message on the assignment's page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.accounts.decorators import role_required
from samverkan.agreements import access as agreement_access
from samverkan.agreements.models import Agreement, AgreementTypeCode
from samverkan.core.views_support import form_action
from samverkan.defectors import access, rules, selectors, services
from samverkan.defectors import forms as f
from samverkan.defectors.models import (
    Assignment,
    CatalogueIntervention,
    ChildrenTask,
    PlannedIntervention,
    Reconciliation,
)
from samverkan.defectors.report import render_evaluation_pdf
from samverkan.defectors.templatetags.defectors_tags import format_sek
from samverkan.registry.models import Organisation

defector_view = role_required(*access.DEFECTOR_ROLES)
T = TypeVar("T")


def _or_404(find: Callable[[], T]) -> T:
    """What `find` reads, or 404 when it does not exist or is not the user's to see."""
    try:
        return find()
    except ObjectDoesNotExist as error:
        raise Http404 from error


def _assignment(request: HttpRequest, pk: int, *, audit: bool = True) -> Assignment:
    return _or_404(lambda: selectors.assignment_get(user=request.user, pk=pk, audit=audit))


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return _or_404(lambda: selectors.agreement_get_for(user=request.user, pk=pk))


@defector_view
def assignment_list(request: HttpRequest) -> HttpResponse:
    assignments = selectors.assignment_list(user=request.user)
    agreements = selectors.defector_agreements_for(user=request.user)
    return render(
        request,
        "defectors/assignment_list.html",
        {"assignments": assignments, "agreements": agreements},
    )


def _receivers(user: Any, agreements: list[Agreement]) -> Any:
    """The municipalities the user's municipality may send an assignment to."""
    own = access.own_municipality(user)
    codes: set[str] = set()
    for agreement in agreements:
        codes |= access.party_codes(agreement)
    return Organisation.objects.filter(code__in=codes).exclude(pk=own.pk if own else 0)


@defector_view
def assignment_create(request: HttpRequest) -> HttpResponse:
    agreements = selectors.defector_agreements_for(user=request.user)
    receivers = _receivers(request.user, agreements)
    form = f.AssignmentCreateForm(request.POST or None, agreements=agreements, receivers=receivers)
    if request.method != "POST":
        return render(request, "defectors/assignment_form.html", {"form": form})
    return form_action(
        request,
        form,
        lambda data: services.assignment_create(
            actor=request.user,
            agreement=next(a for a in agreements if a.pk == data["agreement"]),
            receiving_municipality=data["receiving_municipality"],
            person_alias=data["person_alias"],
            summary=data["summary"],
        ),
        done=lambda assignment: (
            _("Uppdraget %(ref)s är registrerat.") % {"ref": assignment.reference}
        ),
        success_url=lambda assignment: reverse("defectors:detail", kwargs={"pk": assignment.pk}),
        rerender=lambda form: render(request, "defectors/assignment_form.html", {"form": form}),
    )


@defector_view
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk, audit=False)
    if not access.can_edit_draft(request.user, assignment):
        raise PermissionDenied(
            _("Bara hemkommunen ändrar ett utkast, och bara innan samrådet har inletts.")
        )
    form = f.AssignmentEditForm(
        request.POST or None,
        receivers=_receivers(request.user, [assignment.agreement]),
        initial={
            "receiving_municipality": assignment.receiving_municipality_id,
            "person_alias": assignment.person_alias,
            "summary": assignment.summary,
        },
    )

    def page(form: forms.Form) -> HttpResponse:
        return render(
            request, "defectors/assignment_form.html", {"form": form, "assignment": assignment}
        )

    if request.method != "POST":
        return page(form)
    return form_action(
        request,
        form,
        lambda data: services.assignment_edit(actor=request.user, assignment=assignment, **data),
        done=_("Utkastet är ändrat."),
        success_url=_back(assignment),
        rerender=page,
    )


def _detail_context(
    request: HttpRequest, assignment: Assignment, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    side = access.side_of(request.user, assignment)
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
    initial: dict[str, Any] = {
        "confirmed_on": today,
        "assessed_on": today,
        "held_on": today,
        "incurred_on": today,
        "decided_on": today,
    }

    # The kind just confirmed stays chosen (?forutsattning=<kind>), so the coordinator
    # sees what was recorded and need not pick it again to correct it.
    chosen = request.GET.get("forutsattning", "")
    if chosen in {kind.value for kind in rules.PreconditionKind}:
        initial["kind"] = chosen

    def form(name: str, cls: Callable[..., forms.Form], **kwargs: Any) -> forms.Form:
        return bound.get(name) or cls(initial=initial, auto_id=f"id_{name}_%s", **kwargs)

    return {
        "assignment": assignment,
        "side": side.value if side else "",
        "is_home": side is rules.Side.HOME,
        "is_receiving": side is rules.Side.RECEIVING,
        "events": assignment.events.select_related("actor").order_by("at", "id"),
        "precondition_rows": precondition_rows,
        "documents_required": [kind.value for kind in rules.DOCUMENT_REQUIRED],
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


def _back(assignment: Assignment, anchor: str = "") -> str:
    url = reverse("defectors:detail", kwargs={"pk": assignment.pk})
    return f"{url}#{anchor}" if anchor else url


# The page's name of each lifecycle action (its URL), and the service's.
PAGE_ACTIONS = {
    "samrad": "consultation",
    "begar": "request",
    "acceptera": "accept",
    "avboj": "decline",
    "starta": "activate",
    "avsluta": "end",
    "aterkalla": "withdraw",
}


@require_POST
@defector_view
def assignment_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assignment = _assignment(request, pk, audit=False)
    if action not in PAGE_ACTIONS:
        raise Http404
    name = PAGE_ACTIONS[action]
    _service, takes_reason = services.ASSIGNMENT_ACTIONS[name]
    form = f.ReasonForm(request.POST, auto_id="id_reason_%s") if takes_reason else None
    return form_action(
        request,
        form,
        lambda data: services.assignment_act(
            actor=request.user, assignment=assignment, action=name, reason=data.get("reason", "")
        ),
        done=_("Uppdraget är uppdaterat."),
        success_url=_back(assignment),
        conflict_url=_back(assignment, "atgarder"),
        rerender=lambda form: _rerender(request, assignment, "reason", form),
    )


def _assignment_form_action(
    name: str,
    form_class: Callable[..., forms.Form],
    service: Callable[..., Any],
    anchor: str,
    success: str | Callable[[Any], str],
    form_kwargs: Callable[[Assignment], dict[str, Any]] | None = None,
) -> Callable[..., HttpResponse]:
    """A page that posts one of the assignment page's forms to a service.

    The form's fields are the service's keywords besides `actor` and `assignment`.
    """

    @require_POST
    @defector_view
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        assignment = _assignment(request, pk, audit=False)
        extra = form_kwargs(assignment) if form_kwargs else {}
        form = form_class(request.POST, request.FILES, auto_id=f"id_{name}_%s", **extra)
        return form_action(
            request,
            form,
            lambda data: service(actor=request.user, assignment=assignment, **data),
            done=success,
            success_url=_back(assignment, anchor),
            rerender=lambda form: _rerender(request, assignment, name, form),
        )

    view.__name__ = f"{name}_view"
    return view


_precondition_post = _assignment_form_action(
    "precondition",
    f.PreconditionForm,
    services.precondition_confirm,
    "forutsattningar",
    _("Förutsättningen är registrerad."),
)


def precondition_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a precondition; the page comes back with the same kind chosen."""
    response = _precondition_post(request, pk)
    kind = request.POST.get("kind", "")
    if response.status_code == 302 and kind in {k.value for k in rules.PreconditionKind}:
        url = response["Location"]
        path, _sep, anchor = url.partition("#")
        response["Location"] = f"{path}?forutsattning={kind}#{anchor or 'forutsattningar'}"
    return response


threat_record = _assignment_form_action(
    "threat",
    f.ThreatForm,
    services.threat_assessment_record,
    "hotbild",
    _("Hotbedömningen är registrerad."),
)
children_task_create = _assignment_form_action(
    "children",
    f.ChildrenTaskForm,
    services.children_task_create,
    "barn",
    _("Uppgiften om barn är skapad och syns på båda parternas startsidor tills den stängs."),
)
consultation_record = _assignment_form_action(
    "consultation",
    f.ConsultationForm,
    services.consultation_record,
    "samrad",
    _("Samrådet är registrerat."),
)
plan_decide = _assignment_form_action(
    "plan", f.PlanForm, services.plan_decide, "plan", _("Genomförandeplanen är beslutad.")
)
intervention_add = _assignment_form_action(
    "intervention",
    f.InterventionForm,
    services.plan_intervention_add,
    "plan",
    _("Insatsen är tillagd i planen."),
    lambda assignment: {"agreement": assignment.agreement},
)


def _book(*, actor: Any, assignment: Assignment, intervention: int, **data: Any) -> Any:
    """Book on the intervention the form names (one of this assignment's plan)."""
    planned = PlannedIntervention.objects.get(pk=intervention, plan__assignment=assignment)
    return services.cost_book(actor=actor, assignment=assignment, intervention=planned, **data)


def _cost_form_kwargs(assignment: Assignment) -> dict[str, Any]:
    plan = getattr(assignment, "plan", None)
    return {"interventions": list(plan.interventions.all()) if plan else []}


def _booked(entry: Any) -> str:
    """Say which period the cost fell in: it is reconciled there."""
    period = rules.Period.parse(entry.period)
    return _("Kostnaden är bokförd på perioden %(period)s (%(months)s).") % {
        "period": period.name,
        "months": period.label,
    }


cost_book = _assignment_form_action(
    "cost", f.CostForm, _book, "kostnader", _booked, _cost_form_kwargs
)
followup_record = _assignment_form_action(
    "followup",
    f.FollowUpForm,
    services.followup_record,
    "uppfoljning",
    _("Uppföljningen är registrerad."),
)


def _no_form_action(
    request: HttpRequest, assignment: Assignment, call: Callable[[], object], done: str, anchor: str
) -> HttpResponse:
    """A button on the assignment page: the service's refusal is shown as a message."""
    back = _back(assignment, anchor)
    return form_action(
        request,
        None,
        lambda _data: call(),
        done=done,
        success_url=back,
        rerender=lambda _form: redirect(back),  # without a form nothing is shown again
    )


@require_POST
@defector_view
def children_task_close(request: HttpRequest, pk: int) -> HttpResponse:
    task = ChildrenTask.objects.filter(pk=pk).select_related("assignment").first()
    if task is None:
        raise Http404
    assignment = _assignment(request, task.assignment_id, audit=False)
    # The service refuses an empty resolution with the same text the form would give.
    resolution = request.POST.get("resolution", "")
    return _no_form_action(
        request,
        assignment,
        lambda: services.children_task_close(actor=request.user, task=task, resolution=resolution),
        _("Uppgiften om barn är stängd."),
        "barn",
    )


def _intervention(request: HttpRequest, pk: int) -> tuple[PlannedIntervention, Assignment]:
    intervention = PlannedIntervention.objects.filter(pk=pk).select_related("plan").first()
    if intervention is None:
        raise Http404
    return intervention, _assignment(request, intervention.plan.assignment_id, audit=False)


def _intervention_button(
    field: str, service: Callable[..., PlannedIntervention], done: str
) -> Callable[..., HttpResponse]:
    """A button on a planned intervention that sends one field (`field`) to `service`."""

    @require_POST
    @defector_view
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        intervention, assignment = _intervention(request, pk)
        # The service refuses an empty or unknown value with its own message.
        value = request.POST.get(field, "")
        return _no_form_action(
            request,
            assignment,
            lambda: service(actor=request.user, intervention=intervention, **{field: value}),
            done,
            "plan",
        )

    return view


intervention_decline = _intervention_button(
    "reason", services.intervention_decline_not_offered, _("Insatsen är avböjd.")
)
intervention_status = _intervention_button(
    "status", services.intervention_set_status, _("Insatsens status är ändrad.")
)


# --- agreement level: balance, reconciliation, lessons, terms, report --------------------------


def _agreement_context(
    request: HttpRequest, agreement: Any, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    own = access.own_municipality(request.user)
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
        "keeps_terms": access.can_keep_terms(request.user, agreement),
        "others": others,
    }


@defector_view
def agreement_overview(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    return render(request, "defectors/agreement.html", _agreement_context(request, agreement))


def _agreement_form_action(
    name: str,
    form_class: Callable[..., forms.Form],
    call: Callable[[HttpRequest, Agreement, dict[str, Any]], Any],
    success: str,
    form_kwargs: Callable[[Agreement], dict[str, Any]] | None = None,
) -> Callable[..., HttpResponse]:
    """A page that posts one of the agreement page's forms to a service.

    A computed reconciliation opens its own page; anything else returns to the agreement.
    """

    @require_POST
    @defector_view
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        agreement = _agreement(request, pk)
        form = form_class(request.POST, **(form_kwargs(agreement) if form_kwargs else {}))
        back = reverse("defectors:agreement", kwargs={"pk": agreement.pk})

        def rerender(form: forms.Form) -> HttpResponse:
            context = _agreement_context(request, agreement, {name: form})
            return render(request, "defectors/agreement.html", context, status=400)

        return form_action(
            request,
            form,
            lambda data: call(request, agreement, data),
            done=success,
            success_url=lambda result: (
                reverse("defectors:reconciliation", kwargs={"pk": result.pk})
                if isinstance(result, Reconciliation)
                else back
            ),
            conflict_url=back,
            rerender=rerender,
        )

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
    lambda agreement: {
        "parties": Organisation.objects.filter(code__in=access.party_codes(agreement))
    },
)

lesson_save = _agreement_form_action(
    "lesson",
    f.LessonForm,
    lambda request, agreement, data: services.lesson_save(
        actor=request.user, agreement=agreement, text=data["text"]
    ),
    _("Lärdomarna är sparade."),
)

terms_view = role_required(*access.TERMS_PAGE_ROLES)


def _terms_agreement(request: HttpRequest, pk: int) -> Agreement:
    """A defector agreement the user keeps the terms of (403 for one they only see)."""
    agreement = _or_404(
        lambda: (
            agreement_access.visible_to(request.user)
            .filter(type__code=AgreementTypeCode.DEFECTOR_SERVICES)
            .get(pk=pk)
        )
    )
    if not access.can_keep_terms(request.user, agreement):
        raise PermissionDenied(
            _("Bara avtalets administratörer ändrar pilottak, väsentlighetsgräns och katalog.")
        )
    return agreement


def _terms_page(
    request: HttpRequest, agreement: Agreement, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    bound = bound or {}
    terms_form = bound.get("terms") or f.TermsForm(
        initial={
            "pilot_max_sent": agreement.pilot_max_sent,
            "pilot_max_received": agreement.pilot_max_received,
            "pilot_until": agreement.pilot_until,
            "materiality_threshold": format_sek(agreement.materiality_threshold or 0),
        }
    )
    context = {
        "agreement": agreement,
        "terms_form": terms_form,
        "catalogue": CatalogueIntervention.objects.filter(agreement=agreement),
        "catalogue_form": bound.get("catalogue") or f.CatalogueItemForm(agreement=agreement),
        "history": agreement.defector_terms_changes.select_related("changed_by"),
    }
    return render(request, "defectors/terms.html", context, status=400 if bound else 200)


@terms_view
def agreement_terms(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _terms_agreement(request, pk)
    if request.method != "POST":
        return _terms_page(request, agreement)
    return form_action(
        request,
        f.TermsForm(request.POST),
        lambda data: services.agreement_terms_save(actor=request.user, agreement=agreement, **data),
        done=_("Avtalets villkor är sparade."),
        success_url=reverse("defectors:terms", kwargs={"pk": agreement.pk}),
        rerender=lambda form: _terms_page(request, agreement, {"terms": form}),
    )


@require_POST
@terms_view
def catalogue_save(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _terms_agreement(request, pk)
    return form_action(
        request,
        f.CatalogueItemForm(request.POST, agreement=agreement),
        lambda data: services.catalogue_item_save(actor=request.user, agreement=agreement, **data),
        done=_("Katalogen är uppdaterad."),
        success_url=reverse("defectors:terms", kwargs={"pk": agreement.pk}) + "#katalog",
        rerender=lambda form: _terms_page(request, agreement, {"catalogue": form}),
    )


def _reconciliation(request: HttpRequest, pk: int) -> Reconciliation:
    return _or_404(lambda: selectors.reconciliation_get(user=request.user, pk=pk))


@defector_view
def reconciliation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reconciliation = _reconciliation(request, pk)
    own = access.own_municipality(request.user)
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
            "preliminary": not reconciliation.period_obj.has_ended(timezone.localdate()),
            "shares": selectors.reconciliation_shares(reconciliation),
        },
    )


@require_POST
@defector_view
def reconciliation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    reconciliation = _reconciliation(request, pk)
    back = reverse("defectors:reconciliation", kwargs={"pk": reconciliation.pk})
    return form_action(
        request,
        None,
        lambda _data: services.reconciliation_approve(
            actor=request.user, reconciliation=reconciliation
        ),
        done=lambda approved: (
            _("Avstämningen är godkänd av båda parter och nu låst.")
            if approved.locked_at
            else _("Din kommun har godkänt avstämningen. Motparten behöver också godkänna.")
        ),
        success_url=back,
        rerender=lambda _form: redirect(back),  # without a form nothing is shown again
    )


@defector_view
def evaluation_report(request: HttpRequest, pk: int) -> HttpResponse:
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
