"""Agreement pages: thin views that parse, call one service and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.accounts.access import has_role
from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import RoleCode
from samverkan.agreements import documents, forms, selectors, services
from samverkan.agreements.models import (
    Agreement,
    AgreementDecision,
    DataProcessingAgreement,
    Notice,
    TerminationNotification,
)
from samverkan.core.calendar import local_date


def _visible_agreement(request: HttpRequest, pk: int) -> Agreement:
    return get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)


def _admin_agreement(request: HttpRequest, pk: int) -> Agreement:
    agreement = _visible_agreement(request, pk)
    if not selectors.can_administer(request.user, agreement):
        raise PermissionDenied
    return agreement


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    filters = forms.FilterForm(request.GET or None)
    status_filter = type_filter = ""
    if filters.is_valid():
        status_filter = filters.cleaned_data["status"]
        type_filter = filters.cleaned_data["type"]
    queryset = selectors.agreements_visible_to(request.user)
    if type_filter:
        queryset = queryset.filter(type__code=type_filter)
    rows = []
    for agreement in queryset:
        status = selectors.agreement_status_on(agreement, today)
        if status_filter and status.reason != status_filter:
            continue
        rows.append(
            {
                "agreement": agreement,
                "status": status,
                "label": forms.REASON_LABELS[status.reason],
                "parties": [p.organisation for p in agreement.parties.all()],
            }
        )
    return render(
        request,
        "agreements/list.html",
        {
            "rows": rows,
            "filters": filters,
            "today": today,
            "can_create": has_role(request.user, RoleCode.AGREEMENT_ADMIN),
        },
    )


@role_required(RoleCode.AGREEMENT_ADMIN)
def agreement_create(request: HttpRequest) -> HttpResponse:
    form = forms.AgreementCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_create(
                actor=request.user,
                type_code=data["type"].code,
                title=data["title"],
                reference=data["reference"],
                organisations=list(data["organisations"]),
                start_date=data["start_date"],
                end_date=data["end_date"],
                renewal_months=data["renewal_months"],
                max_renewals=data["max_renewals"],
                open_ended_after_renewals=data["open_ended_after_renewals"],
                notice_months=data["notice_months"],
            )
        except PermissionDenied:
            form.add_error("organisations", _("Din egen organisation måste vara part i avtalet."))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Avtalet är registrerat. Registrera parternas beslut."))
            return redirect("agreements:detail", pk=agreement.pk)
    status = 400 if form.is_bound else 200
    return render(request, "agreements/create.html", {"form": form}, status=status)


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _visible_agreement(request, pk)
    return _render_detail(request, agreement)


def _render_detail(
    request: HttpRequest, agreement: Agreement, forms_override: dict[str, Any] | None = None
) -> HttpResponse:
    today = local_date(timezone.now())
    status = selectors.agreement_status_on(agreement, today)
    can_act = selectors.can_administer(request.user, agreement)
    context: dict[str, Any] = {
        "agreement": agreement,
        "status": status,
        "status_label": forms.REASON_LABELS[status.reason],
        "parties": agreement.parties.select_related("organisation"),
        "timeline": selectors.agreement_timeline(agreement, today),
        "notifications": agreement.termination_notifications.select_related("recipient"),
        "can_act": can_act,
    }
    if can_act:
        context.update(
            decision_form=forms.DecisionForm(agreement=agreement),
            notice_form=forms.NoticeForm(agreement=agreement),
            amendment_form=forms.AmendmentForm(),
            dpa_form=forms.DpaForm(agreement=agreement),
            sent_form=forms.NotificationSentForm(),
        )
        context.update(forms_override or {})
    status_code = 400 if forms_override else 200
    return render(request, "agreements/detail.html", context, status=status_code)


def _action(
    form_class: Any, context_name: str, call: Callable[[Any, Agreement, dict[str, Any]], Any], ok
) -> Callable[..., HttpResponse]:
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        agreement = _admin_agreement(request, pk)
        kwargs: dict[str, Any] = {}
        if form_class in (forms.DecisionForm, forms.NoticeForm, forms.DpaForm):
            kwargs["agreement"] = agreement
        form = form_class(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            try:
                call(request.user, agreement, form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, ok)
                return redirect("agreements:detail", pk=agreement.pk)
        return _render_detail(request, agreement, {context_name: form})

    return view


record_decision = _action(
    forms.DecisionForm,
    "decision_form",
    lambda actor, agreement, data: services.decision_record(
        actor=actor,
        agreement=agreement,
        party=data["party"],
        amendment=data["amendment"],
        body_kind=data["body_kind"],
        body_name=data["body_name"],
        decided_on=data["decided_on"],
        reference=data["reference"],
        document=data["document"],
    ),
    _("Beslutet är registrerat."),
)
give_notice = _action(
    forms.NoticeForm,
    "notice_form",
    lambda actor, agreement, data: services.notice_give(
        actor=actor,
        agreement=agreement,
        party=data["party"],
        given_on=data["given_on"],
        document=data["document"],
    ),
    _("Uppsägningen är registrerad."),
)
add_amendment = _action(
    forms.AmendmentForm,
    "amendment_form",
    lambda actor, agreement, data: services.amendment_add(
        actor=actor,
        agreement=agreement,
        summary=data["summary"],
        text=data["text"],
        effective_date=data["effective_date"],
    ),
    _("Tillägget är registrerat. Registrera parternas beslut om det."),
)
attach_dpa = _action(
    forms.DpaForm,
    "dpa_form",
    lambda actor, agreement, data: services.dpa_attach(
        actor=actor,
        agreement=agreement,
        controller=data["controller"].organisation,
        processor=data["processor"].organisation,
        signed_on=data["signed_on"],
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
        document=data["document"],
    ),
    _("Personuppgiftsbiträdesavtalet är registrerat."),
)


@login_required
@require_POST
def mark_notified(request: HttpRequest, pk: int, notification_pk: int) -> HttpResponse:
    agreement = _admin_agreement(request, pk)
    task = get_object_or_404(TerminationNotification, pk=notification_pk, agreement=agreement)
    form = forms.NotificationSentForm(request.POST)
    if form.is_valid():
        try:
            services.notification_mark_sent(
                actor=request.user, notification=task, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Underrättelsen är registrerad som skickad."))
    return redirect("agreements:detail", pk=agreement.pk)


@login_required
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _visible_agreement(request, pk)
    pdf = documents.render_agreement_pdf(agreement)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="avtal-{agreement.pk}.pdf"'
    return response


DOCUMENT_MODELS: dict[str, Any] = {
    "decision": AgreementDecision,
    "notice": Notice,
    "dpa": DataProcessingAgreement,
}


@login_required
def document(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    model = DOCUMENT_MODELS.get(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(model, pk=pk)
    _visible_agreement(request, record.agreement_id)
    if not record.document:
        raise Http404
    return FileResponse(record.document.open("rb"), as_attachment=True)
