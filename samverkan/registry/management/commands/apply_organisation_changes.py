"""`manage.py apply_organisation_changes [--loop] [--interval SECONDS]` (issue 10).

Applies every planned merger or split whose effective date has come (Swedish
date): open work moves to the successors, once. Run it daily (cron or a systemd
timer shortly after midnight) or beside the servers with `--loop`
(`scripts/serve.sh` does, hourly). Safe to run in several processes and again:
an applied change is never applied twice and a re-run changes nothing. A change
whose successor has ended waits (a logged warning, flagged to administrators)
until it is corrected; a withdrawn one is never applied (issue 16).
"""

from __future__ import annotations

from typing import Any

from samverkan.core.management.looping import LoopingCommand
from samverkan.registry.changes import apply_due_changes


class Command(LoopingCommand):
    help = "Genomför planerade organisationsförändringar vars datum har kommit (idempotent)."
    default_interval = 3600.0

    def run_once(self, options: dict[str, Any]) -> None:
        applied = apply_due_changes()
        if applied or options["verbosity"] > 1:
            self.stdout.write(f"genomförda förändringar: {len(applied)}")
