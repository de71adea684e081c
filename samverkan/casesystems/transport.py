"""One HTTP exchange with a case system: no redirects, a time limit, a bounded answer.

A case system usually stands on the municipality's own network, so — unlike a
police system's webhook receiver — a private address is allowed; `https://` is
required except plain `http://` to this machine where CASESYSTEM_ALLOW_LOOPBACK_HTTP
allows it (tests, development). The URL (it carries Lifecare's key in its query) is
never written to a log or an error text.
"""

from __future__ import annotations

import http.client
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from samverkan.webhooks.rules import url_problem

# What of an answer is read: the ids and error texts case systems send are short.
READ_LIMIT = 64 * 1024


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer (refused, time-out, refused address)
    body: bytes
    duration_ms: int
    error: str = ""  # why there was no answer (Swedish or the exception's name)


def base_url_problem(url: str) -> str | None:
    """Why a connection's base URL is refused (Swedish), or None."""
    return url_problem(
        url, allow_loopback_http=settings.CASESYSTEM_ALLOW_LOOPBACK_HTTP, public_only=False
    )


def exchange(
    method: str, url: str, *, body: bytes | None, headers: dict[str, str], timeout: float
) -> Answer:
    """Send one request and read the answer (never follows a redirect)."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    problem = base_url_problem(url)
    if problem:
        return Answer(None, b"", 0, problem)
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    kwargs = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
    try:
        connection = kind(parts.hostname or "", parts.port, timeout=timeout, **kwargs)  # type: ignore[arg-type]
    except ValueError:
        return Answer(None, b"", 0, "Ogiltigt portnummer i adressen.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read(READ_LIMIT)
        return Answer(response.status, data, elapsed())
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, b"", elapsed(), type(error).__name__)
    finally:
        connection.close()
