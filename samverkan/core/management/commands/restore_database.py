"""`manage.py restore_database --input PATH`: restore a backup into an EMPTY database.

Point DATABASE_URL at the new, empty database (a new SQLite file, or a
PostgreSQL database just made with `createdb`); the command refuses a database
that has any table. Afterwards it verifies the access log's hash chain, prints
the entry count and the counts of the main records, and appends an audit
entry for the restore. See docs/operations/backup.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record
from samverkan.audit.verify import verify_chain
from samverkan.core.backup import BackupError, database_restore, file_sha256

# Counted after a restore so they can be compared with the source instance.
COUNTED_MODELS = (
    "intake.ConcernReport",
    "intake.NotEligibleRecord",
    "intake.ReportEvent",
    "defectors.Assignment",
    "defectors.CostEntry",
    "agreements.Agreement",
    "accounts.User",
    "audit.AuditEntry",
)


def record_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED_MODELS}


class Command(BaseCommand):
    help = "Återställer en säkerhetskopia till en tom databas och kontrollerar loggkedjan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, help="Säkerhetskopian.")

    def handle(self, *args: Any, **options: Any) -> None:
        backup: Path = options["input"]
        try:
            database_restore(backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        chain = verify_chain()
        for label, count in record_counts().items():
            self.stdout.write(f"{label}: {count}")
        if not chain.ok:
            raise CommandError(
                f"Återställd, men loggkedjan bryts vid post {chain.broken_entry_id}: "
                f"{chain.problem}",
                returncode=1,
            )
        self.stdout.write(f"audit_verify: OK, {chain.checked} entries")
        with transaction.atomic():
            audit_record(
                actor=None,
                action=AuditAction.CREATE,
                record_type="core.DatabaseRestore",
                record_id=backup.name[:60],
                reason="Återställning från säkerhetskopia",
                detail={"sha256": file_sha256(backup), "entries_before": chain.checked},
            )
        self.stdout.write("OK återställd")
