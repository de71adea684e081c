"""The benchmark's own table: in a database only when the benchmarking app is installed."""

from __future__ import annotations

from django.db import models


class FloorRow(models.Model):
    """What the floor endpoint writes, one row per request (issue 8)."""

    received_at = models.DateTimeField()
    api_client = models.ForeignKey("accounts.ApiClient", on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField()

    # Declared: mypy's Django plugin adds no manager to a model of an app that the
    # settings it reads (SAMVERKAN_BENCHMARK off) do not install.
    objects: models.Manager[FloorRow] = models.Manager()

    def __str__(self) -> str:
        return f"Benchmark floor row {self.pk}"
