"""Strong authentication: a signed-in user must also have passed the second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Paths a half-authenticated user may still reach (to finish log-in or leave).
_OPEN_PREFIXES = ("/konto/", "/static/", "/api/", "/tillganglighet/", "/i18n/", "/oppna-data/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not getattr(request, "oidc_verified", False)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            logout(request)
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)
