"""The client address that django-axes counts log-in failures against.

By default REMOTE_ADDR, the peer of the connection, which a client cannot
choose. Behind a reverse proxy every request comes from the proxy, so the
operator names the one header that proxy sets (`SAMVERKAN_CLIENT_IP_HEADER`,
e.g. `X-Real-IP`); only that header is read. If it holds a list (as
`X-Forwarded-For` does) the right-most entry is used: the one our own proxy
appended, not the ones the client sent.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def header_meta_key(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")


def client_ip(request: HttpRequest) -> str | None:
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header_meta_key(header), "")
        entries = [entry.strip() for entry in str(value).split(",") if entry.strip()]
        if entries:
            return entries[-1]
    remote = request.META.get("REMOTE_ADDR")
    return str(remote) if remote else None
