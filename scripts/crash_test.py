"""Crash safety (issue 9.3): kill the production server mid-intake, lose nothing.

    DATABASE_URL=... .venv/bin/python scripts/crash_test.py [--reports 1000] [--kills 3]

Run by `scripts/crash-test.sh` (`make crash-test`) once on a fresh SQLite file
and once on a throw-away PostgreSQL cluster. Against the database in
DATABASE_URL (which must be empty or freshly migrated) it:

1. migrates and loads the demo data set;
2. starts the production server exactly as `make run` does (`scripts/serve.sh`:
   gunicorn + `run_periodic_jobs`, escalations among them) with production settings, on a free
   loopback port, in its own process group; the escalation worker runs every
   second with a zero-minute threshold, so it writes to the audit chain beside
   the intake and is killed mid-work too;
3. sends N reports through `POST /api/v1/reports` from a few client threads
   that retry on ANY failure (refused, reset, timeout, any status but 200/201)
   with the same body and `police_reference`, until acknowledged;
4. kills the whole process group with SIGKILL K times at random moments and
   restarts it at once each time;
5. checks: at least one request was interrupted by a kill (sent whole, the
   connection broken before any answer; the count is printed per engine),
   every acknowledged report exists exactly once with the id the
   acknowledgement named, nothing exists that was never sent, every report
   was written whole (its event, handover and audit entry), no report was
   escalated twice, and `manage.py audit_verify` passes.

Prints a summary and exits non-zero on any failure. The random seed is
printed; `--seed` replays the same kill points.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from samverkan.core.testing.servers import (  # noqa: E402 - after the path is set
    HOST,
    Server,
    production_env,
    request_headers,
)

REFERENCE_PREFIX = "CRASH"


def manage(venv: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [str(venv / "bin" / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode})")
    return result.stdout


# --- the reports -----------------------------------------------------------------------


def person_id(born: date) -> str:
    """A Skatteverket test personnummer (birth number 238), never a real person's."""
    from stdnum import luhn

    body = f"{born:%y%m%d}238"
    return f"{born:%Y}{body[2:]}{luhn.calc_check_digit(body)}"


def report_body(run: str, index: int) -> dict[str, object]:
    """Report `index`: nine in ten eligible (Solna finds a Nacka child), one in ten not."""
    born = date(2010, 1, 1) + timedelta(days=(index * 7) % 1400)
    eligible = index % 10 != 9
    return {
        "person_id": person_id(born) if index % 7 else None,
        "birth_date": None if index % 7 else born.isoformat(),
        "found_in": "0184",
        "home_municipality": "0182" if eligible else "0188",
        "home_district": None,
        "gang_related": True,
        "police_reference": f"{REFERENCE_PREFIX}-{run}-{index:05d}",
        "reporting_officer": {"name": "Krock Testsson", "unit": "ROC", "phone": "08-465 004 99"},
        "narrative": f"Krocktest {index}: påträffad vid tunnelbanan, åäö.",
        "risk_information": "Hot från rivaliserande nätverk (test).",
        "wants_feedback": index % 2 == 0,
    }


@dataclass
class Ack:
    status: int
    public_id: str
    report_status: str
    attempts: int


@dataclass
class Stats:
    acks: dict[str, Ack] = field(default_factory=dict)
    failures: Counter[str] = field(default_factory=Counter)
    # Requests sent whole whose connection then broke before any answer: the server was
    # killed while handling them. A run with none proved nothing about a kill mid-request.
    interrupted: int = 0
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def acked(self) -> int:
        with self.lock:
            return len(self.acks)


def post_until_acknowledged(
    port: int, token: str, body: dict[str, object], stats: Stats, max_attempts: int
) -> None:
    payload = json.dumps(body).encode()
    reference = str(body["police_reference"])
    delay = 0.05
    for attempt in range(1, max_attempts + 1):
        started = time.monotonic()
        sent = False
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=15)
            headers = {**request_headers(port, token), "Content-Type": "application/json"}
            conn.request("POST", "/api/v1/reports", body=payload, headers=headers)
            sent = True
            response = conn.getresponse()
            text = response.read()
            conn.close()
            if response.status in (200, 201):
                data = json.loads(text)
                with stats.lock:
                    stats.latencies.append(time.monotonic() - started)
                    stats.acks[reference] = Ack(
                        response.status, data["id"], data["status"], attempt
                    )
                return
            reason = f"HTTP {response.status}"
            if response.status < 500:
                sys.stderr.write(f"{reference}: {reason}: {text[:300]!r}\n")
        except (OSError, http.client.HTTPException) as error:
            reason = type(error).__name__
            # Reset or closed after the whole request went out (a timeout may be a slow
            # server, not a kill, so it does not count).
            if sent and not isinstance(error, TimeoutError):
                with stats.lock:
                    stats.interrupted += 1
        with stats.lock:
            stats.failures[reason] += 1
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
    raise RuntimeError(f"{reference}: not acknowledged after {max_attempts} attempts")


# --- the run --------------------------------------------------------------------------


def main() -> int:  # noqa: PLR0915 - one linear script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--venv", default=str(ROOT / ".venv"))
    parser.add_argument("--skip-setup", action="store_true", help="database already migrated")
    args = parser.parse_args()

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(seed)  # noqa: S311 - reproducible kill points, not secrets
    venv = Path(args.venv)
    database_url = os.environ.get("DATABASE_URL", "")
    engine = "postgresql" if database_url.startswith("postgres") else "sqlite"
    if engine == "sqlite" and not database_url:
        raise SystemExit("set DATABASE_URL (a fresh SQLite file under var/)")
    run = f"{seed:06d}"
    env = production_env(
        {
            "HANDOVER_ESCALATION_MINUTES": "0",
            "ESCALATION_INTERVAL": "1",
            "SECRET_KEY": "crash-test-secret-key-" + "x" * 40,
        }
    )
    os.environ.update(env)
    (ROOT / "var").mkdir(exist_ok=True)
    log = ROOT / "var" / f"crash-{engine}-server.log"
    log.write_bytes(b"")
    print(f"== Crash test on {engine}: {args.reports} reports, {args.kills} kills, seed {seed} ==")

    timings: dict[str, float] = {}
    started = time.monotonic()
    if not args.skip_setup:
        manage(venv, env, "migrate", "--noinput")
        # The demo data set is loaded as a test instance: setup_demo refuses production.
        manage(venv, {**env, "SAMVERKAN_ENV": "test"}, "setup_demo")
    timings["setup"] = time.monotonic() - started

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    django.setup()
    from django.db import connection

    from samverkan.accounts.demo import DEMO_API_TOKEN, ensure_demo_api_client
    from samverkan.intake.models import ConcernReport, NotEligibleRecord

    if engine == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
        print(f"SQLite journal_mode={journal} synchronous={synchronous} (2 = FULL)")
        if journal != "wal" or synchronous != 2:
            raise SystemExit("SQLite must run in WAL mode with synchronous=FULL")
    client, token = ensure_demo_api_client()
    assert token == DEMO_API_TOKEN
    first_report_pk = (
        ConcernReport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    first_record_pk = (
        NotEligibleRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    connection.close()

    server = Server(env=env, log=log, workers=args.workers, venv=venv)
    port = server.port
    server.start()
    timings["first_start"] = server.wait_ready()

    bodies = [report_body(run, i) for i in range(args.reports)]
    stats = Stats()
    queue = list(reversed(bodies))
    queue_lock = threading.Lock()
    errors: list[BaseException] = []

    def client_thread() -> None:
        while True:
            with queue_lock:
                if not queue:
                    return
                body = queue.pop()
            try:
                post_until_acknowledged(port, token, body, stats, max_attempts=400)
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
                return

    # Kill when a random number of reports has been acknowledged, after a further
    # random pause: the moment falls anywhere in a request, a commit or a worker's loop.
    kill_points = sorted(rng.sample(range(args.reports // 10, args.reports * 9 // 10), args.kills))
    kill_pauses = [rng.uniform(0, 0.25) for _ in kill_points]
    kills: list[dict[str, float]] = []

    def killer() -> None:
        for point, pause in zip(kill_points, kill_pauses, strict=True):
            while stats.acked < point and not errors:
                time.sleep(0.005)
            if errors:
                return
            time.sleep(pause)
            acked_at_kill = stats.acked
            server.kill()
            down = time.monotonic()
            server.start()
            ready = server.wait_ready()
            kills.append(
                {"acked": acked_at_kill, "restart_s": time.monotonic() - down, "ready_s": ready}
            )

    intake_started = time.monotonic()
    threads = [threading.Thread(target=client_thread) for _ in range(args.clients)]
    kill_thread = threading.Thread(target=killer)
    for thread in [*threads, kill_thread]:
        thread.start()
    for thread in [*threads, kill_thread]:
        thread.join()
    timings["intake"] = time.monotonic() - intake_started
    # Let the escalation worker catch up on the last reports, then stop as an operator does.
    time.sleep(2.5)
    server.stop()
    if errors:
        print(f"FAIL: client gave up: {errors[0]}")
        return 1

    # --- the checks ----------------------------------------------------------------
    from samverkan.audit.models import AuditEntry
    from samverkan.intake.models import Escalation, Handover, ReportEvent
    from samverkan.intake.services import reference_digest

    check_started = time.monotonic()
    problems: list[str] = []
    sent = {str(b["police_reference"]): b for b in bodies}
    eligible_refs = {r for r, b in sent.items() if b["home_municipality"] == "0182"}
    not_eligible_refs = set(sent) - eligible_refs
    if set(stats.acks) != set(sent):
        problems.append(f"{len(set(sent) - set(stats.acks))} reports never acknowledged")

    reports = {
        r.police_reference: r
        for r in ConcernReport.objects.filter(pk__gte=first_report_pk).only(
            "pk", "public_id", "police_reference", "api_client_id", "escalated_at"
        )
    }
    new_reports = ConcernReport.objects.filter(pk__gte=first_report_pk).count()
    if new_reports != len(reports):
        problems.append(f"{new_reports - len(reports)} duplicate reports (same reference)")
    strays = set(reports) - eligible_refs
    if strays:
        problems.append(f"{len(strays)} reports that were never sent: {sorted(strays)[:5]}")
    for reference in eligible_refs:
        report = reports.get(reference)
        if report is None:
            problems.append(f"acknowledged report {reference} is missing")
            continue
        ack = stats.acks.get(reference)
        if ack and ack.public_id != str(report.public_id):
            problems.append(
                f"{reference}: acknowledged as {ack.public_id}, stored {report.public_id}"
            )
        if report.api_client_id != client.pk:
            problems.append(f"{reference}: stored for another client")

    digests = {reference_digest(client, r): r for r in not_eligible_refs}
    records = list(
        NotEligibleRecord.objects.filter(pk__gte=first_record_pk).values_list(
            "reference_digest", "public_id"
        )
    )
    by_digest = Counter(d for d, _ in records)
    for digest, count in by_digest.items():
        if digest not in digests:
            problems.append("a not-eligible record exists that was never sent")
        elif count != 1:
            problems.append(f"{digests[digest]}: {count} not-eligible records")
    for digest, reference in digests.items():
        if by_digest[digest] == 0:
            problems.append(f"acknowledged not-eligible report {reference} is missing")
    public_ids = {d: str(p) for d, p in records}
    for digest, reference in digests.items():
        ack = stats.acks.get(reference)
        if ack and digest in public_ids and ack.public_id != public_ids[digest]:
            problems.append(f"{reference}: acknowledged as {ack.public_id}, stored otherwise")

    # Written whole: one received event, one handover, one audit CREATE per report.
    pks = [r.pk for r in reports.values()]
    received = Counter(
        ReportEvent.objects.filter(report_id__in=pks, kind="received").values_list(
            "report_id", flat=True
        )
    )
    handovers = Counter(
        Handover.objects.filter(report_id__in=pks).values_list("report_id", flat=True)
    )
    audited = Counter(
        AuditEntry.objects.filter(
            record_type="intake.ConcernReport", action="create", record_id__in=[str(p) for p in pks]
        ).values_list("record_id", flat=True)
    )
    for pk in pks:
        if received[pk] != 1 or handovers[pk] != 1 or audited[str(pk)] != 1:
            problems.append(
                f"report {pk} not written whole: events={received[pk]} "
                f"handovers={handovers[pk]} audit={audited[str(pk)]}"
            )
    escalations = Counter(
        Escalation.objects.filter(report_id__in=pks).values_list("report_id", flat=True)
    )
    twice = [pk for pk, n in escalations.items() if n > 1]
    if twice:
        problems.append(f"{len(twice)} reports escalated more than once")
    escalated_reports = sum(1 for r in reports.values() if r.escalated_at is not None)
    if escalated_reports != len(escalations):
        problems.append(
            f"{escalated_reports} reports marked escalated but {len(escalations)} escalations"
        )
    connection.close()
    verify = manage(venv, env, "audit_verify").strip()
    timings["checks"] = time.monotonic() - check_started

    replays = sum(1 for a in stats.acks.values() if a.status == 200)
    retried = sum(1 for a in stats.acks.values() if a.attempts > 1)
    latencies = sorted(stats.latencies)
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else 0.0
    failures = ", ".join(f"{k}={v}" for k, v in stats.failures.most_common()) or "none"
    print(
        f"sent={len(sent)} acked={len(stats.acks)} eligible={len(eligible_refs)} "
        f"not_eligible={len(not_eligible_refs)} retried_reports={retried} "
        f"retries={sum(stats.failures.values())}"
    )
    # A replay (200): an earlier attempt was committed but its answer never arrived
    # (killed after the commit, or timed out and served later); a retried 201: every
    # earlier attempt was lost before its commit (killed mid-request, or refused).
    print(
        f"retried reports acknowledged as replay (200)={replays}, as new (201)={retried - replays}"
    )
    print(f"failed attempts by cause: {failures}")
    print(
        f"interrupted requests on {engine} (sent whole, server killed before it answered): "
        f"{stats.interrupted}"
    )
    for number, kill in enumerate(kills, 1):
        print(
            f"kill {number}: SIGKILL to the process group after {kill['acked']:.0f} acks; "
            f"back up in {kill['restart_s']:.1f} s"
        )
    print(
        f"escalated={escalated_reports} (each once) audit_verify: {verify} intake p50={p50:.0f} ms"
    )
    print(
        "timings: "
        + " ".join(f"{name}={seconds:.1f}s" for name, seconds in timings.items())
        + f" total={time.monotonic() - started:.1f}s"
    )
    if len(kills) != args.kills:
        problems.append(f"only {len(kills)} of {args.kills} kills happened")
    if args.kills and stats.interrupted == 0:
        problems.append(
            "no kill landed mid-request: nothing shows an interrupted intake is safe "
            "(run again; the seed is printed above)"
        )
    if problems:
        print(f"FAIL on {engine}: {len(problems)} problems")
        for problem in problems[:30]:
            print(f"  - {problem}")
        return 1
    print(f"OK on {engine}: every acknowledged report exists exactly once; nothing unsent exists")
    return 0


if __name__ == "__main__":
    sys.exit(main())
