"""Who may see and change which webhook endpoints: a police system its own; administrators all."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samverkan.accounts import access as accounts_access
from samverkan.accounts.models import ApiClient
from samverkan.webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoints_visible_to(actor: Any) -> QuerySet[WebhookEndpoint]:
    """An API client's own endpoints; every endpoint for an administrator; else none."""
    endpoints = WebhookEndpoint.objects.select_related("client", "client__organisation")
    if isinstance(actor, ApiClient):
        return endpoints.filter(client=actor) if actor.is_active else endpoints.none()
    if accounts_access.can_administer(actor):
        return endpoints
    return endpoints.none()


def deliveries_visible_to(actor: Any) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint__in=endpoints_visible_to(actor))


def can_register_for(actor: Any, client: ApiClient) -> bool:
    """A police system registers receivers for itself; an administrator for any client."""
    if isinstance(actor, ApiClient):
        return actor.is_active and actor.pk == client.pk
    return accounts_access.can_administer(actor)
