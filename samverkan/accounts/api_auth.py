"""API clients (police systems): bearer tokens, shown once, stored as a SHA-256 hash.

A token is 32 random bytes (``secrets.token_urlsafe(32)``) behind a short
readable prefix (``svk_``). For a secret with that much entropy a single
SHA-256 is the right storage: nobody can brute-force it, and it is cheap on
every API request (a slow password hash would be wasted work there).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from samverkan.accounts.models import ApiClient, User
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of
from samverkan.registry.models import Organisation

TOKEN_PREFIX = "svk_"
# How much of the token is kept readable, so an administrator can tell tokens apart.
VISIBLE_PREFIX_LENGTH = 10


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_client_create(
    *, organisation: Organisation, name: str, actor: User | None = None
) -> tuple[ApiClient, str]:
    """Create an API client for an organisation. Returns the client and its token.

    The token is returned only here; it is stored hashed and cannot be shown again.
    Raises ValidationError (Swedish message) when the name is empty or already taken.
    `actor` is None when the system (the management command) creates it.
    """
    name = name.strip()
    if not name:
        raise ValidationError(_("Ange ett namn för API-klienten."), code="name_required")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            client = ApiClient.objects.create(
                organisation=organisation,
                name=name,
                token_prefix=token[:VISIBLE_PREFIX_LENGTH],
                token_hash=hash_token(token),
            )
            audit_record_of(
                client,
                actor=actor,
                action=AuditAction.CREATE,
                controller=organisation.code,
                detail={"name": name, "token_prefix": client.token_prefix},
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(organisation)s har redan en API-klient som heter ”%(name)s”.")
            % {"organisation": organisation.code, "name": name},
            code="duplicate_name",
        ) from error
    return client, token


def api_client_revoke(*, client: ApiClient, actor: User | None = None) -> None:
    """Turn a client's token off for good (a new client gets a new token)."""
    with transaction.atomic():
        ApiClient.objects.filter(pk=client.pk).update(is_active=False)
        audit_record_of(
            client,
            actor=actor,
            action=AuditAction.CHANGE,
            controller=client.organisation.code,
            detail={"is_active": False},
        )
    client.is_active = False


def client_for_token(token: str) -> ApiClient | None:
    """The active API client this token belongs to, or None."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    digest = hash_token(token)
    client = (
        ApiClient.objects.select_related("organisation")
        .filter(token_hash=digest, is_active=True)
        .first()
    )
    # The lookup is by the hash of a high-entropy secret, so its timing tells an
    # attacker nothing useful; the comparison here is constant-time regardless.
    if client is None or not hmac.compare_digest(client.token_hash, digest):
        return None
    return client


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; on success `request.auth` is the ApiClient."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return client_for_token(token)


def calling_client(request: HttpRequest) -> ApiClient:
    """The police system calling an operation behind `ApiTokenAuth` (no one else gets in)."""
    client = request.auth  # type: ignore[attr-defined]
    assert isinstance(client, ApiClient)
    return client
