"""Without the benchmark setting (always so in production) no benchmark code is installed."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.db import connection

pytestmark = pytest.mark.skipif(settings.BENCHMARK, reason="the benchmarking app is on")


@pytest.mark.django_db
def test_no_benchmark_table_endpoint_or_command_without_the_setting(client: Any) -> None:
    assert not apps.is_installed("samverkan.benchmarking")
    assert not [t for t in connection.introspection.table_names() if "benchmark" in t]
    assert "generate_history" not in get_commands()
    floor = client.post("/api/v1/benchmark/floor", "{}", content_type="application/json")
    assert floor.status_code == 404
