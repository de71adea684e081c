"""Web pages of single entry for the hub, the receiving municipality and the police (SPEC §4).

Thin views: each reads through a selector (scoped and audited) or posts one
form to one service through `core.views_support.form_action`, which turns the
service's Swedish errors into form errors, a 404 or a message. The forms on a
report's page are declared with `_ReportPage.form_post`: the form, its slot on
the page, the message and the service call; the rest is the same for all.
POST-redirect-GET everywhere; the htmx partials write nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import User
from samverkan.core.calendar import local_date
from samverkan.core.errors import InvalidInput, ServiceError
from samverkan.core.live import version_response
from samverkan.core.sessions import session_passive
from samverkan.core.views_support import form_action, raise_for_access, refuse_or_show
from samverkan.core.views_support import signed_in_user as _user
from samverkan.intake import access, selectors, services
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
from samverkan.intake.rules import PROTECTION_FIRST, REASON_LABELS, Decision, overdue
from samverkan.intake.ui_support import (
    fallbacks_for_organisations,
    municipality_options,
    person_id_check,
    remember,
)

SUBMITTED_KEY = "intake_registrations"
NOT_ELIGIBLE_KEY = "intake_not_eligible"


def _reasons(codes: Any) -> list[str]:
    return [REASON_LABELS.get(code, code) for code in codes]


def _hub_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "alarm_count": selectors.hub_alarm_count(user=request.user),
        "live_version": selectors.hub_live_version(user=request.user),
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/anmalningar/: each side's own start page."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    if access.is_hub(request.user):
        return redirect("intake:hub_queue")
    if access.is_receiver(request.user):
        return redirect("intake:inbox")
    if access.is_police_operator(request.user):
        return redirect("intake:police_status")
    raise PermissionDenied


# --- the hub ------------------------------------------------------------------------


def _queue_context(request: HttpRequest) -> dict[str, Any]:
    rows = selectors.hub_queue(user=request.user)
    escalated = {row.controller_code for row in rows if row.escalated}
    now = timezone.now()
    fallbacks = fallbacks_for_organisations(escalated, now=now)
    return {
        "rows": [(row, fallbacks.get(row.controller_code)) for row in rows],
        "alarm_count": sum(1 for row in rows if row.escalated),
        "live_version": selectors.hub_live_version(user=request.user),
        "now": now,
    }


@session_passive(renews_idle_time=False)
@role_required(*access.HUB)
@require_GET
def hub_queue(request: HttpRequest) -> HttpResponse:
    context = _queue_context(request)
    template = "intake/hub/_queue.html" if request.htmx else "intake/hub/queue.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@session_passive(renews_idle_time=False)
@role_required(*access.HUB)
@require_GET
def hub_alarm(request: HttpRequest) -> HttpResponse:
    """htmx polling of the alarm badge: 204 (nothing swapped, nothing re-announced) if unchanged."""
    context = {"alarm_count": selectors.hub_alarm_count(user=request.user)}
    if request.GET.get("count") == str(context["alarm_count"]):
        return HttpResponse(status=204)
    return render(request, "intake/hub/_alarm.html", context)


@session_passive(renews_idle_time=False)
@role_required(*access.HUB)
@require_GET
def hub_version(request: HttpRequest) -> HttpResponse:
    """The version an open hub screen polls (core/live.py): 304 while nothing changed."""
    return version_response(request, selectors.hub_live_version(user=request.user))


def _register_context(request: HttpRequest, form: RegistrationForm) -> dict[str, Any]:
    return {
        "form": form,
        "municipalities": form.options,
        "decision": None,
        **_hub_context(request),
    }


@role_required(*access.HUB)
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
    except ServiceError as error:
        # Not `form_action`: every refusal, a conflict too, stays on the form the worker is
        # still typing in while on the phone, and a resent form is answered above.
        refuse_or_show(form, error)
        return render(request, "intake/hub/register.html", _register_context(request, form))
    if result.report is not None:
        url = reverse("intake:hub_report", args=[result.report.pk])
        messages.success(request, "Anmälan är registrerad. Ring numret nedan och lämna över.")
    else:
        decision = result.decision
        unit = decision.receiving_unit
        shown = {
            "reasons": list(decision.reasons),
            "advice": decision.advice,
            "unit": unit.name if unit else "",
            "numbers": [number.as_json() for number in decision.numbers],
        }
        request.session[NOT_ELIGIBLE_KEY] = remember(
            request.session.get(NOT_ELIGIBLE_KEY, {}), result.public_id, shown, keep=20
        )
        url = reverse("intake:hub_not_eligible", args=[result.public_id])
    if submission:
        request.session[SUBMITTED_KEY] = remember(done, submission, url, keep=50)
    return redirect(url)


@session_passive(renews_idle_time=True)
@role_required(*access.HUB)
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
    elif form.errors.get("birth_date"):
        problem = str(form.errors["birth_date"][0])
    elif not data.get("found_in"):
        missing = "Fyll i var barnet påträffades för att se beslutet."
    elif not check.ok:
        problem = check.message
    elif not data.get("person_id") and not data.get("birth_date"):
        missing = "Fyll i personnummer eller uppskattat födelsedatum för att se beslutet."
    elif data.get("gang_related") not in (True, False):
        missing = "Svara Ja eller Nej om gängrelaterad risk för att se beslutet."
    else:
        try:
            decision = services.report_decide(data=form.report_input(), at=now)
        except InvalidInput as error:
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


@role_required(*access.HUB)
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


def _hub_gone_on_404(view: Any) -> Any:
    """A clear 404: after acceptance the hub's access to the report's personal data has ended.

    Also when the receiving side accepts while a hub worker is filling in a form.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        try:
            return view(request, pk)
        except Http404:
            return render(request, "intake/hub/gone.html", _hub_context(request), status=404)

    return wrapper


_ReportCall = Callable[[User, ConcernReport, dict[str, Any]], object]
"""A service call for a form about one report: (actor, report, the form's cleaned data)."""

_PageView = Callable[..., HttpResponse]


@dataclass(frozen=True)
class _ReportPage:
    """One side's page about a report, and where the forms posted from it lead.

    Every form on the page is posted the same way (`form_post`): the user's
    roles checked, the report looked up as this side may see it, the form
    posted to one service through `form_action`, and an invalid form or a
    refusal shown again on this page in the form's slot.
    """

    roles: tuple[str, ...]
    reason: str  # why the read is audited
    url_name: str
    render: Callable[..., HttpResponse]  # (request, report, **{slot: form})
    conflict_url_name: str | None = None  # None: back to the report
    on_404: Callable[[_PageView], _PageView] | None = None

    def report(self, request: HttpRequest, pk: int) -> ConcernReport:
        """The report if this side may open it (the read is audited with `reason`), else 404."""
        try:
            return selectors.report_detail(user=request.user, report_id=pk, reason=self.reason)
        except ServiceError as error:
            raise_for_access(error)
            raise

    def form_post(
        self, form_class: type[forms.Form] | None, slot: str, *, done: str, then: str = ""
    ) -> Callable[[_ReportCall], _PageView]:
        """A POST view for the form in `slot`; `then` names the page after success if
        it is not the report's own (the report may have left this side)."""

        def decorate(call: _ReportCall) -> _PageView:
            def view(request: HttpRequest, pk: int) -> HttpResponse:
                report = self.report(request, pk)
                report_url = reverse(self.url_name, args=[pk])
                return form_action(
                    request,
                    form_class(request.POST) if form_class else None,
                    lambda data: call(_user(request), report, data),
                    done=done,
                    success_url=reverse(then) if then else report_url,
                    rerender=lambda form: self.render(request, report, **{slot: form}),
                    conflict_url=(
                        reverse(self.conflict_url_name) if self.conflict_url_name else report_url
                    ),
                )

            inner = self.on_404(view) if self.on_404 else view
            return wraps(call)(role_required(*self.roles)(require_POST(inner)))

        return decorate


def _render_hub_report(request: HttpRequest, report: ConcernReport, **forms: Any) -> HttpResponse:
    contacts = selectors.handover_contacts(report)
    handovers = list(report.handovers.all())
    current = next((h for h in reversed(handovers) if h.outcome == Handover.Outcome.PENDING), None)
    attempts = [a for h in handovers for a in h.attempts.all()]
    # Who answers now first (`registry.rules.numbers_to_call`); the log form starts with it.
    first = contacts.numbers[0] if contacts.numbers else None
    attempt_initial = {"number_called": first.number} if first else {}
    context = {
        "report": report,
        "contacts": contacts,
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
    return render(request, "intake/hub/report.html", context)


# Hub forms about a report lead back to it, or to the queue on a conflict (someone else
# acted first; the report may no longer be the hub's).
_HUB_REPORT = _ReportPage(
    roles=access.HUB,
    reason="handover",
    url_name="intake:hub_report",
    render=_render_hub_report,
    conflict_url_name="intake:hub_queue",
    on_404=_hub_gone_on_404,
)


@role_required(*access.HUB)
@require_GET
@_hub_gone_on_404
def hub_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_hub_report(request, _HUB_REPORT.report(request, pk))


@_HUB_REPORT.form_post(HandoverAttemptForm, "attempt_form", done="Samtalet är loggat.")
def hub_attempt(actor: User, report: ConcernReport, data: dict[str, Any]) -> object:
    return services.handover_attempt_record(
        actor=actor,
        report_id=report.pk,
        number_called=data["number_called"],
        reached=data["reached"] == "yes",
        person_reached=data.get("person_reached", ""),
        note=data.get("note", ""),
    )


@_HUB_REPORT.form_post(
    PhoneAcceptanceForm,
    "phone_form",
    done="Överlämningen är klar. Socialjouren har inte längre tillgång till anmälans uppgifter.",
    # Accepted: the hub may no longer open the report.
    then="intake:hub_queue",
)
def hub_accept_by_phone(actor: User, report: ConcernReport, data: dict[str, Any]) -> object:
    return services.handover_accept_by_phone(
        actor=actor, report_id=report.pk, receiver_name=data["receiver_name"]
    )


@_HUB_REPORT.form_post(ClarificationForm, "clarification_form", done="Kontakten är loggad.")
def hub_clarify(actor: User, report: ConcernReport, data: dict[str, Any]) -> object:
    return services.report_clarify(
        actor=actor, report_id=report.pk, contact=data["contact"], added=data["added"]
    )


@_HUB_REPORT.form_post(RerouteForm, "reroute_form", done="Anmälan är dirigerad på nytt.")
def hub_reroute(actor: User, report: ConcernReport, data: dict[str, Any]) -> object:
    return services.report_reroute(
        actor=actor,
        report_id=report.pk,
        home_municipality=data["home_municipality"],
        home_district=data.get("home_district") or None,
    )


# --- the receiving municipality -------------------------------------------------------


@role_required(*access.RECEIVERS)
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
            "escalated_count": sum(1 for row in incoming if row.escalated),
            "open_items": open_items,
            "answers": selectors.unread_answers(user=request.user),
            "overdue": selectors.overdue_for_user(user=request.user),
            "escalation_minutes": settings.HANDOVER_ESCALATION_MINUTES,
            "live_version": selectors.inbox_live_version(user=request.user),
        },
    )


@session_passive(renews_idle_time=False)
@role_required(*access.RECEIVERS)
@require_GET
def inbox_version(request: HttpRequest) -> HttpResponse:
    """The version an open inbox polls (core/live.py): 304 while nothing changed."""
    return version_response(request, selectors.inbox_live_version(user=request.user))


def _render_receiver_report(
    request: HttpRequest, report: ConcernReport, **forms: Any
) -> HttpResponse:
    now = timezone.now()
    protection = getattr(report, "protection_assessment", None)
    preliminary = getattr(report, "preliminary_assessment", None)
    feedback = getattr(report, "feedback", None)
    requests = list(report.information_requests.all())
    unread = {r.pk for r in requests if r.answered_at is not None and r.answer_read_at is None}
    context = {
        "report": report,
        "repeats": selectors.repeat_reports(user=request.user, report=report),
        "escalated": selectors.is_escalated(report, now),
        "escalation_minutes": settings.HANDOVER_ESCALATION_MINUTES,
        "protection": protection,
        "preliminary": preliminary,
        "feedback": feedback,
        "requests": requests,
        "unread_ids": unread,
        "unread_answers": len(unread),
        "protection_first": PROTECTION_FIRST,
        "protection_overdue": overdue(
            report.protection_assessment_due, done=protection is not None, now=now
        ),
        "preliminary_overdue": overdue(
            report.preliminary_assessment_due, done=preliminary is not None, now=now
        ),
        "feedback_overdue": feedback is not None
        and overdue(feedback.due, done=feedback.delivered_at is not None, now=now),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "protection_form": forms.get("protection_form") or ProtectionAssessmentForm(),
        "preliminary_form": forms.get("preliminary_form") or PreliminaryAssessmentForm(),
        "request_form": forms.get("request_form") or InformationRequestForm(),
    }
    return render(request, "intake/receiver/report.html", context)


# A receiver's forms about a report lead back to it (also on a conflict).
_RECEIVER_REPORT = _ReportPage(
    roles=access.RECEIVERS,
    reason="receiving",
    url_name="intake:receiver_report",
    render=_render_receiver_report,
)


@role_required(*access.RECEIVERS)
@require_GET
def receiver_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _RECEIVER_REPORT.report(request, pk)
    response = _render_receiver_report(request, report)  # still shows the new answers as new
    if any(r.answered_at and not r.answer_read_at for r in report.information_requests.all()):
        services.information_answers_mark_read(actor=_user(request), report_id=report.pk)
    return response


@_RECEIVER_REPORT.form_post(None, "", done="Du har tagit emot anmälan. Gör skyddsbedömningen nu.")
def receiver_accept(actor: User, report: ConcernReport, data: dict[str, Any]) -> object:
    return services.handover_accept(actor=actor, report_id=report.pk)


@_RECEIVER_REPORT.form_post(
    RejectForm,
    "reject_form",
    done="Anmälan är skickad tillbaka till Socialjouren för ny dirigering.",
    # Sent back: the report leaves this receiver's queue.
    then="intake:inbox",
)
def receiver_reject(actor: User, report: ConcernReport, data: dict[str, Any]) -> object:
    return services.handover_reject(actor=actor, report_id=report.pk, reason=data["reason"])


@_RECEIVER_REPORT.form_post(
    ProtectionAssessmentForm, "protection_form", done="Skyddsbedömningen är registrerad."
)
def receiver_protection(actor: User, report: ConcernReport, data: dict[str, Any]) -> object:
    return services.protection_assessment_record(
        actor=actor,
        report_id=report.pk,
        made_at=ProtectionAssessmentForm.made_at_value(data["made_at"], report.received_at),
        immediate_protection_needed=data["immediate_protection_needed"] == "yes",
    )


@_RECEIVER_REPORT.form_post(
    PreliminaryAssessmentForm, "preliminary_form", done="Förhandsbedömningen är registrerad."
)
def receiver_preliminary(actor: User, report: ConcernReport, data: dict[str, Any]) -> object:
    return services.preliminary_assessment_record(
        actor=actor,
        report_id=report.pk,
        decision=data["decision"],
        decided_on=data["decided_on"],
        extension_reason=data.get("extension_reason", ""),
    )


@_RECEIVER_REPORT.form_post(
    InformationRequestForm, "request_form", done="Informationsbegäran är skickad till polisen."
)
def receiver_information_request(
    actor: User, report: ConcernReport, data: dict[str, Any]
) -> object:
    return services.information_request_send(
        actor=actor, report_id=report.pk, kind=data["kind"], question=data["question"]
    )


@_RECEIVER_REPORT.form_post(None, "", done="Återkopplingen är lämnad till polisen.")
def receiver_feedback(actor: User, report: ConcernReport, data: dict[str, Any]) -> object:
    return services.feedback_deliver(actor=actor, report_id=report.pk)


# --- the police -------------------------------------------------------------------------


@role_required(*access.POLICE)
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


@role_required(*access.POLICE)
@require_GET
def police_requests(request: HttpRequest) -> HttpResponse:
    return _render_police_requests(request)


@role_required(*access.POLICE)
@require_POST
def police_answer(request: HttpRequest, pk: int) -> HttpResponse:
    requests_url = reverse("intake:police_requests")
    return form_action(
        request,
        InformationAnswerForm(request.POST, prefix=f"r{pk}"),
        lambda data: services.information_request_answer(
            actor=_user(request), request_id=pk, answer=data["answer"]
        ),
        done="Svaret är skickat till socialtjänsten.",
        success_url=requests_url,
        rerender=lambda form: _render_police_requests(request, {pk: form}),
        conflict_url=requests_url,
    )
