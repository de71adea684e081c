"""A police system's API call skips the browser's middleware (issue 20.2).

A call with `Authorization: Bearer …` to an API path and no session cookie has no
session, no signed-in user, no messages, no CSRF cookie, no second factor, no
htmx and no log-in to lock out: the full stack (settings.MIDDLEWARE) would only
find all of that absent, at a cost of about as much CPU as the floor's own insert
(benchmarks/README.md). Such a call goes through `settings.TOKEN_API_MIDDLEWARE`
instead — the middleware it does need (language, the common checks, the access
log's refused attempts, the security headers) — to the same URLconf and views.
Its `request.user` is the anonymous user, as the full stack would have made it,
so an operation that takes the web session as well answers 401 the same way.
A call that carries a session cookie takes the full stack, whatever else it sends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.module_loading import import_string

Handler = Callable[[HttpRequest], HttpResponseBase]


def is_token_api_call(request: HttpRequest) -> bool:
    return (
        request.path_info.startswith("/" + settings.API_PATH)
        and request.headers.get("Authorization", "")[:7].lower() == "bearer "
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class _TokenApiHandler(BaseHandler):
    """Django's request handling (URL resolution, view middleware, the view) behind a
    shorter list of middleware: `BaseHandler.load_middleware` for a list of our own."""

    def __init__(self, middleware: list[str]) -> None:
        super().__init__()
        # Any: django-stubs types these lists as None until load_middleware fills them.
        views: list[Any] = []
        templates: list[Any] = []
        exceptions: list[Any] = []
        self._view_middleware = views
        self._template_response_middleware = templates
        self._exception_middleware = exceptions
        handler: Any = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(middleware):
            instance = import_string(path)(handler)
            if hasattr(instance, "process_view"):
                views.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                templates.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                exceptions.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self.chain: Handler = handler


class TokenApiMiddleware:
    """Sends a bearer-token API call through `TOKEN_API_MIDDLEWARE`, anything else on."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.token_api = _TokenApiHandler(settings.TOKEN_API_MIDDLEWARE).chain

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_token_api_call(request):
            return self.get_response(request)
        request.user = _no_user()
        return self.token_api(request)


def _no_user() -> AnonymousUser:
    """The anonymous user as django-otp's middleware leaves it: no device, not verified."""
    user = AnonymousUser()
    user.otp_device = None  # type: ignore[attr-defined]
    user.is_verified = lambda: False  # type: ignore[attr-defined]
    return user
