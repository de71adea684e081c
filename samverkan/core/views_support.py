"""What the apps' views share: the signed-in user, how a service's refusal is answered,
and the form pages of a record.

Services raise the errors of `samverkan.core.errors`. A page answers an access
error with 404/403, a conflict with a message on the record's page, and any
other refusal on the form, next to the field, keeping what the user typed.

`form_action` is the one way a page posts a form to a service:

    def hub_attempt(request, pk):
        report = _hub_report_or_404(request, pk)
        form = forms.AttemptForm(request.POST)
        return form_action(
            request,
            form,
            lambda data: services.handover_attempt_record(actor=..., **data),
            done=_("Samtalet är loggat."),
            success_url=reverse("intake:hub_report", args=[pk]),
            rerender=lambda form: _render_hub_report(request, report, attempt_form=form),
        )
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.functional import Promise

from samverkan.accounts.models import User
from samverkan.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, ServiceError


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user (the role decorators have already turned everyone else away)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def raise_for_access(error: ServiceError) -> None:
    """A record the user may not see is 404, an action they may not take is 403."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    if isinstance(error, NotAllowed):
        raise PermissionDenied(error.message)


def show_on_form(
    form: forms.BaseForm, error: ServiceError, field_names: Mapping[str, str] | None = None
) -> None:
    """Every message of the refusal beside its field (or above the form).

    `field_names` maps a service's field name to the form's, where they differ.
    """
    if isinstance(error, InvalidInput):
        for name, texts in error.field_errors.items():
            field = (field_names or {}).get(name, name)
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        return
    form.add_error(None, error.message)


def refuse_or_show(form: forms.BaseForm | None, error: ServiceError) -> None:
    """An access error answers 404/403; any other refusal is shown on the form (if any)."""
    raise_for_access(error)
    if form is not None:
        show_on_form(form, error)


def form_action(
    request: HttpRequest,
    form: forms.BaseForm | None,
    call: Callable[[dict[str, Any]], Any],
    *,
    done: str | Promise | Callable[[Any], str | Promise] | None,
    success_url: str | Callable[[Any], str],
    rerender: Callable[[Any], HttpResponse],
    conflict_url: str | None = None,
    field_names: Mapping[str, str] | None = None,
) -> HttpResponse:
    """Post a form to a service: redirect with `done` on success, else show why not.

    `call` gets the form's cleaned data ({} without a form). An unbound (GET) or
    invalid form, or input the service refuses, is shown again by
    `rerender(form)` with the errors beside the fields; a record that is not
    visible answers 404, an action not allowed 403; a conflict (someone else
    acted first) redirects to `conflict_url` (default `success_url`, or this page
    when that is a function) with the message, so the user sees the record as
    it now is. Without a form every refusal but an access one is shown as a
    message on `success_url`.

    `done` and `success_url` may be functions of what `call` returned, for a
    page that goes to the record it just created; `done=None` when the page at
    `success_url` says it itself; `field_names` as in `show_on_form`.
    """
    if form is not None and not form.is_valid():
        return rerender(form)
    try:
        result = call(form.cleaned_data if form is not None else {})
    except ServiceError as error:
        raise_for_access(error)
        if isinstance(error, Conflict) or form is None:
            messages.error(request, error.message)
            fallback = success_url if isinstance(success_url, str) else request.get_full_path()
            return HttpResponseRedirect(conflict_url or fallback)
        show_on_form(form, error, field_names)
        return rerender(form)
    if done is not None:
        messages.success(request, str(done(result) if callable(done) else done))
    return HttpResponseRedirect(success_url(result) if callable(success_url) else success_url)


@dataclass(frozen=True)
class RecordForms:
    """The form pages of one kind of record (a homecoming plan, a routine).

    Each is drawn from `template` with the form, its `title` and the record
    under `record_name` (none on a page that creates one); on POST the form
    goes to a service and on to the record's page, `detail_url(record)`.
    """

    template: str
    record_name: str
    detail_url: Callable[[Any], str]

    def page(
        self, request: HttpRequest, form: Any, title: str, record: Any = None, **extra: Any
    ) -> HttpResponse:
        context = {"form": form, "title": title, self.record_name: record, **extra}
        return render(request, self.template, context)

    def action(
        self,
        request: HttpRequest,
        form: Any,
        record: Any,
        call: Callable[[dict[str, Any]], object],
        *,
        title: str,
        done: str | Callable[[Any], str],
        conflict_url: str | None = None,
        **extra: Any,
    ) -> HttpResponse:
        """The form page of `record`; on POST the form goes to `call` and on to the record.

        A page that creates one has no record yet: it goes on to the one `call` returns.
        """
        return form_action(
            request,
            form,
            call,
            done=done,
            success_url=self.detail_url if record is None else self.detail_url(record),
            conflict_url=conflict_url,
            rerender=lambda form: self.page(request, form, title, record, **extra),
        )
