"""Handing accepted reports over to the municipality's case system (issue 21.2).

* `handover_request`: the receiving social worker's button on the report; audited.
* `on_acceptance`: intake's acceptance listener (see `declarations`), called inside
  the acceptance's transaction: where the receiver's connection sends automatically,
  the handover is queued with the acceptance — it commits or rolls back with it.
* `handovers_send_due`: the job's round (`manage.py send_to_casesystems`),
  an outbox as the webhooks' (`core.outbox`): each handover claimed with a lease (two
  workers never send it at once; a worker that died mid-send leaves it to be
  retried), sent outside any transaction, every attempt logged with the answer, and
  a failure tried again with exponential back-off.
  The case system's id is kept on the handover and written to the access log.

The request is built when it is sent, from the report as it is then: the queue holds
no personal data.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of
from samverkan.casesystems import access, adapters
from samverkan.casesystems.models import (
    CaseSystemAttempt,
    CaseSystemConnection,
    CaseSystemHandover,
    HandoverStatus,
)
from samverkan.core import outbox
from samverkan.core.calendar import local_date
from samverkan.core.errors import Conflict, NotFound
from samverkan.intake.announcements import Acceptance
from samverkan.intake.models import ConcernReport

logger = logging.getLogger(__name__)


class ReportNotFound(NotFound):
    default_message = "Anmälan finns inte, eller så är den inte mottagen av er."


# --- the connection of a report ----------------------------------------------------------


def connection_for(report: ConcernReport) -> CaseSystemConnection | None:
    """The receiving unit's own active connection, else its organisation's; None if none."""
    connections = CaseSystemConnection.objects.filter(
        organisation_id=report.controller_id, is_active=True
    ).filter(Q(unit__isnull=True) | Q(unit_id=report.receiving_unit_id))
    by_unit = {connection.unit_id: connection for connection in connections}
    if report.receiving_unit_id is not None and report.receiving_unit_id in by_unit:
        return by_unit[report.receiving_unit_id]
    return by_unit.get(None)


def adapter_connection(connection: CaseSystemConnection) -> adapters.Connection:
    """What the adapter gets: the key read from the environment variable the row names."""
    return adapters.Connection(
        base_url=connection.base_url,
        account=connection.account,
        secret=os.environ.get(connection.credential_variable, ""),
        options=dict(connection.options),
        timeout_seconds=settings.CASESYSTEM_TIMEOUT_SECONDS,
    )


def actualisation_of(report: ConcernReport) -> adapters.Actualisation:
    return adapters.Actualisation(
        reference=str(report.public_id),
        person_id=report.person_id,
        received_on=local_date(report.received_at),
        gang_related=report.gang_related,
        unit_code=report.receiving_unit.code if report.receiving_unit else "",
    )


# --- queueing ----------------------------------------------------------------------------


def _queue(
    report: ConcernReport,
    connection: CaseSystemConnection,
    requested_by: User | None,
    now: datetime,
) -> CaseSystemHandover:
    handover = CaseSystemHandover.objects.create(
        report=report,
        connection=connection,
        requested_by=requested_by,
        created_at=now,
        next_attempt_at=now,
    )
    audit_record_of(
        handover,
        actor=requested_by,
        action=AuditAction.CREATE,
        controller=report.controller.code,
        detail={"report": report.pk, "case_system": connection.adapter},
    )
    return handover


def handover_request(
    *, actor: User, report_id: int, now: datetime | None = None
) -> CaseSystemHandover:
    """The receiver asks to have the report registered in their case system.

    A report of another organisation, or one not yet accepted, is not found. A report
    already queued or registered is a conflict; one given up on is queued again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        report = (
            access.reports_sendable_by(actor)
            .select_for_update(of=("self",))
            .select_related("controller", "receiving_unit")
            .filter(pk=report_id)
            .first()
        )
        if report is None:
            raise ReportNotFound()
        existing = CaseSystemHandover.objects.filter(report=report).first()
        if existing is not None and existing.status != HandoverStatus.FAILED:
            raise Conflict("Anmälan är redan skickad till verksamhetssystemet.")
        connection = connection_for(report)
        if connection is None:
            raise Conflict("Er enhet har ingen koppling till ett verksamhetssystem.")
        if not report.person_id:
            raise Conflict(
                "Barnets personnummer saknas, så anmälan kan inte registreras automatiskt. "
                "Registrera aktualiseringen för hand."
            )
        if existing is None:
            return _queue(report, connection, actor, now)
        existing.connection = connection
        existing.requested_by = actor
        existing.status = HandoverStatus.PENDING
        existing.attempt_count = 0
        existing.next_attempt_at = now
        existing.last_error = ""
        existing.save()
        audit_record_of(
            existing,
            actor=actor,
            action=AuditAction.CHANGE,
            controller=report.controller.code,
            detail={"report": report.pk, "queued_again": True},
        )
        return existing


def on_acceptance(acceptance: Acceptance) -> CaseSystemHandover | None:
    """Queue the handover with the acceptance, where the receiver's connection sends
    automatically (and the child's identity number is known)."""
    report = ConcernReport.objects.select_related("controller").get(pk=acceptance.report_id)
    connection = connection_for(report)
    if connection is None or not connection.auto_send or not report.person_id:
        return None
    if CaseSystemHandover.objects.filter(report=report).exists():
        return None
    return _queue(report, connection, None, acceptance.at)


# --- sending (the worker) ------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    external_id: str
    status_code: int | None
    duration_ms: int
    error: str = ""
    answer: str = ""
    retryable: bool = False

    @property
    def succeeded(self) -> bool:
        return bool(self.external_id)


def _send(handover: CaseSystemHandover) -> Outcome:
    connection = handover.connection
    adapter = adapters.get(connection.adapter)
    if adapter is None:
        return Outcome("", None, 0, f"Okänt verksamhetssystem: {connection.adapter}.", "", True)
    problems = adapter.option_problems(connection.options)
    if problems:  # the operator corrects the codes in the admin; then it goes
        return Outcome("", None, 0, "Kopplingens koder: " + " ".join(problems), "", True)
    if not os.environ.get(connection.credential_variable):
        error = f"Miljövariabeln {connection.credential_variable} saknas på servern."
        return Outcome("", None, 0, error, "", True)
    started = time.monotonic()
    try:
        external_id = adapter.register_actualisation(
            adapter_connection(connection), actualisation_of(handover.report)
        )
    except adapters.AdapterError as failure:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(
            "", failure.status_code, elapsed, failure.message, failure.answer, failure.retryable
        )
    elapsed = int((time.monotonic() - started) * 1000)
    return Outcome(external_id, 200, elapsed, "", external_id)


def handovers_send_due(*, now: datetime | None = None, limit: int = 100) -> list[int]:
    """Send every handover whose time has come; returns their ids. Safe to run in several
    processes at once and as often as you like."""
    now = now or timezone.now()
    sendable = CaseSystemHandover.objects.filter(connection__is_active=True)
    sent = []
    for pk in outbox.claimed_due(sendable, now, limit):
        handover = CaseSystemHandover.objects.select_related(
            "connection", "report", "report__controller", "report__receiving_unit"
        ).get(pk=pk)
        _record(handover, _send(handover), now)
        sent.append(pk)
    return sent


def _record(handover: CaseSystemHandover, outcome: Outcome, now: datetime) -> None:
    """Log the attempt; on success keep the case system's id and write it to the log."""
    report = handover.report
    with transaction.atomic():
        CaseSystemAttempt.objects.create(
            handover=handover,
            at=now,
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            error=outcome.error[:300],
            answer=outcome.answer[:500],
        )
        attempts = handover.attempt_count + 1
        if outcome.succeeded:
            CaseSystemHandover.objects.filter(pk=handover.pk).update(
                attempt_count=attempts,
                status=HandoverStatus.REGISTERED,
                external_id=outcome.external_id,
                registered_at=now,
                next_attempt_at=None,
                last_error="",
            )
            audit_record_of(
                report,
                actor=None,
                action=AuditAction.HANDOVER,
                controller=report.controller.code,
                detail={
                    "case_system": handover.connection.adapter,
                    "external_id": outcome.external_id,
                },
            )
            return
        next_attempt = outbox.next_attempt_after_failure(
            attempts,
            now,
            max_attempts=settings.CASESYSTEM_MAX_ATTEMPTS,
            base_seconds=settings.CASESYSTEM_RETRY_BASE_SECONDS,
            max_seconds=settings.CASESYSTEM_RETRY_MAX_SECONDS,
            retryable=outcome.retryable,
        )
        CaseSystemHandover.objects.filter(pk=handover.pk).update(
            attempt_count=attempts,
            status=HandoverStatus.PENDING if next_attempt else HandoverStatus.FAILED,
            next_attempt_at=next_attempt,
            last_error=outcome.error[:300],
        )
        if next_attempt is None:
            logger.warning("case-system handover %s given up: %s", handover.pk, outcome.error)


def handover_of(report: ConcernReport) -> CaseSystemHandover | None:
    return (
        CaseSystemHandover.objects.filter(report=report)
        .select_related("connection")
        .prefetch_related("attempts")
        .first()
    )


def code_lists(connection: CaseSystemConnection, person_id: str) -> dict[str, Any]:
    """The installation's code lists (for an operator choosing a connection's codes)."""
    adapter = adapters.get(connection.adapter)
    if adapter is None:
        raise Conflict(f"Okänt verksamhetssystem: {connection.adapter}.")
    return adapter.code_lists(adapter_connection(connection), person_id)
