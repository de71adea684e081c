"""`manage.py apply_retention [--dry-run] [--today DATE] [--batch-size N] [--loop] [--enqueue]`.

Anonymises personal data whose retention has ended (SoL 2025:400 16 kap.),
keeping the statistics. Idempotent and batched: run it daily (scripts/serve.sh
starts it with --loop; in production a daily cron job or systemd timer).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from samverkan.core.management.looping import LoopingCommand
from samverkan.retention.services import retention_apply

DAY_SECONDS = 24 * 60 * 60


class Command(LoopingCommand):
    help = "Gallrar personuppgifter vars bevarandetid har gått ut (idempotent, i omgångar)."
    default_interval = DAY_SECONDS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle gallras, ändra inget."
        )
        parser.add_argument("--today", help="Kör som om det vore denna dag (ÅÅÅÅ-MM-DD).")
        parser.add_argument("--batch-size", type=int, default=500)
        super().add_arguments(parser)
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Lägg jobbet i kön för django-tasks-arbetaren i stället för att köra det här.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # --today is checked once, before the first round, so a bad date never loops.
        fixed_day: date | None = None
        if options["today"]:
            try:
                fixed_day = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today ska vara ett datum, ÅÅÅÅ-MM-DD.") from error
        if options["enqueue"]:
            if fixed_day or options["dry_run"] or options["loop"]:
                raise CommandError(
                    "--enqueue går inte att kombinera med --today, --dry-run, --loop."
                )
            from samverkan.retention.tasks import apply_retention

            self.stdout.write(f"köad: {apply_retention.enqueue().id}")
            return
        super().handle(*args, **{**options, "today": fixed_day})

    def run_once(self, options: dict[str, Any]) -> None:
        # Without --today each round is the day it runs on (a loop crosses midnights).
        today = options["today"] or timezone.localdate()
        result = retention_apply(
            today=today, dry_run=options["dry_run"], batch_size=max(1, options["batch_size"])
        )
        verb = "skulle gallras" if result.dry_run else "gallrade"
        for label, counts in result.by_type.items():
            shown = counts.due if result.dry_run else counts.anonymised
            self.stdout.write(f"{today} {label}: granskade {counts.examined}, {verb} {shown}")
