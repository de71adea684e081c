"""Database triggers that make audit entries append-only (UPDATE and DELETE fail).

Used by migration 0002 and by the `flush` command override (SQLite only: its
flush empties tables with DELETE, which the trigger forbids; PostgreSQL's flush
uses TRUNCATE, which row triggers do not see).
"""

from __future__ import annotations

from typing import Any

TABLE = "audit_auditentry"

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit entries are append-only: % is not allowed', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE}",
    f"""
    CREATE TRIGGER audit_entry_append_only
        BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
    """,
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]

SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE is not allowed'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE is not allowed'); END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]

_SQL = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
}


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: Any) -> None:
    """Create the triggers on this connection's database (other engines: nothing)."""
    if connection.vendor in _SQL:
        _run(connection, _SQL[connection.vendor][0])


def remove(connection: Any) -> None:
    if connection.vendor in _SQL:
        _run(connection, _SQL[connection.vendor][1])
