"""Web pages of single entry for the hub, the receiving municipality and the police (SPEC §4).

Thin views: each reads through a selector (scoped and audited) or calls one
service, and turns the service's Swedish errors into form errors, a 404 or a
message. POST-redirect-GET everywhere; the htmx partials write nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.access import has_role
from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import RoleCode
from samverkan.core.calendar import local_date
from samverkan.core.sessions import session_passive
from samverkan.core.views_support import signed_in_user as _user
from samverkan.intake import selectors, services
from samverkan.intake.forms import (
    ClarificationForm,
    DecisionPreviewForm,
    HandoverAttemptForm,
    InformationAnswerForm,
    InformationRequestForm,
    PhoneAcceptanceForm,
    PreliminaryAssessmentForm,
    ProtectionAssessmentForm,
    RegistrationForm,
    RejectForm,
    RerouteForm,
)
from samverkan.intake.models import ConcernReport, Handover
from samverkan.intake.rules import REASON_LABELS, Decision
from samverkan.intake.ui_support import (
    fallbacks_for_organisations,
    municipality_options,
    person_id_check,
)

HUB = RoleCode.HUB_WORKER
RECEIVER = RoleCode.RECEIVER
POLICE = RoleCode.POLICE_OPERATOR
SUBMITTED_KEY = "intake_registrations"
NOT_ELIGIBLE_KEY = "intake_not_eligible"


def _reasons(codes: Any) -> list[str]:
    return [REASON_LABELS.get(code, code) for code in codes]


def _hub_context(request: HttpRequest) -> dict[str, Any]:
    return {"alarm_count": selectors.hub_alarm_count(user=request.user)}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/anmalningar/: each side's own start page."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    if has_role(request.user, HUB):
        return redirect("intake:hub_queue")
    if has_role(request.user, RECEIVER):
        return redirect("intake:inbox")
    if has_role(request.user, POLICE):
        return redirect("intake:police_status")
    raise PermissionDenied


# --- the hub ------------------------------------------------------------------------


def _queue_context(request: HttpRequest) -> dict[str, Any]:
    rows = selectors.hub_queue(user=request.user)
    escalated = {row.controller_code for row in rows if row.escalated}
    fallbacks = fallbacks_for_organisations(escalated)
    return {
        "rows": [(row, fallbacks.get(row.controller_code)) for row in rows],
        "alarm_count": sum(1 for row in rows if row.escalated),
        "now": timezone.now(),
    }


@session_passive(renews_idle_time=False)
@role_required(HUB)
@require_GET
def hub_queue(request: HttpRequest) -> HttpResponse:
    context = _queue_context(request)
    template = "intake/hub/_queue.html" if request.htmx else "intake/hub/queue.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@session_passive(renews_idle_time=False)
@role_required(HUB)
@require_GET
def hub_alarm(request: HttpRequest) -> HttpResponse:
    """htmx polling of the alarm badge: 204 (nothing swapped, nothing re-announced) if unchanged."""
    context = _hub_context(request)
    if request.GET.get("count") == str(context["alarm_count"]):
        return HttpResponse(status=204)
    return render(request, "intake/hub/_alarm.html", context)


def _register_context(request: HttpRequest, form: RegistrationForm) -> dict[str, Any]:
    return {
        "form": form,
        "municipalities": form.options,
        "decision": None,
        **_hub_context(request),
    }


@role_required(HUB)
@require_http_methods(["GET", "POST"])
def hub_register(request: HttpRequest) -> HttpResponse:
    options = municipality_options()
    if request.method == "GET":
        form = RegistrationForm(options=options, initial={"submission": uuid.uuid4().hex})
        return render(request, "intake/hub/register.html", _register_context(request, form))
    form = RegistrationForm(request.POST, options=options)
    submission = request.POST.get("submission", "")
    done = request.session.get(SUBMITTED_KEY, {})
    if submission and submission in done:
        # The same form sent twice (double click, retry after a timeout): show the first result.
        return redirect(done[submission])
    if not form.is_valid():
        return render(request, "intake/hub/register.html", _register_context(request, form))
    try:
        result = services.report_register(actor=_user(request), data=form.report_input())
    except services.InvalidInput as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return render(request, "intake/hub/register.html", _register_context(request, form))
    except services.NotAllowed as error:
        raise PermissionDenied(error.message) from error
    if result.report is not None:
        url = reverse("intake:hub_report", args=[result.report.pk])
        messages.success(request, "Anmälan är registrerad. Ring numret nedan och lämna över.")
    else:
        decision = result.decision
        unit = decision.receiving_unit
        stored = request.session.get(NOT_ELIGIBLE_KEY, {})
        stored[result.public_id] = {
            "reasons": list(decision.reasons),
            "advice": decision.advice,
            "unit": unit.name if unit else "",
            "phone": unit.phone if unit else "",
        }
        request.session[NOT_ELIGIBLE_KEY] = dict(list(stored.items())[-20:])
        url = reverse("intake:hub_not_eligible", args=[result.public_id])
    if submission:
        done[submission] = url
        request.session[SUBMITTED_KEY] = dict(list(done.items())[-50:])
    return redirect(url)


@session_passive(renews_idle_time=True)
@role_required(HUB)
@require_POST
def hub_decide(request: HttpRequest) -> HttpResponse:
    """htmx partial: the decision and the number to call while the worker types. Writes nothing."""
    now = timezone.now()
    form = DecisionPreviewForm(request.POST, on=local_date(now))
    form.is_valid()
    check = person_id_check(request.POST.get("person_id", ""), on=local_date(now))
    decision: Decision | None = None
    missing = ""
    problem = ""
    data = form.cleaned_data
    if form.errors.get("found_in") or form.errors.get("home_municipality"):
        problem = "Kommunen känns inte igen. Välj i listan eller skriv kommunkoden."
    elif not data.get("found_in"):
        missing = "Fyll i var barnet påträffades för att se beslutet."
    elif not check.ok:
        problem = check.message
    elif not data.get("person_id") and not data.get("birth_date"):
        missing = "Fyll i personnummer eller uppskattat födelsedatum för att se beslutet."
    else:
        try:
            decision = services.report_decide(data=form.report_input(), at=now)
        except services.InvalidInput as error:
            problem = error.message
    return render(
        request,
        "intake/hub/_decision.html",
        {
            "decision": decision,
            "reasons": _reasons(decision.reasons) if decision else [],
            "missing": missing,
            "problem": problem,
            "check": check,
            "oob": True,
        },
    )


@role_required(HUB)
@require_GET
def hub_not_eligible(request: HttpRequest, public_id: str) -> HttpResponse:
    """What to tell the police when a report is outside single entry. No personal data here."""
    stored = request.session.get(NOT_ELIGIBLE_KEY, {}).get(public_id)
    if stored is None:
        raise Http404
    return render(
        request,
        "intake/hub/not_eligible.html",
        {"result": stored, "reasons": _reasons(stored["reasons"]), **_hub_context(request)},
    )


class HubReportGone(Exception):
    """The hub may not open the report: it does not exist or was accepted (access ended)."""


def _hub_report_or_404(request: HttpRequest, pk: int) -> ConcernReport:
    try:
        return selectors.report_detail(user=request.user, report_id=pk, reason="handover")
    except services.ReportNotFound as error:
        raise HubReportGone from error


def _hub_gone(request: HttpRequest) -> HttpResponse:
    """A clear 404: after acceptance the hub's access to the report's personal data has ended."""
    return render(request, "intake/hub/gone.html", _hub_context(request), status=404)


def _render_hub_report(
    request: HttpRequest, report: ConcernReport, status: int = 200, **forms: Any
) -> HttpResponse:
    contacts = selectors.handover_contacts(report)
    handovers = list(report.handovers.all())
    current = next((h for h in reversed(handovers) if h.outcome == Handover.Outcome.PENDING), None)
    attempts = [a for h in handovers for a in h.attempts.all()]
    first_line = next(
        (line for line in contacts.phone_lines if line.unit_id == report.receiving_unit_id),
        contacts.phone_lines[0] if contacts.phone_lines else None,
    )
    attempt_initial = {"number_called": first_line.number} if first_line else {}
    context = {
        "report": report,
        "contacts": contacts,
        "call_now": first_line,
        "fallback_lines": [line for line in contacts.phone_lines if line is not first_line],
        "current_handover": current,
        "attempts": attempts,
        "clarifications": list(report.clarifications.all()),
        "escalated": report.escalated_at is not None
        or (
            report.accepted_at is None
            and report.routed_at <= services.escalation_threshold(timezone.now())
        ),
        "attempt_form": forms.get("attempt_form") or HandoverAttemptForm(initial=attempt_initial),
        "phone_form": forms.get("phone_form") or PhoneAcceptanceForm(),
        "clarification_form": forms.get("clarification_form") or ClarificationForm(),
        "reroute_form": forms.get("reroute_form") or RerouteForm(),
        "municipalities": municipality_options() if report.rejected_at else [],
        **_hub_context(request),
    }
    return render(request, "intake/hub/report.html", context, status=status)


@role_required(HUB)
@require_GET
def hub_report(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = _hub_report_or_404(request, pk)
    except HubReportGone:
        return _hub_gone(request)
    return _render_hub_report(request, report)


def _apply_error(form: Any, error: services.IntakeError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.message)


def _hub_action(
    request: HttpRequest, pk: int, form_class: Any, form_name: str, action: Any, done: str
) -> HttpResponse:
    try:
        report = _hub_report_or_404(request, pk)
    except HubReportGone:
        return _hub_gone(request)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(report, form.cleaned_data)
        except services.ReportNotFound:
            return _hub_gone(request)
        except services.Conflict as error:
            messages.error(request, error.message)
            return redirect("intake:hub_queue")
        except services.IntakeError as error:
            _apply_error(form, error)
        else:
            messages.success(request, done)
            if form_name == "phone_form":
                return redirect("intake:hub_queue")
            return redirect("intake:hub_report", pk=pk)
    return _render_hub_report(request, report, status=200, **{form_name: form})


@role_required(HUB)
@require_POST
def hub_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: ConcernReport, data: dict[str, Any]) -> None:
        services.handover_attempt_record(
            actor=_user(request),
            report_id=report.pk,
            number_called=data["number_called"],
            reached=data["reached"] == "yes",
            person_reached=data.get("person_reached", ""),
            note=data.get("note", ""),
        )

    return _hub_action(
        request, pk, HandoverAttemptForm, "attempt_form", action, "Samtalet är loggat."
    )


@role_required(HUB)
@require_POST
def hub_accept_by_phone(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: ConcernReport, data: dict[str, Any]) -> None:
        services.handover_accept_by_phone(
            actor=_user(request), report_id=report.pk, receiver_name=data["receiver_name"]
        )

    return _hub_action(
        request,
        pk,
        PhoneAcceptanceForm,
        "phone_form",
        action,
        "Överlämningen är klar. Socialjouren har inte längre tillgång till anmälans uppgifter.",
    )


@role_required(HUB)
@require_POST
def hub_clarify(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: ConcernReport, data: dict[str, Any]) -> None:
        services.report_clarify(
            actor=_user(request), report_id=report.pk, contact=data["contact"], added=data["added"]
        )

    return _hub_action(
        request, pk, ClarificationForm, "clarification_form", action, "Kontakten är loggad."
    )


@role_required(HUB)
@require_POST
def hub_reroute(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: ConcernReport, data: dict[str, Any]) -> None:
        services.report_reroute(
            actor=_user(request),
            report_id=report.pk,
            home_municipality=data["home_municipality"],
            home_district=data.get("home_district") or None,
        )

    return _hub_action(
        request, pk, RerouteForm, "reroute_form", action, "Anmälan är dirigerad på nytt."
    )


# --- the receiving municipality -------------------------------------------------------


@role_required(RECEIVER)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    rows = selectors.receiving_queue(user=request.user)
    incoming = [row for row in rows if row.accepted_at is None]
    open_items = [row for row in rows if row.accepted_at is not None]
    return render(
        request,
        "intake/receiver/inbox.html",
        {
            "incoming": incoming,
            "open_items": open_items,
            "overdue": selectors.overdue_for_user(user=request.user),
        },
    )


def _receiver_report_or_404(request: HttpRequest, pk: int) -> ConcernReport:
    try:
        return selectors.report_detail(user=request.user, report_id=pk, reason="receiving")
    except services.ReportNotFound as error:
        raise Http404(error.message) from error


def _render_receiver_report(
    request: HttpRequest, report: ConcernReport, **forms: Any
) -> HttpResponse:
    today = local_date(timezone.now())
    protection = getattr(report, "protection_assessment", None)
    preliminary = getattr(report, "preliminary_assessment", None)
    feedback = getattr(report, "feedback", None)
    context = {
        "report": report,
        "repeats": selectors.repeat_reports(user=request.user, report=report),
        "protection": protection,
        "preliminary": preliminary,
        "feedback": feedback,
        "requests": list(report.information_requests.all()),
        "protection_overdue": protection is None
        and report.protection_assessment_due < timezone.now(),
        "preliminary_overdue": preliminary is None and report.preliminary_assessment_due < today,
        "feedback_overdue": feedback is not None
        and feedback.delivered_at is None
        and feedback.due < today,
        "reject_form": forms.get("reject_form") or RejectForm(),
        "protection_form": forms.get("protection_form") or ProtectionAssessmentForm(),
        "preliminary_form": forms.get("preliminary_form") or PreliminaryAssessmentForm(),
        "request_form": forms.get("request_form") or InformationRequestForm(),
    }
    return render(request, "intake/receiver/report.html", context)


@role_required(RECEIVER)
@require_GET
def receiver_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_receiver_report(request, _receiver_report_or_404(request, pk))


def _receiver_action(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    form_name: str,
    action: Any,
    done: str,
) -> HttpResponse:
    report = _receiver_report_or_404(request, pk)
    form = form_class(request.POST) if form_class is not None else None
    if form is None or form.is_valid():
        data = form.cleaned_data if form is not None else {}
        try:
            action(report, data, form)
        except services.ReportNotFound as error:
            raise Http404(error.message) from error
        except services.Conflict as error:
            messages.error(request, error.message)
            return redirect("intake:receiver_report", pk=pk)
        except services.IntakeError as error:
            if form is None:
                messages.error(request, error.message)
                return redirect("intake:receiver_report", pk=pk)
            _apply_error(form, error)
        else:
            messages.success(request, done)
            if form_name == "reject_form":
                return redirect("intake:inbox")
            return redirect("intake:receiver_report", pk=pk)
    return _render_receiver_report(request, report, **{form_name: form})


@role_required(RECEIVER)
@require_POST
def receiver_accept(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: ConcernReport, data: dict[str, Any], form: Any) -> None:
        services.handover_accept(actor=_user(request), report_id=report.pk)

    return _receiver_action(
        request, pk, None, "", action, "Du har tagit emot anmälan. Gör skyddsbedömningen nu."
    )


@role_required(RECEIVER)
@require_POST
def receiver_reject(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: ConcernReport, data: dict[str, Any], form: Any) -> None:
        services.handover_reject(actor=_user(request), report_id=report.pk, reason=data["reason"])

    return _receiver_action(
        request,
        pk,
        RejectForm,
        "reject_form",
        action,
        "Anmälan är skickad tillbaka till Socialjouren för ny dirigering.",
    )


@role_required(RECEIVER)
@require_POST
def receiver_protection(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: ConcernReport, data: dict[str, Any], form: Any) -> None:
        services.protection_assessment_record(
            actor=_user(request),
            report_id=report.pk,
            made_at=form.made_at_value(report.received_at),
            immediate_protection_needed=data["immediate_protection_needed"] == "yes",
        )

    return _receiver_action(
        request,
        pk,
        ProtectionAssessmentForm,
        "protection_form",
        action,
        "Skyddsbedömningen är registrerad.",
    )


@role_required(RECEIVER)
@require_POST
def receiver_preliminary(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: ConcernReport, data: dict[str, Any], form: Any) -> None:
        services.preliminary_assessment_record(
            actor=_user(request),
            report_id=report.pk,
            decision=data["decision"],
            decided_on=data["decided_on"],
            extension_reason=data.get("extension_reason", ""),
        )

    return _receiver_action(
        request,
        pk,
        PreliminaryAssessmentForm,
        "preliminary_form",
        action,
        "Förhandsbedömningen är registrerad.",
    )


@role_required(RECEIVER)
@require_POST
def receiver_information_request(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: ConcernReport, data: dict[str, Any], form: Any) -> None:
        services.information_request_send(
            actor=_user(request), report_id=report.pk, kind=data["kind"], question=data["question"]
        )

    return _receiver_action(
        request,
        pk,
        InformationRequestForm,
        "request_form",
        action,
        "Informationsbegäran är skickad till polisen.",
    )


@role_required(RECEIVER)
@require_POST
def receiver_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: ConcernReport, data: dict[str, Any], form: Any) -> None:
        services.feedback_deliver(actor=_user(request), report_id=report.pk)

    return _receiver_action(request, pk, None, "", action, "Återkopplingen är lämnad till polisen.")


# --- the police -------------------------------------------------------------------------


@role_required(POLICE)
@require_GET
def police_status(request: HttpRequest) -> HttpResponse:
    statuses = selectors.report_statuses_for_police(user=request.user)
    return render(request, "intake/police/status.html", {"statuses": statuses})


def _render_police_requests(
    request: HttpRequest, forms: dict[int, Any] | None = None
) -> HttpResponse:
    forms = forms or {}
    requests = selectors.information_requests_for_police(user=request.user, open_only=False)
    rows = [
        (item, forms.get(item.pk) or InformationAnswerForm(prefix=f"r{item.pk}"))
        for item in requests
    ]
    return render(request, "intake/police/requests.html", {"rows": rows})


@role_required(POLICE)
@require_GET
def police_requests(request: HttpRequest) -> HttpResponse:
    return _render_police_requests(request)


@role_required(POLICE)
@require_POST
def police_answer(request: HttpRequest, pk: int) -> HttpResponse:
    form = InformationAnswerForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        try:
            services.information_request_answer(
                actor=_user(request), request_id=pk, answer=form.cleaned_data["answer"]
            )
        except services.ReportNotFound as error:
            raise Http404(error.message) from error
        except services.Conflict as error:
            messages.error(request, error.message)
            return redirect("intake:police_requests")
        except services.IntakeError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Svaret är skickat till socialtjänsten.")
            return redirect("intake:police_requests")
    return _render_police_requests(request, {pk: form})
