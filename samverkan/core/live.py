"""Live screens (issue 18.12): a conditional poll of a tiny version, not of the lists.

An open screen (the hub's queue, a receiver's inbox) asks a version endpoint
about once a second with the version it shows (`If-None-Match`). The endpoint
computes the version of what the user may see with one aggregate query and
answers 304, without a body, while nothing changed; on a change it answers 204
with the new `ETag`, and the page's script (static/js/samverkan.js) has the
live regions fetch their content again. Server-sent events were measured
against it and not chosen: gunicorn's sync workers would hold one worker per
open screen (benchmarks/README.md, "Live screens").

The version is an HMAC of the scope's figures (counts, the last event id), so it
tells the screen only that something changed, never what or how much. The
version views are `session_passive(renews_idle_time=False)`, and so is any GET
a live region sends in the background (header `X-Live-Refresh`,
`core.sessions`): an open screen does not keep an unattended session alive.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

LIVE_REFRESH_HEADER = "X-Live-Refresh"


def version_tag(figures: Iterable[object]) -> str:
    """An opaque version of `figures`: equal figures, equal tag; nothing readable in it."""
    text = "|".join(str(figure) for figure in figures)
    return salted_hmac("samverkan.core.live", text).hexdigest()[:24]


def version_response(request: HttpRequest, tag: str) -> HttpResponse:
    """304 when the screen shows version `tag` already, else 204 carrying it as the ETag."""
    etag = f'"{tag}"'
    shown = request.headers.get("If-None-Match", "")
    response = HttpResponse(status=304 if etag in shown else 204)
    response["ETag"] = etag
    # Never from a cache: the screen must ask the server every time.
    response["Cache-Control"] = "no-store"
    return response
