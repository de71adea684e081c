"""A report's events, announced to the police system that sent it (issue 21.1).

Intake says *that* something happened, inside the transaction of the change;
a listener (the webhooks app, from its declarations) queues what it will send
in that same transaction, so an announcement survives a crash and is never made
for a change that was rolled back. Intake knows no listener, only this module.

Only reports an API client sent (or took over, `also_via_api`) are announced,
and only to that client: the listener is told which client it concerns.

Every acceptance, whoever sent the report, is also told to the acceptance
listeners (`listen_acceptance`): the receiving municipality's own case system
may register it (the casesystems app, issue 21.2), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from samverkan.intake.models import EventKind, NotEligibleRecord, ReportEvent

# The report's events a police system may follow, by the name it subscribes to.
ANNOUNCED: dict[str, str] = {
    EventKind.RECEIVED: "report.received",
    EventKind.HANDED_OVER: "report.handed_over",
    EventKind.ACCEPTED: "report.accepted",
    EventKind.FEEDBACK_DELIVERED: "report.feedback_given",
    EventKind.INFORMATION_REQUESTED: "information_request.created",
    EventKind.INFORMATION_ANSWERED: "information_request.answered",
}
NOT_ELIGIBLE = "report.not_eligible"
EVENT_TYPES: tuple[str, ...] = (*ANNOUNCED.values(), NOT_ELIGIBLE)


@dataclass(frozen=True)
class Announcement:
    event_type: str  # one of EVENT_TYPES
    client_id: int  # the API client whose report it is
    report_id: str  # the report's public id, as the status API names it
    at: datetime
    # Unique per announced change, so no listener queues the same change twice.
    key: str
    information_request_id: int | None = None


Listener = Callable[[Announcement], None]
_listeners: dict[str, Listener] = {}


def listen(name: str, listener: Listener) -> None:
    """Register `listener` (called inside the change's transaction) under `name`."""
    _listeners[name] = listener


def _announce(announcement: Announcement) -> None:
    for listener in _listeners.values():
        listener(announcement)


@dataclass(frozen=True)
class Acceptance:
    """The receiving side accepted a report (in the system, or by phone through the hub)."""

    report_id: int  # the report's pk
    at: datetime
    accepted_by_id: int | None  # the receiver who accepted in the system; None by phone


AcceptanceListener = Callable[[Acceptance], None]
_acceptance_listeners: dict[str, AcceptanceListener] = {}


def listen_acceptance(name: str, listener: AcceptanceListener) -> None:
    """Register `listener` for every acceptance (called inside the acceptance's transaction)."""
    _acceptance_listeners[name] = listener


def _announce_acceptance(event: ReportEvent) -> None:
    acceptance = Acceptance(
        report_id=event.report_id, at=event.at, accepted_by_id=event.report.accepted_by_id
    )
    for listener in _acceptance_listeners.values():
        listener(acceptance)


def announce_event(event: ReportEvent) -> None:
    """Announce a report's event, if it is one a police system follows and an API client
    sent the report; nothing (and no query) otherwise. An acceptance also goes to the
    acceptance listeners, whoever sent the report."""
    if event.kind == EventKind.ACCEPTED and _acceptance_listeners:
        _announce_acceptance(event)
    event_type = ANNOUNCED.get(event.kind)
    client_id = event.report.api_client_id
    if event_type is None or client_id is None or not _listeners:
        return
    request = event.detail.get("request")
    _announce(
        Announcement(
            event_type=event_type,
            client_id=client_id,
            report_id=str(event.report.public_id),
            at=event.at,
            key=f"event-{event.pk}",
            information_request_id=int(request) if request is not None else None,
        )
    )


def announce_not_eligible(record: NotEligibleRecord) -> None:
    """A report not covered by the single entry: only its anonymous record exists."""
    if record.api_client_id is None or not _listeners:
        return
    _announce(
        Announcement(
            event_type=NOT_ELIGIBLE,
            client_id=record.api_client_id,
            report_id=str(record.public_id),
            at=record.decided_at,
            key=f"not-eligible-{record.pk}",
        )
    )
