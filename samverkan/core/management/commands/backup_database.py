"""`manage.py backup_database --output PATH`: a consistent backup of the running instance.

SQLite: sqlite3's online backup API (the server keeps running). PostgreSQL:
`pg_dump --format=custom`. The file is written beside PATH and renamed into
place, readable by its owner only; its size and SHA-256 are printed and
recorded in the access log (a backup is a copy of every person's data).
See docs/operations/backup.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record
from samverkan.core.backup import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar databasen medan tjänsten körs (SQLite: backup-API, PostgreSQL: pg_dump)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="Filen att skriva.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = database_backup(options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            audit_record(
                actor=None,
                action=AuditAction.EXPORT,
                record_type="core.DatabaseBackup",
                record_id=result.path.name[:60],
                reason="Säkerhetskopiering",
                detail={"engine": result.engine, "bytes": result.size, "sha256": result.sha256},
            )
        self.stdout.write(
            f"OK {result.path} {result.engine} {result.size} bytes sha256 {result.sha256}"
        )
