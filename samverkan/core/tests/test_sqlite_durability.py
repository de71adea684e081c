"""SQLite commits must be on disk before we answer (make crash-test kills the server)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")


@pytest.mark.django_db
def test_every_connection_syncs_at_commit():
    # FULL (2): an acknowledged report survives a power cut, not only a killed process.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_server_databases_use_wal_and_immediate_transactions():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
