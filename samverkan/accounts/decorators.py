"""View decorators for access by role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect

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
                if request.headers.get("HX-Request"):
                    # A polled fragment after the session ended: the whole page goes to
                    # the log-in, not the log-in page into the fragment's place.
                    page = urlsplit(request.headers.get("HX-Current-URL", "/"))
                    back = page.path + (f"?{page.query}" if page.query else "")
                    return HttpResponseClientRedirect(redirect_to_login(back).url)
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *codes):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
