"""Strong authentication: a signed-in user must also have passed the second factor.

Strong means either a verified django-otp device in the session (password +
TOTP code) or an OpenID Connect log-in that the identity provider marked as
strong (see `samverkan.accounts.oidc`). Anyone else who is signed in is
logged out and sent to the log-in page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

OIDC_STRONG_SESSION_KEY = "samverkan_oidc_strong"

# Paths a half-authenticated user may still reach (to finish log-in or leave).
# Everything else, the API included, logs such a session out: an API endpoint
# that accepts a session must not accept one without the second factor.
# (API clients authenticate by token and have no session user at all.)
_OPEN_PREFIXES = ("/konto/", "/static/", "/uppfoljning/oppen/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        request.oidc_verified = bool(  # type: ignore[attr-defined]
            session is not None and session.get(OIDC_STRONG_SESSION_KEY, False)
        )
        if user is not None and user.is_authenticated and request.oidc_verified:  # type: ignore[attr-defined]
            # Code elsewhere asks `user.is_verified()`: a strong OIDC log-in is verified too.
            user.is_verified = lambda: True  # type: ignore[union-attr]
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            logout(request)
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)
