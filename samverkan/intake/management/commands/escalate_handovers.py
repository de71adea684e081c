"""`manage.py escalate_handovers [--loop] [--interval SECONDS] [--enqueue]`.

Escalates handovers not accepted within HANDOVER_ESCALATION_MINUTES: notifies the
receiving municipality's contact persons (mail; console backend by default).
Safe to run in several processes at once and as often as you like.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samverkan.intake.services import handover_escalate_due


class Command(BaseCommand):
    help = "Eskalerar överlämningar som inte tagits emot i tid (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Kör om och om igen.")
        parser.add_argument("--interval", type=float, default=30.0, help="Sekunder mellan varven.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Lägg jobbet i kön för django-tasks-arbetaren i stället för att köra det här.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            if options["enqueue"]:
                from samverkan.intake.tasks import escalate_handovers

                result = escalate_handovers.enqueue()
                self.stdout.write(f"köad: {result.id}")
            else:
                escalated = handover_escalate_due()
                if escalated or options["verbosity"] > 1:
                    self.stdout.write(f"eskalerade: {len(escalated)}")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
