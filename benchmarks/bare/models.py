"""Unmanaged views of the tables the floor touches (Samverkan's migrations own them)."""

# ruff: noqa: DJ008 (never shown anywhere)

from __future__ import annotations

from django.db import models


class Organisation(models.Model):
    code = models.CharField(max_length=10)

    objects: models.Manager[Organisation] = models.Manager()

    class Meta:
        managed = False
        db_table = "registry_organisation"


class ApiClient(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.DO_NOTHING)
    token_hash = models.CharField(max_length=64)
    is_active = models.BooleanField()

    objects: models.Manager[ApiClient] = models.Manager()

    class Meta:
        managed = False
        db_table = "accounts_apiclient"


class FloorRow(models.Model):
    received_at = models.DateTimeField()
    api_client = models.ForeignKey(ApiClient, on_delete=models.DO_NOTHING)
    payload = models.JSONField()

    objects: models.Manager[FloorRow] = models.Manager()

    class Meta:
        managed = False
        db_table = "benchmarking_floorrow"
