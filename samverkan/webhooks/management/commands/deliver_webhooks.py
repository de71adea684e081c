"""`manage.py deliver_webhooks [--loop] [--interval SECONDS]`: send due webhook deliveries.

Retries with back-off and pauses failing endpoints (`webhooks.services`). Safe to run
in several processes at once and as often as you like.
"""

from __future__ import annotations

from typing import Any

from samverkan.core.management.looping import LoopingCommand
from samverkan.webhooks.services import deliveries_send_due


class Command(LoopingCommand):
    help = "Skickar webhook-händelser till polisens system (försöker igen vid fel)."
    default_interval = 5.0

    def run_once(self, options: dict[str, Any]) -> None:
        sent = deliveries_send_due()
        if sent or options["verbosity"] > 1:
            self.stdout.write(f"försök: {len(sent)}")
