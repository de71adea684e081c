"""Stand-in for `samverkan.accounts.api_auth` (contract in CONTRACTS.md)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from ninja.security import HttpBearer

from samverkan.accounts.models import ApiClient
from samverkan.registry.models import Organisation


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: Any, token: str) -> ApiClient | None:
        return (
            ApiClient.objects.select_related("organisation")
            .filter(token_hash=_digest(token), is_active=True)
            .first()
        )


def api_client_create(*, organisation: Organisation, name: str) -> tuple[ApiClient, str]:
    token = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        organisation=organisation, name=name, token_prefix=token[:8], token_hash=_digest(token)
    )
    return client, token
