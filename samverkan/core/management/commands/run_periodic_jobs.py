"""`manage.py run_periodic_jobs JOB=SECONDS …`: the periodic jobs in one process.

`scripts/serve.sh` starts it beside gunicorn, for example

    manage.py run_periodic_jobs escalate_handovers=30 deliver_webhooks=5

Each job is a `LoopingCommand` (core/management/looping.py) and runs in its own
thread, so a long round of one (retention on a large database) never holds back
another (escalating an unaccepted handover). A failed round is logged and the job
goes on. SIGTERM or SIGINT stops every job; a round in progress gets ten seconds to
finish, like gunicorn's requests (`--graceful-timeout 10`).
"""

from __future__ import annotations

import math
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.core.management.looping import LoopingCommand, repeat

GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class Job:
    command: LoopingCommand
    options: dict[str, Any]
    interval: float


def job(spec: str, *, verbosity: int = 1) -> Job:
    """A job from `name=seconds`, with the command's own defaults for its options."""
    name, equals, seconds = spec.partition("=")
    app = get_commands().get(name)
    if app is None:
        raise CommandError(f"Det finns inget kommando som heter {name!r}.")
    command = load_command_class(app, name)
    if not isinstance(command, LoopingCommand):
        raise CommandError(f"{name} är inget återkommande jobb.")
    try:
        interval = float(seconds)
    except ValueError:
        interval = math.nan
    if not equals or not 0 < interval < math.inf:  # NaN compares false: refused too
        raise CommandError(f"Skriv jobbet som {name}=SEKUNDER, med ett intervall över noll.")
    parser = command.create_parser("manage.py", name)
    options = vars(parser.parse_args(["--verbosity", str(verbosity)]))
    return Job(command=command, options=options, interval=interval)


def run_side_by_side(jobs: list[Job], stop: threading.Event) -> list[str]:
    """Repeat every job in its own thread until `stop` is set; then give the rounds in
    progress `GRACE_SECONDS` to finish. Returns the refusals (`CommandError`) that
    ended a job: one ends them all, so the process never runs on with a job missing."""
    refused: list[str] = []

    def run(each: Job) -> None:
        try:
            repeat(each.command, each.options, interval=each.interval, stop=stop)
        except CommandError as error:
            refused.append(f"{each.command.job_name}: {error}")
            stop.set()

    threads = [
        threading.Thread(
            target=run,
            args=(each,),
            name=each.command.job_name,
            # What is still running after the grace ends with the process: its
            # transaction is rolled back and the next start does it again.
            daemon=True,
        )
        for each in jobs
    ]
    for thread in threads:
        thread.start()
    while not stop.wait(timeout=1.0):
        pass
    deadline = time.monotonic() + GRACE_SECONDS
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    return refused


class Command(BaseCommand):
    help = "Kör de återkommande jobben i en process, vart och ett i sin takt (JOBB=SEKUNDER)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("jobs", nargs="+", metavar="JOBB=SEKUNDER")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = [job(spec, verbosity=options["verbosity"]) for spec in options["jobs"]]
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        refused = run_side_by_side(jobs, stop)
        if refused:
            raise CommandError("; ".join(refused))
