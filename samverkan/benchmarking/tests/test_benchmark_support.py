"""The benchmark's support code (issue 8): generate_history and the floor endpoint.

Run with the benchmarking app installed (`SAMVERKAN_BENCHMARK=1`, as `make test`
does in a run of its own); `samverkan/benchmarking/conftest.py` leaves these
tests out of a run without it.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEntry
from samverkan.audit.services import GENESIS_HASH, audit_record
from samverkan.audit.verify import verify_chain
from samverkan.benchmarking.management.commands.generate_history import Chain
from samverkan.benchmarking.models import FloorRow
from samverkan.benchmarking.views import floor
from samverkan.core.calendar import local_date
from samverkan.followup.periods import custom_period
from samverkan.followup.selectors import Scope, single_entry_dashboard
from samverkan.intake.access import visible_to
from samverkan.intake.models import (
    ConcernReport,
    Feedback,
    Handover,
    NotEligibleRecord,
    PreliminaryAssessment,
    ProtectionAssessment,
    ReportEvent,
)


def test_generate_history_keeps_the_chain_and_leaves_only_the_newest_open(
    hub_worker: Any, nacka_receiver: Any, roc_api_client: Any, intake_registry: Any
) -> None:
    call_command("generate_history", reports=60, years=2, open=5, batch=25, verbosity=0)
    reports = ConcernReport.objects.filter(police_reference__startswith="HIST-")
    assert reports.count() == 60
    assert reports.filter(closed_at__isnull=True).count() == 5
    assert reports.filter(accepted_at__isnull=True).count() <= 5
    closed = reports.filter(closed_at__isnull=False)
    assert not closed.filter(protection_assessed_at__isnull=True).exists()
    assert not closed.filter(preliminary_decided_on__isnull=True).exists()
    assert all(r.protection_assessed_at >= r.accepted_at for r in closed)
    assert NotEligibleRecord.objects.exists()
    # ids follow the chain: audit_verify walks it in id order
    assert verify_chain().ok
    call_command("generate_history", reports=10, years=2, open=0, verbosity=0)
    assert verify_chain().ok
    assert reports.filter(closed_at__isnull=True).count() == 5


def _history_is_whole(count: int) -> None:
    """What a user of the generated history relies on, read back through the ORM."""
    reports = ConcernReport.objects.filter(police_reference__startswith="HIST-")
    assert reports.count() == count
    assert Handover.objects.filter(report__in=reports).count() == count
    # every report has its received event and at least its create and view audit entries
    assert ReportEvent.objects.filter(report__in=reports, kind="received").count() == count
    closed = reports.filter(closed_at__isnull=False)
    assert ProtectionAssessment.objects.filter(report__in=closed).count() == closed.count()
    assert PreliminaryAssessment.objects.filter(report__in=closed).count() == closed.count()
    wanting = closed.filter(wants_feedback=True)
    assert Feedback.objects.filter(report__in=wanting, delivered_at__isnull=False).count() == (
        wanting.count()
    )
    for report in reports.order_by("?")[:5]:
        assert report.public_id is not None
        assert report.received_at.tzinfo is not None
        assert report.protection_assessment_due >= report.received_at
        assert report.preliminary_assessment_due >= local_date(report.received_at)
        assert report.reasons == []
        assert report.events.order_by("at").first().detail["channel"] == "police_api"
        assert AuditEntry.objects.filter(
            record_type="intake.ConcernReport", record_id=str(report.pk), action="create"
        ).exists()
    assert verify_chain().ok


def test_generated_history_reads_back_through_the_app(
    hub_worker: Any,
    nacka_receiver: Any,
    roc_api_client: Any,
    intake_registry: Any,
    logged_in_client: Any,
) -> None:
    call_command("generate_history", reports=80, years=1, open=15, batch=30, verbosity=0)
    _history_is_whole(80)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "OK" in out.getvalue()

    # The hub's queue shows exactly the open reports not yet accepted, and a report's
    # page opens for one of them and for a closed one.
    generated = ConcernReport.objects.filter(police_reference__startswith="HIST-")
    unaccepted = set(generated.filter(accepted_at__isnull=True).values_list("pk", flat=True))
    hub = logged_in_client(hub_worker)
    response = hub.get(reverse("intake:hub_queue"))
    assert response.status_code == 200
    assert {row.id for row, _fallback in response.context["rows"]} == unaccepted
    waiting = generated.filter(pk__in=unaccepted).first()
    assert waiting is not None
    page = hub.get(reverse("intake:hub_report", args=[waiting.pk]))
    assert page.status_code == 200
    assert waiting.police_reference in page.content.decode()
    # A receiver opens a closed report of their own from years back, and their queue.
    closed = visible_to(nacka_receiver, generated).filter(closed_at__isnull=False).first()
    assert closed is not None
    nacka = logged_in_client(nacka_receiver)
    page = nacka.get(reverse("intake:receiver_report", args=[closed.pk]))
    assert page.status_code == 200
    assert closed.police_reference in page.content.decode()
    assert nacka.get(reverse("intake:inbox")).status_code == 200

    # The single-entry dashboard counts every generated report and not-eligible record.
    today = local_date(timezone.now())
    dashboard = single_entry_dashboard(
        period=custom_period(today - timedelta(days=400), today), scope=Scope(), suppress=False
    )
    eligibility = next(t for t in dashboard.tables if t.slug == "eligibility")
    counts = {row.key: row.cells[0].value for row in eligibility.rows}
    assert counts["eligible"] == 80
    assert counts["not_eligible"] == NotEligibleRecord.objects.count()


def _live_server_writes(actor: Any) -> ConcernReport:
    """What a live server does beside a bulk load: ORM inserts and one audit append."""
    template = ConcernReport.objects.filter(police_reference__startswith="HIST-").first()
    assert template is not None
    template.pk = None
    template.public_id = uuid.uuid4()
    template.police_reference = "LIVE-1"
    template.save()  # a new row with the id the database gives it
    Handover.objects.create(
        report=template, organisation=template.controller, started_at=timezone.now()
    )
    ReportEvent.objects.create(report=template, kind="received", at=timezone.now())
    audit_record(
        actor=actor,
        action="view",
        record_type="intake.ConcernReport",
        record_id=template.pk,
        controller=template.controller.code,
    )
    return template


def test_a_second_run_adds_to_the_first_beside_a_live_server(
    hub_worker: Any, nacka_receiver: Any, roc_api_client: Any, intake_registry: Any
) -> None:
    call_command("generate_history", reports=40, years=2, open=3, batch=15, verbosity=0)
    live = _live_server_writes(hub_worker)
    entries = AuditEntry.objects.count()
    call_command("generate_history", reports=25, years=2, open=0, batch=10, verbosity=0)
    _history_is_whole(65)
    assert ConcernReport.objects.filter(pk__gt=live.pk, police_reference__startswith="HIST-")
    assert AuditEntry.objects.count() > entries
    live.refresh_from_db()
    assert live.police_reference == "LIVE-1"
    # only the first run's open reports are open
    assert (
        ConcernReport.objects.filter(
            police_reference__startswith="HIST-", closed_at__isnull=True
        ).count()
        == 3
    )


def test_entries_hashed_onto_a_stale_head_are_chained_again(
    hub_worker: Any,
    nacka_receiver: Any,
    roc_api_client: Any,
    intake_registry: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A live server appends while a batch is being built: the batch was hashed onto a
    # head that is no longer the newest entry. The writer sees it under the chain's lock
    # and hashes the batch again onto the real head.
    call_command("generate_history", reports=10, years=1, open=0, verbosity=0)
    monkeypatch.setattr(Chain, "start", lambda self: setattr(self, "last_hash", GENESIS_HASH))
    call_command("generate_history", reports=12, years=1, open=0, batch=5, verbosity=0)
    _history_is_whole(22)


@pytest.mark.django_db(transaction=True)
def test_history_is_written_outside_a_callers_transaction(
    hub_worker: Any, nacka_receiver: Any, roc_api_client: Any, intake_registry: Any
) -> None:
    # Outside a transaction PostgreSQL writes each batch on a second connection while
    # the next is built (the way the benchmark runs it); SQLite writes as it builds.
    assert not connection.in_atomic_block
    call_command("generate_history", reports=50, years=3, open=4, batch=12, verbosity=0)
    live = _live_server_writes(hub_worker)
    call_command("generate_history", reports=30, years=3, open=0, batch=7, verbosity=0)
    _history_is_whole(80)
    assert ConcernReport.objects.filter(police_reference="LIVE-1").get().pk == live.pk


@pytest.mark.django_db
def test_floor_endpoint_authenticates_like_the_api_and_stores_one_row(
    roc_api_client: Any,
) -> None:
    _client, token = roc_api_client
    factory = RequestFactory()
    body = json.dumps({"police_reference": "X-1"})
    refused = floor(
        factory.post(
            "/api/v1/benchmark/floor", body, "application/json", HTTP_AUTHORIZATION="Bearer no"
        )
    )
    assert refused.status_code == 401
    created = floor(
        factory.post(
            "/api/v1/benchmark/floor",
            body,
            "application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    )
    assert created.status_code == 201
    assert FloorRow.objects.get().payload == {"police_reference": "X-1"}
