"""Organisation changes for administrators: list, register, correct and withdraw, detail.

Issue 10; withdrawing and correcting a planned change, issue 16. Registering
and correcting are the same two steps: "Förhandsgranska" shows everything
that will move, and only input that was previewed unchanged is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.accounts.decorators import role_required
from samverkan.core.calendar import local_date
from samverkan.core.views_support import form_action, signed_in_user
from samverkan.registry import access, changes, tables
from samverkan.registry.forms import CorrectionForm, OrganisationChangeForm, WithdrawForm
from samverkan.registry.models import ChangeStatus, OrganisationChange, Responsibility

administrators_only = role_required(*access.ADMINISTRATORS)


def _today() -> Any:
    return local_date(timezone.now())


def _change_or_404(request: HttpRequest, pk: int) -> OrganisationChange:
    try:
        return changes.visible_changes(request.user).get(pk=pk)
    except OrganisationChange.DoesNotExist as error:
        raise Http404 from error


def _registered(change: OrganisationChange) -> str:
    if change.status == ChangeStatus.APPLIED:
        return _("Förändringen är registrerad och genomförd.")
    return _("Förändringen är registrerad och genomförs %(day)s.") % {
        "day": change.effective_date.isoformat()
    }


def _two_steps(
    request: HttpRequest,
    form: OrganisationChangeForm,
    register: Callable[[OrganisationChangeForm], OrganisationChange],
    *,
    done: Callable[[OrganisationChange], str],
    render_form: Callable[[OrganisationChangeForm, str], HttpResponse],
    conflict_url: str | None = None,
) -> HttpResponse:
    """Preview first; register only input whose preview was shown, else preview it again.

    `render_form(form, token)` shows the form, with the preview and the
    register button when `token` (the previewed input's fingerprint) is set.
    """
    if request.method != "POST" or not form.is_valid():
        return render_form(form, "")
    token = form.preview_token()
    if request.POST.get("action") != "register":
        return render_form(form, token)
    previewed = request.POST.get("previewed")
    if previewed != token:
        messages.warning(
            request,
            _("Uppgifterna har ändrats. Granska förhandsgranskningen och registrera igen.")
            if previewed
            else _("Granska förhandsgranskningen innan du registrerar."),
        )
        return render_form(form, token)
    return form_action(
        request,
        form,
        lambda _data: register(form),
        done=done,
        success_url=lambda change: reverse("registry:change_detail", args=[change.pk]),
        rerender=lambda form: render_form(form, ""),
        conflict_url=conflict_url,
    )


def _form_page(
    request: HttpRequest,
    form: OrganisationChangeForm,
    token: str,
    **context: Any,
) -> HttpResponse:
    preview = None
    if token:
        data = form.change_input()
        del data["decision"]
        preview = tables.preview(changes.preview_plan(**data))
    return render(
        request,
        "registry/change_form.html",
        {"form": form, "preview": preview, "preview_token": token, "today": _today(), **context},
    )


@administrators_only
def change_list(request: HttpRequest) -> HttpResponse:
    found = list(changes.visible_changes(request.user))
    flagged = changes.ended_successors_of(found)
    return render(
        request,
        "registry/change_list.html",
        {
            "changes": tables.changes_table((c, flagged.get(c.pk)) for c in found),
            "today": _today(),
        },
    )


@administrators_only
@require_http_methods(["GET", "POST"])
def change_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationChangeForm(request.POST or None, today=_today())
    return _two_steps(
        request,
        form,
        lambda form: changes.change_register(actor=signed_in_user(request), **form.change_input()),
        done=_registered,
        render_form=lambda form, token: _form_page(request, form, token),
    )


@administrators_only
@require_http_methods(["GET", "POST"])
def change_correct(request: HttpRequest, pk: int) -> HttpResponse:
    change = _change_or_404(request, pk)
    if not access.can_revise(request.user, change):
        messages.error(request, _("Bara en planerad förändring kan rättas."))
        return _redirect_to(change)
    form = CorrectionForm(request.POST or None, change=change, today=_today())

    def correct(form: OrganisationChangeForm) -> OrganisationChange:
        return changes.change_correct(
            actor=signed_in_user(request),
            change=change,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            **form.change_input(),
        )

    return _two_steps(
        request,
        form,
        correct,
        done=lambda corrected: _("Rättelsen är registrerad.") + " " + _registered(corrected),
        render_form=lambda form, token: _form_page(request, form, token, change=change),
        conflict_url=reverse("registry:change_detail", args=[change.pk]),
    )


def _redirect_to(change: OrganisationChange) -> HttpResponse:
    return redirect("registry:change_detail", pk=change.pk)


def _detail_page(
    request: HttpRequest, change: OrganisationChange, withdraw_form: WithdrawForm | None = None
) -> HttpResponse:
    planned = change.status == ChangeStatus.PLANNED
    may_revise = access.can_revise(request.user, change)
    if may_revise and withdraw_form is None:
        withdraw_form = WithdrawForm(initial={"version": change.version})
    return render(
        request,
        "registry/change_detail.html",
        {
            "change": change,
            "preview": tables.preview(changes.change_plan(change)),
            "planned": planned,
            "may_revise": may_revise,
            "ended_successors": [o.name for o in changes.ended_successors(change)],
            "withdraw_form": withdraw_form,
            "revisions": changes.revisions_of(change),
            "events": tables.events_table(changes.events_of(change)),
            "responsibility_labels": dict(Responsibility.choices),
        },
    )


@administrators_only
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _change_or_404(request, pk))


@administrators_only
@require_POST
def change_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    change = _change_or_404(request, pk)
    form = WithdrawForm(request.POST)
    return form_action(
        request,
        form,
        lambda data: changes.change_withdraw(
            actor=signed_in_user(request),
            change=change,
            version=data["version"],
            reason=data["reason"],
        ),
        done=_lazy("Förändringen är återkallad. Den genomförs inte."),
        success_url=reverse("registry:change_detail", args=[change.pk]),
        rerender=lambda form: _detail_page(request, change, form),
    )
