"""`python manage.py audit_verify`: check the whole access-log chain.

Exit 0 with "OK, N entries" when every entry verifies; exit 1 naming the
first broken entry otherwise.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.audit.models import AuditEntry
from samverkan.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log and name the first broken entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain(batch_size=max(1, options["batch_size"]))
        if report.ok:
            self.stdout.write(f"OK, {report.checked} entries")
            return
        assert report.broken_entry_id is not None
        entry = AuditEntry.objects.get(pk=report.broken_entry_id)
        raise CommandError(
            f"Audit chain BROKEN at entry {entry.pk} "
            f"({entry.at.isoformat()}, {entry.actor_label}, {entry.action} "
            f"{entry.record_type} {entry.record_id}): {report.problem}. "
            f"{report.checked} entries before it verified.",
            returncode=1,
        )
