"""View decorators for access by role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from samverkan.accounts.access import has_role

ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponse])


def role_required(*codes: str) -> Callable[[ViewFunction], ViewFunction]:
    """Only users holding one of these roles reach the view.

    Anonymous users are sent to the log-in page (and back afterwards); a
    signed-in user without any of the roles gets 403 Forbidden.
    """
    if not codes:
        raise ValueError("role_required needs at least one role code")

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *codes):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
