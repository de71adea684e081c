"""Webhook endpoints of police systems, mounted at /api/v1/webhooks (issue 21.1).

A police system (the bearer token of /api/v1/reports) registers receivers for the
events of its own reports and reads each delivery's attempts. The secret that
signs the deliveries is in the answer to the registration only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from samverkan.accounts.api_auth import ApiTokenAuth, calling_client
from samverkan.core.calendar import api_instant
from samverkan.webhooks import services
from samverkan.webhooks.models import WebhookDelivery, WebhookEndpoint

router = Router(auth=ApiTokenAuth(), tags=["Webhooks (händelser till polisens system)"])

INSTANT = "ISO 8601, svensk tid med UTC-förskjutning, hela sekunder."
EventType = Literal[
    "report.received",
    "report.handed_over",
    "report.accepted",
    "report.not_eligible",
    "report.feedback_given",
    "information_request.created",
    "information_request.answered",
]


class WebhookEndpointIn(Schema):
    url: str = Field(
        ...,
        min_length=1,
        max_length=500,
        description="Mottagarens adress: https:// (i utvecklingsmiljö även http://127.0.0.1).",
        examples=["https://polis.example/samverkan/webhooks"],
    )
    events: list[EventType] | None = Field(
        None, description="Händelserna att ta emot; utelämnat: alla.", min_length=1
    )
    contact_email: str = Field(
        ...,
        max_length=254,
        description="E-post som får besked om webhooken pausas efter upprepade fel.",
        examples=["drift@polis.example"],
    )


class WebhookEndpointOut(Schema):
    id: int
    url: str
    events: list[EventType]
    contact_email: str
    created_at: str = Field(..., description=INSTANT)
    paused_at: str | None = Field(..., description=f"Null: aktiv. {INSTANT}")
    consecutive_failures: int


class WebhookEndpointCreatedOut(WebhookEndpointOut):
    secret: str = Field(
        ...,
        description="Nyckeln som signerar leveranserna (whsec_…). Visas bara nu: spara den.",
    )


class WebhookAttemptOut(Schema):
    at: str = Field(..., description=INSTANT)
    status_code: int | None = Field(..., description="Mottagarens HTTP-status; null: inget svar.")
    duration_ms: int
    error: str


class WebhookDeliveryOut(Schema):
    id: str = Field(..., description="Huvudet webhook-id (samma vid varje nytt försök).")
    event_type: EventType
    status: Literal["pending", "succeeded", "failed"]
    created_at: str = Field(..., description=INSTANT)
    next_attempt_at: str | None = Field(..., description=INSTANT)
    delivered_at: str | None = Field(..., description=INSTANT)
    attempts: list[WebhookAttemptOut]


def _instant(value: datetime | None) -> str | None:
    return api_instant(value) if value is not None else None


def _endpoint_out(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "events": endpoint.events,
        "contact_email": endpoint.contact_email,
        "created_at": api_instant(endpoint.created_at),
        "paused_at": _instant(endpoint.paused_at),
        "consecutive_failures": endpoint.consecutive_failures,
    }


def _delivery_out(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.message_id,
        "event_type": delivery.event_type,
        "status": delivery.status,
        "created_at": api_instant(delivery.created_at),
        "next_attempt_at": _instant(delivery.next_attempt_at),
        "delivered_at": _instant(delivery.delivered_at),
        "attempts": [
            {
                "at": api_instant(attempt.at),
                "status_code": attempt.status_code,
                "duration_ms": attempt.duration_ms,
                "error": attempt.error,
            }
            for attempt in delivery.attempts.all()
        ],
    }


@router.get("", response={200: list[WebhookEndpointOut]}, summary="Klientens webhooks")
def webhook_list(request: HttpRequest) -> Any:
    client = calling_client(request)
    endpoints = WebhookEndpoint.objects.filter(client=client).order_by("pk")
    return Status(200, [_endpoint_out(e) for e in endpoints])


@router.post(
    "",
    response={201: WebhookEndpointCreatedOut},
    summary="Registrera en webhook",
    description=(
        "Händelser för klientens egna anmälningar skickas enligt Standard Webhooks "
        "(huvudena webhook-id, webhook-timestamp, webhook-signature). Innehållet är "
        "detsamma som GET /api/v1/reports/{id} visar, aldrig mer."
    ),
)
def webhook_create(request: HttpRequest, payload: WebhookEndpointIn) -> Any:
    client = calling_client(request)
    endpoint, secret = services.endpoint_register(
        actor=client,
        client=client,
        url=payload.url,
        contact_email=payload.contact_email,
        events=list(payload.events) if payload.events is not None else None,
    )
    return Status(201, {**_endpoint_out(endpoint), "secret": secret})


@router.get("/{endpoint_id}", response={200: WebhookEndpointOut}, summary="En webhook")
def webhook_detail(request: HttpRequest, endpoint_id: int) -> Any:
    endpoint = services.endpoint_get(actor=calling_client(request), endpoint_id=endpoint_id)
    return Status(200, _endpoint_out(endpoint))


@router.delete("/{endpoint_id}", response={204: None}, summary="Ta bort en webhook")
def webhook_delete(request: HttpRequest, endpoint_id: int) -> Any:
    services.endpoint_delete(actor=calling_client(request), endpoint_id=endpoint_id)
    return Status(204, None)


@router.post(
    "/{endpoint_id}/resume",
    response={200: WebhookEndpointOut},
    summary="Återuppta en pausad webhook",
    description="Händelserna som väntat i kö skickas direkt.",
)
def webhook_resume(request: HttpRequest, endpoint_id: int) -> Any:
    endpoint = services.endpoint_resume(actor=calling_client(request), endpoint_id=endpoint_id)
    return Status(200, _endpoint_out(endpoint))


@router.get(
    "/{endpoint_id}/deliveries",
    response={200: list[WebhookDeliveryOut]},
    summary="Leveranser och varje försök",
    description="De senaste 100 leveranserna, nyaste först.",
)
def webhook_deliveries(request: HttpRequest, endpoint_id: int) -> Any:
    deliveries = services.deliveries_of(actor=calling_client(request), endpoint_id=endpoint_id)
    return Status(200, [_delivery_out(d) for d in deliveries])
