"""The HTTP API for police systems and other clients: one NinjaAPI, a router per app.

Every error the API gives is JSON in one shape, ``{"detail": [{type, loc,
msg}]}`` with Swedish messages, never an HTML page or a stack trace — clients
get the same shape whether a service, the authentication, the body parser or
Django's size limits refused the request. The OpenAPI document lists those
error answers for every operation (see `SamverkanAPI`), so a client, and the
schema fuzzer in ``samverkan/core/tests/test_api_fuzz.py``, can rely
on every status code the API gives being documented.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError

from samverkan.agreements.api import router as agreements_router
from samverkan.collaboration.api import router as collaboration_router
from samverkan.core.errors import ServiceError
from samverkan.defectors.api import router as defectors_router
from samverkan.followup.api import router as followup_router
from samverkan.homecoming.api import router as homecoming_router
from samverkan.intake.api import router as intake_router
from samverkan.registry.api import router as registry_router
from samverkan.routines.api import router as routines_router

# django-ninja's own English texts, as the client should read them.
_SWEDISH = {
    "Unauthorized": "Inloggning krävs: skicka en giltig API-nyckel eller logga in.",
    "Forbidden": "Åtkomst nekad.",
    "Cannot parse request body": "Begärans innehåll kunde inte läsas: skicka giltig JSON.",
    "Not Found": "Finns inte.",
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


api = SamverkanAPI(
    title="Samverkan API",
    version="1",
    description="Orosanmälningar från polisen (en ingång), avtal och samverkan.",
    urls_namespace="api",
)
api.add_router("/registry", registry_router)
api.add_router("/agreements", agreements_router)
api.add_router("/reports", intake_router)
api.add_router("/defectors", defectors_router)
api.add_router("/collaboration", collaboration_router)
api.add_router("/followup", followup_router)
api.add_router("/routines", routines_router)
api.add_router("/homecoming", homecoming_router)


def error_response(request: HttpRequest, status: int, message: str, kind: str = "") -> HttpResponse:
    """The one JSON error shape: `{"detail": [{"type", "loc", "msg"}]}`."""
    items = [{"type": kind or _KINDS.get(status, "invalid"), "loc": [], "msg": message}]
    return api.create_response(request, {"detail": items}, status=status)


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
