"""What the apps' views share: the signed-in user, and how a service's refusal is answered.

The apps' services raise errors with a Swedish `message`, a `status_code` (404 not
found or not visible, 403 not allowed, 422 bad input) and, for bad input, the
`field` it concerns. A page answers an access error with 404/403 and shows any
other refusal on the form, next to the field, keeping what the user typed.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from samverkan.accounts.models import User


class ServiceError(Protocol):
    status_code: int
    message: str


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user (the role decorators have already turned everyone else away)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def raise_for_access(error: ServiceError) -> None:
    if error.status_code == 404:
        raise Http404(error.message)
    if error.status_code == 403:
        raise PermissionDenied(error.message)


def show_on_form(form: Any, error: ServiceError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.message)


def refuse_or_show(form: Any | None, error: ServiceError) -> None:
    """An access error answers 404/403; any other refusal is shown on the form (if any)."""
    raise_for_access(error)
    if form is not None:
        show_on_form(form, error)
