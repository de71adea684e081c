"""A management command that does one round of work, or repeats it until stopped.

The periodic jobs (escalating handovers, applying organisation changes, retention)
run once from cron or a systemd timer, or beside the servers with `--loop`
(`scripts/serve.sh` starts them with `--loop --interval N`). Each round is
idempotent, so a loop that is stopped mid-way and started again is safe.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class LoopingCommand(BaseCommand):
    """Subclasses set `default_interval` (seconds) and implement `run_once`."""

    default_interval: float = 3600.0

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Kör om och om igen.")
        parser.add_argument(
            "--interval",
            type=float,
            default=self.default_interval,
            help="Sekunder mellan varven.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            self.run_once(options)
            if not options["loop"]:
                return
            time.sleep(options["interval"])

    def run_once(self, options: dict[str, Any]) -> None:
        """One round of the command's work; writes its own output."""
        raise NotImplementedError
