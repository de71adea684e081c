"""The benchmark's support code (issue 8): generate_history, the floor endpoint, the cache."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from samverkan.audit.verify import verify_chain
from samverkan.intake.benchmark_views import floor
from samverkan.intake.models import BenchmarkFloorRow, ConcernReport, NotEligibleRecord


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


@pytest.mark.django_db
def test_floor_endpoint_authenticates_like_the_api_and_stores_one_row(
    roc_api_client: Any,
) -> None:
    _client, token = roc_api_client
    factory = RequestFactory()
    body = json.dumps({"police_reference": "X-1"})
    refused = floor(
        factory.post("/benchmark/floor", body, "application/json", HTTP_AUTHORIZATION="Bearer no")
    )
    assert refused.status_code == 401
    created = floor(
        factory.post(
            "/benchmark/floor", body, "application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    )
    assert created.status_code == 201
    assert BenchmarkFloorRow.objects.get().payload == {"police_reference": "X-1"}


@pytest.mark.django_db
def test_floor_endpoint_is_not_mounted_without_the_setting(client: Any) -> None:
    # The test settings leave SAMVERKAN_BENCHMARK_ENDPOINTS off, as production always does.
    assert client.post("/benchmark/floor", "{}", content_type="application/json").status_code == 404
