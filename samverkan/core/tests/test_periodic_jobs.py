"""The periodic jobs beside the server (`manage.py run_periodic_jobs`, core/management):
each in its own thread and rhythm, a failed round logged and the next one run, and the
process stopped cleanly by the signal the server's script sends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from samverkan.core.management.commands.run_periodic_jobs import Job, job, run_side_by_side
from samverkan.core.management.looping import LoopingCommand, repeat
from samverkan.core.testing.processes import BASE_DIR

WAIT = 60.0  # seconds before a test gives up on something that should happen at once


class Rounds(LoopingCommand):
    """Counts its rounds; fails the rounds listed; stops the loop after `last` rounds."""

    def __init__(self, *, stop: threading.Event, last: int = 3, failing: tuple[int, ...] = ()):
        super().__init__()
        self.stop, self.last, self.failing = stop, last, failing
        self.rounds = 0
        self.done = threading.Event()

    def run_once(self, options: dict[str, Any]) -> None:
        self.rounds += 1
        if self.rounds >= self.last:
            self.done.set()
            self.stop.set()
        if self.rounds in self.failing:
            raise RuntimeError("databasen svarar inte")


def test_a_failed_round_is_logged_and_the_next_one_comes(caplog: Any) -> None:
    stop = threading.Event()
    command = Rounds(stop=stop, last=3, failing=(1,))
    # In a thread of its own, as a job runs: with its own database connections.
    loop = threading.Thread(target=repeat, args=(command, {}), kwargs={"interval": 0, "stop": stop})
    loop.start()
    loop.join(WAIT)
    assert command.rounds == 3
    (record,) = [r for r in caplog.records if "varvet misslyckades" in r.getMessage()]
    assert record.getMessage().startswith("test_periodic_jobs:")
    assert record.exc_info and "databasen svarar inte" in str(record.exc_info[1])


def test_a_slow_round_of_one_job_holds_back_no_other() -> None:
    stop = threading.Event()
    slow_started, release = threading.Event(), threading.Event()

    class Slow(LoopingCommand):
        def run_once(self, options: dict[str, Any]) -> None:
            slow_started.set()
            release.wait(WAIT)

    fast = Rounds(stop=threading.Event(), last=5)
    runner = threading.Thread(
        target=run_side_by_side,
        args=([Job(Slow(), {}, 3600.0), Job(fast, {}, 0.01)], stop),
    )
    runner.start()
    try:
        assert slow_started.wait(WAIT)
        # Five rounds of escalations while retention is still in its first one.
        assert fast.done.wait(WAIT)
        assert not release.is_set()
    finally:
        release.set()
        stop.set()
        runner.join(WAIT)
    assert not runner.is_alive()


def _raised_in_a_thread(target: Any) -> BaseException | None:
    """What `target()` raised, run in a thread of its own (own database connections)."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as error:
            raised.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(WAIT)
    assert not thread.is_alive(), "the loop did not end"
    return raised[0] if raised else None


def test_a_loop_given_wrong_input_ends_with_its_message() -> None:
    """No later round would differ: `--loop` must not log the same refusal forever."""
    error = _raised_in_a_thread(
        lambda: call_command("followup_summaries", "--loop", "--interval", "0.01", "--from", "x")
    )
    assert isinstance(error, CommandError) and "--from" in str(error)


def test_a_job_refused_ends_every_job_with_its_message() -> None:
    class Refusing(LoopingCommand):
        def run_once(self, options: dict[str, Any]) -> None:
            raise CommandError("--from ska vara ett datum")

    other = Rounds(stop=threading.Event(), last=10**9)
    stop = threading.Event()
    refused: list[str] = []
    assert (
        _raised_in_a_thread(
            lambda: refused.extend(
                run_side_by_side([Job(Refusing(), {}, 3600.0), Job(other, {}, 0.01)], stop)
            )
        )
        is None
    )
    assert refused == ["test_periodic_jobs: --from ska vara ett datum"]
    assert stop.is_set()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("eskalera=30", "Det finns inget kommando som heter 'eskalera'."),
        ("migrate=30", "migrate är inget återkommande jobb."),
        ("escalate_handovers", "Skriv jobbet som escalate_handovers=SEKUNDER"),
        ("escalate_handovers=0", "med ett intervall över noll"),
        ("escalate_handovers=ofta", "med ett intervall över noll"),
        ("escalate_handovers=nan", "med ett intervall över noll"),
        ("escalate_handovers=inf", "med ett intervall över noll"),
    ],
)
def test_a_job_written_wrong_is_refused_before_anything_runs(spec: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("run_periodic_jobs", "escalate_handovers=30", spec)


def test_a_job_runs_with_its_commands_own_defaults() -> None:
    retention = job("apply_retention=86400", verbosity=2)
    assert retention.interval == 86400.0 and retention.command.job_name == "apply_retention"
    assert retention.options["batch_size"] == 500 and retention.options["today"] is None
    assert retention.options["dry_run"] is False and retention.options["verbosity"] == 2


def test_the_process_keeps_going_through_failures_and_stops_on_sigterm(tmp_path: Path) -> None:
    """As serve.sh runs it: here on a database without tables, so every round fails."""
    log = tmp_path / "jobs.log"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter on our own code
            [sys.executable, "manage.py", "run_periodic_jobs", "escalate_handovers=0.05"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + WAIT
        while log.read_text().count("varvet misslyckades") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert log.read_text().count("varvet misslyckades") >= 2, log.read_text()
        assert process.poll() is None  # still running
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=WAIT) == 0
    finally:
        if process.poll() is None:
            process.kill()
