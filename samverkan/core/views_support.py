"""What the apps' views share: the signed-in user, and how a service's refusal is answered.

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

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
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


def show_on_form(form: forms.BaseForm, error: ServiceError) -> None:
    """Every message of the refusal beside its field (or above the form)."""
    if isinstance(error, InvalidInput):
        for field, texts in error.field_errors.items():
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
    call: Callable[[dict[str, Any]], object],
    *,
    done: str | Promise | Callable[[Any], str | Promise],
    success_url: str | Callable[[Any], str],
    rerender: Callable[[Any], HttpResponse],
    conflict_url: str | None = None,
) -> HttpResponse:
    """Post a form to a service: redirect with `done` on success, else show why not.

    `call` gets the form's cleaned data ({} without a form). An invalid form or
    input the service refuses is shown again by `rerender(form)` with the errors
    beside the fields; a record that is not visible answers 404, an action not
    allowed 403; a conflict (someone else acted first) redirects to
    `conflict_url` (default `success_url`) with the message, so the user sees the
    record as it now is. Without a form every refusal but an access one is shown
    as a message on `success_url`.

    `done` and `success_url` may be functions of what `call` returned (e.g. the
    page of the record it created); a conflict then goes to `conflict_url`, or
    without one is shown on the form.
    """
    if form is not None and not form.is_valid():
        return rerender(form)
    try:
        result = call(form.cleaned_data if form is not None else {})
    except ServiceError as error:
        raise_for_access(error)
        back = conflict_url or (success_url if isinstance(success_url, str) else None)
        if (isinstance(error, Conflict) or form is None) and back is not None:
            messages.error(request, error.message)
            return HttpResponseRedirect(back)
        assert form is not None, "give conflict_url when success_url depends on the result"
        show_on_form(form, error)
        return rerender(form)
    messages.success(request, str(done(result) if callable(done) else done))
    return HttpResponseRedirect(success_url(result) if callable(success_url) else success_url)
