"""Django's `flush`, able to empty the append-only audit table on SQLite.

SQLite's flush deletes rows with DELETE, which the audit triggers refuse; the
test runner flushes after every transactional test. So around the flush the
triggers are dropped and put back (in `finally`). On PostgreSQL flush uses
TRUNCATE, which the row triggers do not block, and nothing changes. Flushing
empties the whole database by design; it is not a way to edit the log.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from samverkan.audit import triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if (
            connection.vendor != "sqlite"
            or triggers.TABLE not in connection.introspection.table_names()
        ):
            return super().handle(**options)
        triggers.remove(connection)
        try:
            return super().handle(**options)
        finally:
            triggers.install(connection)
