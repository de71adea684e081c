"""What the collaboration API's feature routers share.

Endpoints check the caller's role group, look up the organisations a body names
and call the service; its errors go on to the API's one exception handler
(`samverkan.api`), so a refusal has the same shape everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from samverkan.accounts.access import has_role
from samverkan.agreements.api import VerifiedSessionAuth
from samverkan.collaboration.access import COORDINATORS
from samverkan.core.api_lookups import organisation_in_body
from samverkan.core.errors import NotAllowed


class CollaborationRouter(Router):
    """A feature's router: session users with a second factor, under the one tag, and
    operations that keep the ids they had in the one `api` module.

    Clients generate code from the operation ids (and the access matrix names the
    routes by them): splitting the module by feature must not rename them.
    """

    def __init__(self) -> None:
        super().__init__(tags=["collaboration"], auth=[VerifiedSessionAuth()])

    def add_api_operation(
        self,
        path: str,
        methods: list[str],
        view_func: Callable[..., Any],
        *,
        operation_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().add_api_operation(
            path,
            methods,
            view_func,
            operation_id=operation_id or f"samverkan_collaboration_api_{view_func.__name__}",
            **kwargs,
        )


class CreatedOut(Schema):
    id: int


def created(record: Any) -> tuple[int, CreatedOut]:
    return 201, CreatedOut(id=record.pk)


def require_role(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_role(request.user, *roles):
        raise NotAllowed("Du har inte behörighet till detta.")


class JointIn(Schema):
    """A body of a joint record of a district and a police unit (codes)."""

    district: str
    police_unit: str


class JointEventIn(JointIn):
    held_on: date


def owned_by_district(payload: Schema, **resolved: Any) -> dict[str, Any]:
    """A body naming its district by code as the service takes it (and what else is resolved)."""
    data = payload.dict()
    return {**data, "district": organisation_in_body(data["district"], "district"), **resolved}


def joint_record(payload: JointIn) -> dict[str, Any]:
    """A body of a joint record of a district and a police unit as its service takes it."""
    data = payload.dict()
    return {
        **data,
        "district": organisation_in_body(data["district"], "district"),
        "police_unit": organisation_in_body(data["police_unit"], "police_unit"),
    }


def write_from_body(
    request: HttpRequest,
    roles: tuple[str, ...],
    service: Callable[..., Any],
    payload: Schema,
    **ids: int,
) -> CreatedOut:
    """Call a write service as the signed-in user, the body's fields as its arguments (with
    the ids from the path); answer with the written record's id."""
    require_role(request, roles)
    return CreatedOut(id=service(actor=request.user, **ids, **payload.dict()).pk)


def record_joint(
    request: HttpRequest,
    payload: JointIn,
    service: Callable[..., Any],
    roles: tuple[str, ...] = COORDINATORS,
) -> tuple[int, CreatedOut]:
    """Record a joint record of a district and a police unit from its body: 201 and its id."""
    require_role(request, roles)
    return created(service(actor=request.user, **joint_record(payload)))
