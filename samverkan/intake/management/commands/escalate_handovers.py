"""`manage.py escalate_handovers [--loop] [--interval SECONDS] [--enqueue]`.

Escalates handovers not accepted within HANDOVER_ESCALATION_MINUTES: notifies the
receiving municipality's contact persons (mail; console backend by default).
Safe to run in several processes at once and as often as you like.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from samverkan.core.management.looping import LoopingCommand
from samverkan.intake.services import handover_escalate_due


class Command(LoopingCommand):
    help = "Eskalerar överlämningar som inte tagits emot i tid (idempotent)."
    default_interval = 30.0

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Lägg jobbet i kön för django-tasks-arbetaren i stället för att köra det här.",
        )

    def run_once(self, options: dict[str, Any]) -> None:
        if options["enqueue"]:
            from samverkan.intake.tasks import escalate_handovers

            result = escalate_handovers.enqueue()
            self.stdout.write(f"köad: {result.id}")
        else:
            escalated = handover_escalate_due()
            if escalated or options["verbosity"] > 1:
                self.stdout.write(f"eskalerade: {len(escalated)}")
