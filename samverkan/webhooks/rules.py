"""Pure rules of webhook delivery: the signature, the back-off, pausing, safe targets.

The signature is the Standard Webhooks one (standardwebhooks.com): the headers
``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature``
``v1,<base64 HMAC-SHA256 over "id.timestamp.body">`` keyed with the base64 part
of the endpoint's ``whsec_`` secret. A few lines of the standard library; the
tests check them against the specification's published test vector and a
receiver built on the reference library (`standardwebhooks`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

SECRET_PREFIX = "whsec_"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def new_secret() -> str:
    """A fresh endpoint secret: 32 random bytes, base64, behind ``whsec_``."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value for one attempt."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Samverkan-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }


def should_pause(
    consecutive_failures: int,
    failing_since: datetime | None,
    now: datetime,
    *,
    after_failures: int,
    after: timedelta,
) -> bool:
    """An endpoint that has failed every attempt, at least `after_failures` of them, over at
    least `after`: not a short outage (those the retries ride out) but a receiver gone."""
    return (
        failing_since is not None
        and consecutive_failures >= after_failures
        and now - failing_since >= after
    )


def url_problem(url: str, *, allow_loopback_http: bool, public_only: bool) -> str | None:
    """Why a receiver URL is refused (Swedish), or None. https only, except plain http to
    this machine where a setting allows it (tests, development); in production an IP
    literal must be a public address (the host's name is checked when sending)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if not host:
        return "Ange en fullständig adress, t.ex. https://polis.example/webhooks."
    if parts.username or parts.password:
        return "Adressen får inte innehålla användarnamn eller lösenord."
    if parts.fragment:
        return "Adressen får inte innehålla ett #-fragment."
    if parts.scheme == "http" and allow_loopback_http and host in LOOPBACK_HOSTS:
        return None
    if parts.scheme != "https":
        return "Adressen måste börja med https://."
    if public_only:
        if host == "localhost" or host.endswith(".localhost"):
            return address_problem_text()
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            return None
        if not literal.is_global:
            return address_problem_text()
    return None


def address_problem_text() -> str:
    return "Adressen pekar på en intern eller lokal adress; ange mottagarens publika adress."


def addresses_problem(addresses: list[str], *, public_only: bool) -> str | None:
    """Refuse a host that resolves to a private, loopback, link-local or reserved address."""
    if not addresses:
        return "Mottagarens namn gick inte att slå upp."
    if public_only and not all(ipaddress.ip_address(a).is_global for a in addresses):
        return address_problem_text()
    return None
