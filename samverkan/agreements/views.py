"""Agreement pages: thin views that parse, call one service and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.accounts.decorators import role_required
from samverkan.agreements import access, documents, forms, selectors, services
from samverkan.agreements.models import (
    PARTY_DETAIL_FIELDS,
    Agreement,
    AgreementParty,
    TerminationNotification,
)
from samverkan.core.calendar import local_date
from samverkan.core.documents import document_url
from samverkan.core.views_support import form_action


def _visible_agreement(request: HttpRequest, pk: int) -> Agreement:
    return get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)


def _admin_agreement(request: HttpRequest, pk: int) -> Agreement:
    agreement = _visible_agreement(request, pk)
    if not access.can_administer(request.user, agreement):
        raise PermissionDenied
    return agreement


def _detail_url(agreement: Agreement) -> str:
    return reverse("agreements:detail", kwargs={"pk": agreement.pk})


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
            "can_create": access.is_agreement_admin(request.user),
        },
    )


@role_required(*access.AGREEMENT_ADMIN_ROLES)
def agreement_create(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    form = forms.AgreementCreateForm(request.POST or None, today=today)
    if request.method != "POST":
        return render(request, "agreements/create.html", {"form": form})
    if "search" in request.POST:  # the search without JavaScript: narrow, keep what was typed
        return render(request, "agreements/create.html", {"form": form.narrowed()})
    return form_action(
        request,
        form,
        lambda data: services.agreement_create(
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
        ),
        done=_("Avtalet är registrerat. Registrera parternas beslut."),
        success_url=_detail_url,
        rerender=lambda form: render(request, "agreements/create.html", {"form": form}, status=400),
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _visible_agreement(request, pk)
    return _render_detail(request, agreement)


def _render_detail(
    request: HttpRequest, agreement: Agreement, forms_override: dict[str, Any] | None = None
) -> HttpResponse:
    today = local_date(timezone.now())
    status = selectors.agreement_status_on(agreement, today)
    can_act = access.can_administer(request.user, agreement)
    parties = list(agreement.parties.select_related("organisation"))
    context: dict[str, Any] = {
        "agreement": agreement,
        "status": status,
        "status_label": forms.REASON_LABELS[status.reason],
        "parties": [(p, access.acts_for(request.user, p)) for p in parties],
        "versions": agreement.versions.select_related("amendment"),
        "pdf_is_draft": _pdf_mark(agreement) == documents.Mark.DRAFT,
        "timeline": selectors.agreement_timeline(agreement, today),
        "notifications": agreement.termination_notifications.select_related("recipient"),
        "can_act": can_act,
    }
    if can_act:
        decision_kwargs = _form_kwargs(forms.DecisionForm, request, agreement)
        context.update(
            decision_form=forms.DecisionForm(**decision_kwargs),
            notice_form=forms.NoticeForm(**_form_kwargs(forms.NoticeForm, request, agreement)),
            amendment_form=forms.AmendmentForm(),
            dpa_form=forms.DpaForm(agreement=agreement),
        )
        context.update(forms_override or {})
    status_code = 400 if forms_override else 200
    return render(request, "agreements/detail.html", context, status=status_code)


# The parties a form offers: those the user may act for (see `access`).
PARTY_CHOICES: dict[Any, Callable[[Any, Agreement], Any]] = {
    forms.DecisionForm: access.decision_parties,
    forms.NoticeForm: access.notice_parties,
}


def _form_kwargs(form_class: Any, request: HttpRequest, agreement: Agreement) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"agreement": agreement}
    choose = PARTY_CHOICES.get(form_class)
    if choose is not None:
        kwargs["parties"] = choose(request.user, agreement)
    return kwargs


def _admin_form_action(
    form_class: Any,
    context_name: str,
    service: Callable[..., Any],
    ok: str,
    *,
    for_agreement: bool = True,
) -> Callable[..., HttpResponse]:
    """A page that posts one of the agreement page's forms (administrators only) to a service.

    The form's fields are the service's keywords besides `actor` and `agreement`;
    a form `for_agreement` offers that agreement's parties (and amendments).
    """

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        agreement = _admin_agreement(request, pk)
        kwargs = _form_kwargs(form_class, request, agreement) if for_agreement else {}
        form = form_class(request.POST, request.FILES, **kwargs)
        return form_action(
            request,
            form,
            lambda data: service(actor=request.user, agreement=agreement, **data),
            done=ok,
            success_url=_detail_url(agreement),
            rerender=lambda form: _render_detail(request, agreement, {context_name: form}),
        )

    return view


record_decision = _admin_form_action(
    forms.DecisionForm, "decision_form", services.decision_record, _("Beslutet är registrerat.")
)
give_notice = _admin_form_action(
    forms.NoticeForm, "notice_form", services.notice_give, _("Uppsägningen är registrerad.")
)
add_amendment = _admin_form_action(
    forms.AmendmentForm,
    "amendment_form",
    services.amendment_add,
    _("Tillägget är registrerat. Registrera parternas beslut om det."),
    for_agreement=False,
)
attach_dpa = _admin_form_action(
    forms.DpaForm,
    "dpa_form",
    services.dpa_attach,
    _("Personuppgiftsbiträdesavtalet är registrerat."),
)


def _visible_notification(request: HttpRequest, pk: int) -> TerminationNotification:
    return get_object_or_404(
        access.notifications_visible_to(request.user).select_related(
            "agreement", "recipient", "acknowledged_by", "notice__given_by__organisation"
        ),
        pk=pk,
    )


@login_required
def notification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice of termination as the system told the recipient (ROC), to acknowledge."""
    notification = _visible_notification(request, pk)
    notice = notification.notice
    return render(
        request,
        "agreements/notification.html",
        {
            "notification": notification,
            "notice": notice,
            "agreement": notification.agreement,
            "parties": notification.agreement.parties.select_related("organisation"),
            "registered": selectors.registered_text(notice, notice.given_by),
            "can_acknowledge": access.can_acknowledge(request.user, notification),
        },
    )


@login_required
@require_POST
def notification_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _visible_notification(request, pk)
    return form_action(
        request,
        None,
        lambda _data: services.notification_acknowledge(
            actor=request.user, notification=notification
        ),
        done=_("Underrättelsen är kvitterad."),
        success_url=reverse("agreements:notification", args=[notification.pk]),
        rerender=lambda _form: HttpResponse(status=400),
    )


def _pdf_mark(agreement: Agreement) -> documents.Mark:
    """Decided (a frozen version serves it), a draft, or text decided before versions were kept."""
    if selectors.decided_on(agreement) is None or selectors.pending_amendments(agreement):
        return documents.Mark.DRAFT
    if selectors.latest_version(agreement) is None:
        return documents.Mark.RECONSTRUCTED
    return documents.Mark.DECIDED


@login_required
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement's current text: the version as decided, else a marked draft.

    A decided text is served as it was kept, through the audited document view.
    """
    agreement = _visible_agreement(request, pk)
    mark = _pdf_mark(agreement)
    latest = selectors.latest_version(agreement)
    if mark == documents.Mark.DECIDED and latest is not None:
        return redirect(document_url(latest))
    decided = selectors.decided_on(agreement)
    html = documents.render_agreement_html(
        agreement,
        law_on=decided or local_date(timezone.now()),
        mark=mark,
        amendments=list(agreement.amendments.order_by("number")),
    )
    response = HttpResponse(documents.html_to_pdf(html), content_type="application/pdf")
    suffix = "utkast" if mark == documents.Mark.DRAFT else "aterskapad"
    response["Content-Disposition"] = f'inline; filename="avtal-{agreement.pk}-{suffix}.pdf"'
    return response


def _own_party(request: HttpRequest, pk: int, party_pk: int) -> AgreementParty:
    """A party of an agreement the user administers, that they act for (else 403)."""
    agreement = _admin_agreement(request, pk)
    party = get_object_or_404(
        agreement.parties.select_related("organisation", "agreement"), pk=party_pk
    )
    if not access.acts_for(request.user, party):
        raise PermissionDenied(_("Du kan bara ändra uppgifterna för din egen organisation."))
    return party


@login_required
def party_edit(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    """The party's committee, signatory and contact, kept by the party's own administrator."""
    party = _own_party(request, pk, party_pk)
    initial = {name: getattr(party, name) for name in PARTY_DETAIL_FIELDS}
    form = forms.PartyForm(request.POST or None, initial=initial)

    def page(form: forms.PartyForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "agreements/party.html",
            {
                "party": party,
                "agreement": party.agreement,
                "form": form,
                "changes": party.changes.select_related("recorded_by", "recorded_by_organisation"),
            },
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return form_action(
        request,
        form,
        lambda data: services.agreement_party_update(actor=request.user, party=party, **data),
        done=_("Partens uppgifter är sparade."),
        success_url=_detail_url(party.agreement),
        rerender=lambda form: page(form, status=400),
    )
