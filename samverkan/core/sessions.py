"""Background requests (htmx polling, live previews) must not write the session.

Every request saves the session (SESSION_SAVE_EVERY_REQUEST renews the idle
time), and a save writes the whole session as it was read. A preview that was
read before a registration stored its result, and saved after, would put the
old session back: the "not eligible" answer and the record of submitted forms
(which turns a retried submission into a first one) would be lost. Views marked
`session_passive` therefore never write the session's data; a passive request
that is user activity (a preview while typing) renews only the idle time, and
one that is not (a live screen's version poll, a region it refreshes) leaves
it, so an unattended screen is logged out on time. A live region marks its
background GET with the header `X-Live-Refresh` (core/live.py), so a page view
that is user activity when opened stays passive when a screen refreshes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse

from samverkan.core.live import LIVE_REFRESH_HEADER

View = TypeVar("View", bound=Callable[..., HttpResponse])

PASSIVE = "session_passive"


def session_passive(*, renews_idle_time: bool) -> Callable[[View], View]:
    def mark(view: View) -> View:
        setattr(view, PASSIVE, renews_idle_time)
        return view

    return mark


def _renew_idle_time(session: SessionBase) -> None:
    """Move the stored session's expiry forward without touching its data (database sessions)."""
    model = getattr(session, "model", None)
    if model is not None and session.session_key:
        model.objects.filter(session_key=session.session_key).update(
            expire_date=session.get_expiry_date()
        )


class PassiveAwareSessionMiddleware(SessionMiddleware):
    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        renews = getattr(view, PASSIVE, None)
        if request.method == "GET" and request.headers.get(LIVE_REFRESH_HEADER):
            # Only the screen itself refreshing: no user activity, and no session write.
            renews = False
        if renews is not None:
            request.session_passive = renews  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        renews = getattr(request, "session_passive", None)
        session = getattr(request, "session", None)
        if renews is None or session is None or session.modified:
            return super().process_response(request, response)
        if renews:
            _renew_idle_time(session)
        if session.accessed:
            response.headers.setdefault("Vary", "Cookie")
        return response
