"""Project-wide middleware: Swedish first, JSON errors on the API, the admin's refusal."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from samverkan.core.api_errors import error_body


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    Many staff run an English operating system; the service still speaks
    Swedish to them (SPEC: "Swedish first"). The language switch sets the
    language cookie, and that choice is honoured.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# What the API says when Django, not the API, answers on an API path.
_API_ANSWERS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Begäran kunde inte läsas."),
    403: ("forbidden", "Åtkomst nekad."),
    404: ("not_found", f"Det finns ingen sådan adress i API:t. Se /{settings.API_PATH}docs."),
    413: ("too_large", "Begäran är för stor."),
    500: ("server_error", "Ett oväntat fel inträffade. Försök igen om en stund."),
}


class ApiErrorsAsJsonMiddleware:
    """On an API path every error is the API's JSON error shape, never an HTML page.

    The API's own handlers (`samverkan.api`) answer what reaches an operation.
    What does not — a path no operation has (Django's 404 page), a method the
    path does not take (django-ninja's plain-text 405), a server error (the 500
    page) — is rewritten here, keeping the status and headers such as `Allow`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.prefix = "/" + settings.API_PATH

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(self.prefix)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        kind, message = self._answer(request, response)
        rewritten = JsonResponse(
            error_body(message, kind),
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                rewritten[header] = response[header]
        return rewritten

    @staticmethod
    def _answer(request: HttpRequest, response: HttpResponseBase) -> tuple[str, str]:
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            return (
                "method_not_allowed",
                f"Metoden {request.method} går inte att använda här; tillåtna: {allowed}.",
            )
        status = response.status_code
        if status in _API_ANSWERS:
            return _API_ANSWERS[status]
        return _API_ANSWERS[500] if status >= 500 else ("invalid", "Begäran avvisades.")


class AdminNeedsAdministratorMiddleware:
    """A signed-in user the admin site refuses gets a 403 page that says why.

    The admin sends anyone it refuses to its log-in, which is ours
    (`accounts.views.admin_login_redirect`); ours sends a signed-in user straight
    back to where they came from — the admin — and the browser gives up with
    ERR_TOO_MANY_REDIRECTS. Someone already signed in needs no log-in but the
    administrator role, and is told so. Placed after the second-factor check:
    whoever gets here has passed it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    @cached_property
    def prefix(self) -> str:
        # Reversed on first use, not at start-up: the URLconf is not needed before.
        return reverse("admin:index")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            request.path_info.startswith(self.prefix)
            and request.user.is_authenticated
            and not admin.site.has_permission(request)
        ):
            return render(request, "403_admin.html", status=403)
        return self.get_response(request)
