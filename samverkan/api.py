"""The HTTP API for police systems and other clients: one NinjaAPI, a router per app.

Every error the API gives is JSON in one shape, ``{"detail": [{type, loc,
msg}]}`` with Swedish messages, never an HTML page or a stack trace — clients
get the same shape whether a service, the authentication, the body parser,
the input schemas (pydantic's texts translated, `core.api_errors`) or Django's
size limits refused the request; what Django answers before or instead of the
API on a path below it (an unknown path, a wrong method, a server error) is
rewritten into that shape by `core.middleware.ApiErrorsAsJsonMiddleware`.

The OpenAPI document lists those error answers for every operation (see
`SamverkanAPI`), so a client, and the schema fuzzer in
``samverkan/core/tests/test_api_fuzz.py``, can rely on every status code the
API gives being documented; every component name in it names one shape
(``core/tests/test_api_plumbing.py``). The docs page (/api/v1/docs,
`LocalSwagger`) loads Swagger UI from our own static files, under the same
strict CSP as every page.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from samverkan.agreements.api import router as agreements_router
from samverkan.collaboration.api import routers as collaboration_routers
from samverkan.core.api_errors import error_body, swedish_validation_items
from samverkan.core.calendar import api_instant
from samverkan.core.errors import ServiceError
from samverkan.defectors.api import router as defectors_router
from samverkan.followup.api import router as followup_router
from samverkan.homecoming.api import router as homecoming_router
from samverkan.intake.api import router as intake_router
from samverkan.intake.school_reports.api import router as school_reports_router
from samverkan.registry.api import router as registry_router
from samverkan.routines.api import router as routines_router
from samverkan.webhooks.api import router as webhooks_router

# django-ninja's own English texts, as the client should read them.
_SWEDISH = {
    "Unauthorized": "Inloggning krävs: skicka en giltig API-nyckel eller logga in.",
    "Forbidden": "Åtkomst nekad.",
    "Cannot parse request body": "Begärans innehåll kunde inte läsas: skicka giltig JSON.",
    "Not Found": "Finns inte.",
    "CSRF check Failed": (
        "CSRF-kontrollen misslyckades: en inloggad session skickar huvudet X-CSRFToken"
        " med värdet av kakan csrftoken."
    ),
}

# The error answer every operation may give, in the one shape all of them share.
ERROR_SCHEMA_NAME = "Fel"
ERROR_SCHEMA: dict[str, Any] = {
    "title": ERROR_SCHEMA_NAME,
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "loc", "msg"],
                "properties": {
                    "type": {"type": "string"},
                    "loc": {
                        "type": "array",
                        "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    },
                    "msg": {"type": "string"},
                },
            },
            "description": "Felen på svenska: slag (`type`), fält (`loc`) och text (`msg`).",
        }
    },
}
_ERROR_DESCRIPTIONS = {
    400: "Begäran kunde inte läsas eller avvisades.",
    401: "Inloggning eller API-nyckel saknas eller är ogiltig.",
    403: "Åtkomst nekad.",
    404: "Finns inte, eller är inte synligt för dig.",
    409: "Någon annan hann före, eller åtgärden passar inte längre postens läge.",
    413: "Begäran är för stor.",
    422: "Ogiltiga uppgifter.",
}


class SamverkanAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the error answers of every operation.

    django-ninja documents only the answers a view declares; the answers its
    own machinery gives (401 from authentication, 422 from input validation,
    400 from an unreadable body, 404 from a missing record) it leaves out. They
    are added here, centrally, so a new operation cannot forget them.
    """

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA_NAME] = (
            ERROR_SCHEMA
        )
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                for status in _error_statuses(path, method, operation):
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": _ERROR_DESCRIPTIONS[status],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
                                }
                            },
                        },
                    )
        return schema


def _error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    statuses = [422]
    # A change may find that someone else acted first (`core.errors.Conflict`).
    if method.lower() != "get":
        statuses.append(409)
    if operation.get("security"):
        statuses += [401, 403]
    # A record named in the path, or in the body, may not exist (or not be visible).
    if "{" in path or "requestBody" in operation:
        statuses.append(404)
    if "requestBody" in operation:
        statuses += [400, 413]
    return sorted(statuses)


class LocalSwagger(Swagger):
    """The docs page with django-ninja's Swagger UI from our own static files.

    ninja's page loads Swagger UI from a CDN unless "ninja" is installed; ours
    (templates/api/docs.html) always loads it from /static/, with no inline
    script, so the strict CSP stays as it is. The page carries the CSRF token
    for "Try it out" on the session-authenticated routers (ninja adds it only
    when the whole API, not a router, uses session auth).
    """

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": json.dumps(settings), "api": api, "add_csrf": True}
        return render(request, self.template, context)


class InstantEncoder(NinjaJSONEncoder):
    """Every instant of every reply in the one form, `core.calendar.api_instant`, whatever
    app's schema holds it (a `datetime` field would otherwise come out as Django writes it:
    UTC with milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return api_instant(o)
        return super().default(o)


class SamverkanRenderer(JSONRenderer):
    encoder_class = InstantEncoder


api = SamverkanAPI(
    renderer=SamverkanRenderer(),
    title="Samverkan API",
    version="1",
    description=(
        "Orosanmälningar från polisen (en ingång), avtal och samverkan. Alla tidpunkter i "
        "svaren anges i ISO 8601, svensk tid med UTC-förskjutning och hela sekunder, t.ex. "
        "2026-12-05T22:14:03+01:00; datum som ÅÅÅÅ-MM-DD."
    ),
    urls_namespace="api",
    docs=LocalSwagger(),
)
api.add_router("/registry", registry_router)
api.add_router("/agreements", agreements_router)
api.add_router("/reports", intake_router)
api.add_router("/defectors", defectors_router)
# collaboration's features, and school concern reports: an intake channel at its old path
for collaboration_router in (*collaboration_routers, school_reports_router):
    api.add_router("/collaboration", collaboration_router)
api.add_router("/followup", followup_router)
api.add_router("/routines", routines_router)
api.add_router("/homecoming", homecoming_router)
api.add_router("/webhooks", webhooks_router)


def error_response(request: HttpRequest, status: int, message: str, kind: str = "") -> HttpResponse:
    """The one JSON error shape: `{"detail": [{"type", "loc", "msg"}]}`."""
    body = error_body(message, kind or _KINDS.get(status, "invalid"))
    return api.create_response(request, body, status=status)


_KINDS = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "too_large",
}


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.as_items()}, status=exc.status_code)


@api.exception_handler(ValidationError)
def _invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """django-ninja's 422 for input its schemas refuse: pydantic's errors, in Swedish."""
    body = {"detail": swedish_validation_items(exc.errors)}
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    return error_response(request, exc.status_code, _SWEDISH.get(message, message))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, _SWEDISH["Not Found"])


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, 413, "Begäran är för stor (högst 2 MB).")


@api.exception_handler(TooManyFieldsSent)
def _too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
    return error_response(request, 400, "Begäran har för många fält.")
