"""A management command that does one round of work, or repeats it until stopped.

The periodic jobs (escalating handovers, applying organisation changes, retention,
webhooks, case systems, the follow-up's summaries) run once from cron or a systemd
timer, or repeat: alone with `--loop --interval N`, or all in one process with
`manage.py run_periodic_jobs` (what `scripts/serve.sh` starts). Each round is
idempotent, so a loop that is stopped mid-way and started again is safe.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

logger = logging.getLogger(__name__)


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
        if options["loop"]:
            repeat(self, options, interval=options["interval"], stop=threading.Event())
        else:
            self.run_once(options)

    def run_once(self, options: dict[str, Any]) -> None:
        """One round of the command's work; writes its own output."""
        raise NotImplementedError

    @property
    def job_name(self) -> str:
        """The command's name, as `manage.py` knows it (its module's name)."""
        return type(self).__module__.rpartition(".")[2]


def repeat(
    command: LoopingCommand, options: dict[str, Any], *, interval: float, stop: threading.Event
) -> None:
    """Run `command`'s rounds `interval` seconds apart until `stop` is set.

    A round that fails is logged with its traceback and the next one comes on
    time: a database that is away for a minute must not end the escalations
    until someone restarts the server. A `CommandError` is the command's verdict
    that its input is wrong (`--from 2026-13-01`): no later round would differ, so
    it ends the loop with its message.
    """
    while not stop.is_set():
        try:
            command.run_once(options)
        except CommandError:
            raise
        except Exception:
            logger.exception(
                "%s: varvet misslyckades, nytt försök om %s s", command.job_name, interval
            )
        finally:
            # A connection the database dropped, or one older than CONN_MAX_AGE, is
            # not reused by the next round.
            close_old_connections()
        stop.wait(interval)
