"""A refused request for a record leaves an attempt in the access log (issue 17 point 9).

Every way the apps refuse a record — a service's `NotFound`/`NotAllowed` turned
into 404/403 by `core.views_support` or the API's handler, `get_object_or_404`, a
role decorator, a view's own `Http404` — ends as a 403 or 404 answer to a route
that names the record in its URL. So the attempt is written here, once, for all
of them: who (the signed-in user or the API client), which route (the record
type) and which record id, and that it was refused. The record's controller is
not looked up — the record may not exist, and saying whose it is would tell what
the refusal hides — so the entry is filed under the actor's organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from samverkan.accounts.models import ApiClient, User
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record

REFUSED_STATUSES = {403: "Nekad: saknar behörighet", 404: "Nekad: finns inte eller syns inte"}


def record_ids(kwargs: dict[str, Any]) -> list[str]:
    """The values of a route's URL arguments that name a record (`pk`, `…_id`, `…_pk`)."""
    return [
        str(value)
        for name, value in kwargs.items()
        if name == "pk" or name.endswith(("_id", "_pk"))
    ]


def _actor(request: HttpRequest) -> User | ApiClient | None:
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return user
    client = getattr(request, "auth", None)  # django-ninja's authenticated API client
    return client if isinstance(client, ApiClient) else None


class RefusedAttemptMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES:
            _record_attempt(request, response.status_code)
        return response


def _record_attempt(request: HttpRequest, status: int) -> None:
    match = request.resolver_match
    actor = _actor(request)
    if match is None or actor is None:
        return
    ids = record_ids(match.kwargs)
    if not ids:
        return
    audit_record(
        actor=actor,
        action=AuditAction.REFUSED,
        record_type=match.view_name[:60],
        record_id="/".join(ids)[:60],
        reason=REFUSED_STATUSES[status],
        detail={"method": request.method, "path": request.path[:200], "status": status},
    )
