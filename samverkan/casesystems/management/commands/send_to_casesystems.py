"""`manage.py send_to_casesystems [--loop] [--interval SECONDS]`: register queued reports in
the municipalities' case systems, with retries (`casesystems.services`). Safe to run in
several processes at once and as often as you like."""

from __future__ import annotations

from typing import Any

from samverkan.casesystems.services import handovers_send_due
from samverkan.core.management.looping import LoopingCommand


class Command(LoopingCommand):
    help = (
        "Registrerar mottagna anmälningar i kommunernas verksamhetssystem (försöker igen vid fel)."
    )
    default_interval = 10.0

    def run_once(self, options: dict[str, Any]) -> None:
        sent = handovers_send_due()
        if sent or options["verbosity"] > 1:
            self.stdout.write(f"försök: {len(sent)}")
