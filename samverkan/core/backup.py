"""Backing up and restoring the database (docs/operations/backup.md).

SQLite: sqlite3's online backup API copies the live database in one read
transaction while the application keeps serving (in WAL mode writers are not
blocked); the copy is a consistent snapshot of one instant.
PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot in one
transaction) and ``pg_restore`` into an empty database, with the client
binaries of the server's major version.

Both commands refuse to restore into a database that already has tables, so a
restore can never mix two instances' data or overwrite a live one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    """A backup or restore could not be made; the message says why (in Swedish)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    size: int
    sha256: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Databasmotorn {vendor} stöds inte.")
    return vendor


# --- SQLite ------------------------------------------------------------------------


def _sqlite_path() -> Path:
    name = str(_database()["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError("SQLite-databasen måste vara en fil för att kunna säkerhetskopieras.")
    return Path(name)


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [row[0] for row in rows]


def _sqlite_backup(output: Path) -> None:
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(f"Databasfilen {source_path} finns inte.")
    source = sqlite3.connect(source_path, timeout=20)
    try:
        target = sqlite3.connect(output)
        try:
            # All pages in one step, inside one read transaction: in WAL mode writers
            # carry on meanwhile, and the copy is the database at that one instant.
            # (Copying in several steps would restart on every write by another
            # connection, and might never finish on a busy server.)
            source.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = target.execute("PRAGMA integrity_check").fetchone()
            if not check or check[0] != "ok":
                raise BackupError(f"Kopian klarade inte integritetskontrollen: {check}")
        finally:
            target.close()
    finally:
        source.close()


def _sqlite_restore(backup: Path) -> None:
    target_path = _sqlite_path()
    connection.close()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(target_path, timeout=20)
    try:
        existing = _sqlite_tables(target)
        if existing:
            raise BackupError(
                f"Måldatabasen {target_path} är inte tom ({len(existing)} tabeller). "
                "Återställ bara till en tom databas."
            )
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            check = source.execute("PRAGMA integrity_check").fetchone()
            if not check or check[0] != "ok":
                raise BackupError(f"Säkerhetskopian är skadad: {check}")
            source.backup(target)
        finally:
            source.close()
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()


# --- PostgreSQL --------------------------------------------------------------------


def pg_binary(name: str) -> str:
    """The client binary of the server's major version: $PGBIN, Debian's layout, or PATH."""
    candidates: list[Path] = []
    if os.environ.get("PGBIN"):
        candidates.append(Path(os.environ["PGBIN"]) / name)
    version = getattr(connection, "pg_version", 0) if connection.vendor == "postgresql" else 0
    major = (version or 0) // 10000
    if major:
        candidates.append(Path(f"/usr/lib/postgresql/{major}/bin") / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(
        f"{name} saknas: installera PostgreSQL-klienten i samma huvudversion som servern "
        "eller ange katalogen i PGBIN."
    )


def _pg_args_and_env() -> tuple[list[str], dict[str, str]]:
    database = _database()
    env = dict(os.environ)
    args: list[str] = []
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])  # never on the command line
    args += ["--dbname", str(database["NAME"])]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    # The arguments are settings and a path, passed as a list: no shell is involved.
    completed = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} misslyckades ({completed.returncode}): "
            f"{completed.stderr.strip()[-2000:]}"
        )


def _pg_backup(output: Path) -> None:
    args, env = _pg_args_and_env()
    _run([pg_binary("pg_dump"), "--format=custom", "--file", str(output), *args], env)


def _pg_restore(backup: Path) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        (tables,) = cursor.fetchone()
    connection.close()
    if tables:
        raise BackupError(
            f"Måldatabasen är inte tom ({tables} tabeller). Återställ bara till en tom databas."
        )
    args, env = _pg_args_and_env()
    # --no-owner: the restoring role (the schema owner) owns what it creates;
    # --exit-on-error and --single-transaction: all or nothing.
    _run(
        [
            pg_binary("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            *args,
            str(backup),
        ],
        env,
    )


# --- the two operations ------------------------------------------------------------


def database_backup(output: Path) -> BackupResult:
    """Write a backup of the default database to `output` (replaced atomically, mode 0600)."""
    vendor = engine()
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, partial_name = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        os.chmod(partial, 0o600)
        if vendor == "sqlite":
            partial.unlink()  # sqlite3 creates the file itself
            _sqlite_backup(partial)
            os.chmod(partial, 0o600)
        else:
            _pg_backup(partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(
        path=output, engine=vendor, size=output.stat().st_size, sha256=file_sha256(output)
    )


def database_restore(backup: Path) -> None:
    """Restore `backup` into the (empty) default database."""
    if not backup.is_file():
        raise BackupError(f"Säkerhetskopian {backup} finns inte.")
    if engine() == "sqlite":
        _sqlite_restore(backup)
    else:
        _pg_restore(backup)
