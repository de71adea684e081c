"""`manage.py deliver_webhooks [--loop] [--interval SECONDS]`: send due webhook deliveries.

Retries with back-off and pauses failing endpoints (`webhooks.services`). Safe to run
in several processes at once and as often as you like.
"""

from __future__ import annotations

import time
from typing import Any

from samverkan.core.management.looping import LoopingCommand
from samverkan.webhooks.services import deliveries_prune, deliveries_send_due

# The old log is pruned once an hour, not on every round of a few seconds.
PRUNE_EVERY_SECONDS = 3600.0


class Command(LoopingCommand):
    help = "Skickar webhook-händelser till polisens system (försöker igen vid fel)."
    default_interval = 5.0
    _pruned_at: float | None = None

    def run_once(self, options: dict[str, Any]) -> None:
        sent = deliveries_send_due()
        if sent or options["verbosity"] > 1:
            self.stdout.write(f"försök: {len(sent)}")
        if self._pruned_at is None or time.monotonic() - self._pruned_at >= PRUNE_EVERY_SECONDS:
            self._pruned_at = time.monotonic()
            removed = deliveries_prune()
            if removed or options["verbosity"] > 1:
                self.stdout.write(f"gallrade leveranser: {removed}")
