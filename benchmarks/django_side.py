"""The benchmark driver's in-process half: runs inside Django, prints one JSON object.

    python benchmarks/django_side.py prepare
    python benchmarks/django_side.py rules ITERATIONS
    python benchmarks/django_side.py sql YEAR REPEATS
    python benchmarks/django_side.py explain YEAR

`benchmarks/run.py` calls it with the same DATABASE_URL as the server under test.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from samverkan.accounts.models import User  # noqa: E402
from samverkan.core.calendar import STOCKHOLM  # noqa: E402
from samverkan.intake.models import ConcernReport  # noqa: E402
from samverkan.intake.rules import Reason  # noqa: E402

# Who looks at what: the hub worker, Nacka's receiver and auditor, the analyst.
USERS = {"hub": "socialjour", "receiver": "nacka", "auditor": "granskare", "analyst": "analytiker"}
RECEIVER_ORGANISATION = "0182"


def _client(username: str) -> Client:
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def pages(year: int) -> dict[str, tuple[str, str]]:
    """name → (user role, path) of the pages measured as history grows."""
    report = (
        ConcernReport.objects.filter(
            controller__code=RECEIVER_ORGANISATION,
            closed_at__isnull=True,
            accepted_at__isnull=False,
        )
        .order_by("-received_at")
        .values_list("pk", flat=True)
        .first()
    ) or ConcernReport.objects.filter(controller__code=RECEIVER_ORGANISATION).values_list(
        "pk", flat=True
    ).first()
    return {
        "hub_queue": ("hub", "/anmalningar/socialjouren/"),
        "receiving_queue": ("receiver", "/anmalningar/mottagning/"),
        "report_detail": ("receiver", f"/anmalningar/mottagning/{report}/"),
        "audit_search": (
            "auditor",
            f"/logg/?record_type=intake.ConcernReport&record_id={report}",
        ),
        "dashboard": ("analyst", f"/uppfoljning/?period=year&datum={year}-01-01"),
        "defector_board": ("analyst", f"/uppfoljning/avhoppare/?period=year&datum={year}-01-01"),
        "collaboration_board": (
            "analyst",
            f"/uppfoljning/samverkan/?period=year&datum={year}-01-01",
        ),
    }


def prepare(year: int) -> dict[str, Any]:
    cookies = {
        role: _client(username).cookies[settings.SESSION_COOKIE_NAME].value
        for role, username in USERS.items()
    }
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "cookies": cookies, "pages": pages(year)}


def rules(iterations: int) -> dict[str, Any]:
    """decide() on a warmed registry vs json.loads of the same report, in one loop."""
    from samverkan.intake.rules import ReportFacts, decide
    from samverkan.intake.snapshot import late_from, registry_snapshot

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from payloads import report_payload

    now = datetime.now(UTC)
    registry = registry_snapshot(now)
    late = late_from()
    raws = [json.dumps(report_payload(i)) for i in range(200)]
    parsed = [json.loads(raw) for raw in raws]

    def facts(data: dict[str, Any]) -> ReportFacts:
        return ReportFacts(
            person_id=data["person_id"],
            birth_date=None,
            found_in=data["found_in"],
            home_municipality=data["home_municipality"],
            home_district=data["home_district"],
            gang_related=data["gang_related"],
            received_at=now,
        )

    for data in parsed:  # warm up
        decide(facts(data), registry, late_from=late)
    parse_ns = decide_ns = 0
    eligible = 0
    for i in range(iterations):
        raw = raws[i % len(raws)]
        t0 = time.perf_counter_ns()
        data = json.loads(raw)
        t1 = time.perf_counter_ns()
        decision = decide(facts(data), registry, late_from=late)
        t2 = time.perf_counter_ns()
        parse_ns += t1 - t0
        decide_ns += t2 - t1
        eligible += decision.eligible
    return {
        "iterations": iterations,
        "decisions_per_s": iterations / (decide_ns / 1e9),
        "decide_us": decide_ns / iterations / 1000,
        "parse_us": parse_ns / iterations / 1000,
        "ratio": decide_ns / parse_ns,
        "eligible_share": eligible / iterations,
    }


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=STOCKHOLM), datetime(year + 1, 1, 1, tzinfo=STOCKHOLM)


def _stockholm_offsets(start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """(instant, Stockholm's UTC offset in seconds from then on) between start and end.

    What a DBA would paste into an SQLite query as literals (SQLite has no time zones).
    """
    found: list[tuple[datetime, int]] = []
    hour = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    while hour < end:
        offset = int(hour.astimezone(STOCKHOLM).utcoffset().total_seconds())  # type: ignore[union-attr]
        if not found or found[-1][1] != offset:
            found.append((hour, offset))
        hour += timedelta(hours=1)
    return found


def hand_written_sql(year: int) -> list[str]:
    """Every figure of the single-entry dashboard for one year, as a DBA would write it by hand.

    The same figures as `followup.selectors.single_entry_dashboard` (scope: all
    municipalities), in the fewest scans: the reports once for every count
    (grouped by responsible municipality and controller, feedback joined), the
    time of day of reports and not-eligible records (one UNION ALL), the
    not-eligible records by home municipality and reason, the three durations
    from receipt with their medians and 90th percentiles (window functions over
    one scan), the information requests (counts and answer-time ranks, one
    query). Swedish time: `AT TIME ZONE` on PostgreSQL; on SQLite the UTC
    offsets of the year as literals in a CASE (SQLite has no time zones).
    Durations on SQLite exact to the microsecond from the stored text.
    """
    from samverkan.core.calendar import is_public_holiday

    start, end = _year_bounds(year)
    now = datetime.now(UTC)
    pg = connection.vendor == "postgresql"
    holidays = [
        day
        for day in (start.date() + timedelta(days=i) for i in range((end - start).days))
        if is_public_holiday(day)
    ]
    if pg:

        def ts(value: datetime) -> str:
            return f"'{value.isoformat()}'::timestamptz"

        def local(column: str) -> str:
            return f"({column} AT TIME ZONE 'Europe/Stockholm')"

        def hour(column: str) -> str:
            return f"extract(hour from {local(column)})::int"

        def weekday(column: str) -> str:
            return f"extract(isodow from {local(column)})::int"

        def local_day(column: str) -> str:
            return f"{local(column)}::date"

        def elapsed(end_: str, start_: str) -> str:
            return f"({end_} - {start_})"

    else:

        def ts(value: datetime) -> str:
            return f"'{value.astimezone(UTC):%Y-%m-%d %H:%M:%S}'"

        def modifier(column: str, span: tuple[datetime, datetime]) -> str:
            changes = _stockholm_offsets(*span)
            whens = " ".join(
                f"WHEN {column} < {ts(at)} THEN '{before:+d} seconds'"
                for (_, before), (at, _after) in zip(changes, changes[1:], strict=False)
            )
            last = f"'{changes[-1][1]:+d} seconds'"
            return f"CASE {whens} ELSE {last} END" if whens else last

        def hour(column: str) -> str:
            return f"cast(strftime('%H', {column}, {modifier(column, (start, end))}) as integer)"

        def weekday(column: str) -> str:
            dow = f"cast(strftime('%w', {column}, {modifier(column, (start, end))}) as integer)"
            return f"(({dow} + 6) % 7 + 1)"

        def local_day(column: str) -> str:
            span = (start - timedelta(days=400), max(now, end) + timedelta(days=400))
            return f"date({column}, {modifier(column, span)})"

        def elapsed(end_: str, start_: str) -> str:
            seconds = (
                f"(cast(strftime('%s', {end_}) as integer)"
                f" - cast(strftime('%s', {start_}) as integer))"
            )
            fraction = (
                f"(cast(substr({end_}, 21) as integer) - cast(substr({start_}, 21) as integer))"
            )
            return f"({seconds} * 1000000 + {fraction})"

    def holiday(column: str) -> str:
        # Holidays and eves as ranges of instants (Swedish midnight to midnight): plain
        # comparisons, no conversion per row.
        if not holidays:
            return "0"

        def midnight(d: Any) -> str:
            return ts(datetime.combine(d, datetime.min.time(), STOCKHOLM))

        ranges = " OR ".join(
            f"({column} >= {midnight(d)} AND {column} < {midnight(d + timedelta(days=1))})"
            for d in holidays
        )
        return f"CASE WHEN {ranges} THEN 1 ELSE 0 END"

    period = f"r.received_at >= {ts(start)} AND r.received_at < {ts(end)}"
    period_ne = f"decided_at >= {ts(start)} AND decided_at < {ts(end)}"
    today = now.astimezone(STOCKHOLM).date()
    ranks = "rank{i} IN ((n{i} + 1) / 2, n{i} / 2 + 1, (9 * n{i} + 9) / 10)"
    reasons = ",\n              ".join(
        f"""count(*) FILTER (WHERE reasons @> '["{code}"]')"""
        if pg
        else f"""sum(CASE WHEN reasons LIKE '%"{code}"%' THEN 1 ELSE 0 END)"""
        for code in Reason.ALL
    )
    return [
        # 1. every count over the reports, per responsible municipality, controller and
        # number of escalations (a group key, so the look-up runs once per report)
        f"""SELECT responsible_municipality_id, controller_id,
              (SELECT count(*) FROM intake_escalation e WHERE e.report_id = r.id) AS escalations,
              count(*), count(handed_over_at), count(accepted_at), count(protection_assessed_at),
              count(preliminary_decided_on), count(repeat_of_id),
              sum(CASE WHEN protection_assessed_at <= protection_assessment_due
                  THEN 1 ELSE 0 END),
              sum(CASE WHEN protection_assessed_at IS NOT NULL
                  OR protection_assessment_due < {ts(now)} THEN 1 ELSE 0 END),
              sum(CASE WHEN preliminary_decided_on <= preliminary_assessment_due
                  THEN 1 ELSE 0 END),
              sum(CASE WHEN preliminary_decided_on IS NOT NULL
                  OR preliminary_assessment_due < '{today}' THEN 1 ELSE 0 END),
              sum(CASE WHEN {local_day("f.delivered_at")} <= f.due THEN 1 ELSE 0 END),
              sum(CASE WHEN f.delivered_at IS NOT NULL OR f.due < '{today}' THEN 1 ELSE 0 END)
            FROM intake_concernreport r LEFT JOIN intake_feedback f ON f.report_id = r.id
            WHERE {period}
            GROUP BY responsible_municipality_id, controller_id, escalations""",
        # 2. time of day, reports and not-eligible records
        f"""SELECT {hour("received_at")}, {weekday("received_at")}, {holiday("received_at")},
              count(*) FROM intake_concernreport r WHERE {period} GROUP BY 1, 2, 3
            UNION ALL
            SELECT {hour("decided_at")}, {weekday("decided_at")}, {holiday("decided_at")},
              count(*) FROM intake_noteligiblerecord WHERE {period_ne} GROUP BY 1, 2, 3""",
        # 3. not-eligible records per home municipality and reason
        f"""SELECT home_municipality, count(*),
              {reasons}
            FROM intake_noteligiblerecord WHERE {period_ne} GROUP BY home_municipality""",
        # 4. the three durations from receipt: median and p90 ranks by window functions
        # over one scan (the cohort materialised once, so the first-attempt look-up runs
        # once per report)
        f"""WITH c AS MATERIALIZED (
              SELECT r.id, r.received_at, r.accepted_at, r.protection_assessed_at,
                (SELECT min(a.at) FROM intake_handoverattempt a
                  JOIN intake_handover h ON h.id = a.handover_id
                  WHERE h.report_id = r.id) AS first_at
              FROM intake_concernreport r WHERE {period})
            SELECT * FROM (
              SELECT received_at, first_at, accepted_at, protection_assessed_at,
                row_number() OVER (ORDER BY {elapsed("first_at", "received_at")} NULLS LAST, id)
                  AS rank1, count(first_at) OVER () AS n1,
                row_number() OVER (
                  ORDER BY {elapsed("accepted_at", "received_at")} NULLS LAST, id)
                  AS rank2, count(accepted_at) OVER () AS n2,
                row_number() OVER (
                  ORDER BY {elapsed("protection_assessed_at", "received_at")} NULLS LAST, id)
                  AS rank3, count(protection_assessed_at) OVER () AS n3
              FROM c) ranked
            WHERE {ranks.format(i=1)} OR {ranks.format(i=2)} OR {ranks.format(i=3)}""",
        # 5. information requests: sent, answered, answer time's median and p90
        f"""SELECT * FROM (
              SELECT i.sent_at, i.answered_at, count(*) OVER () AS sent,
                row_number() OVER (
                  ORDER BY {elapsed("i.answered_at", "i.sent_at")} NULLS LAST, i.id) AS rank1,
                count(i.answered_at) OVER () AS n1
              FROM intake_informationrequest i JOIN intake_concernreport r
                ON r.id = i.report_id WHERE {period}) ranked
            WHERE {ranks.format(i=1)}""",
    ]


def sql(year: int, repeats: int) -> dict[str, Any]:
    """The hand-written aggregate's time, on the application's connection (PostgreSQL:
    without JIT compilation, as settings.py connects)."""
    statements = hand_written_sql(year)
    times = []
    for _ in range(repeats + 2):
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()
        times.append(time.perf_counter() - t0)
    times = sorted(times[2:])
    return {
        "p95_ms": percentile(times, 95) * 1000,
        "p50_ms": percentile(times, 50) * 1000,
        "times_ms": [t * 1000 for t in times],
    }


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def explain(year: int) -> dict[str, Any]:
    """Every query each page runs, with the database's plan (PostgreSQL: EXPLAIN ANALYZE)."""
    found: dict[str, Any] = {}
    clients: dict[str, Client] = {}
    for name, (role, path) in pages(year).items():
        client = clients.setdefault(role, _client(USERS[role]))
        client.get(path)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        queries = []
        for query in captured.captured_queries:
            text = query["sql"]
            if not text.lstrip().upper().startswith("SELECT"):
                continue
            entry: dict[str, Any] = {"sql": text, "time_s": float(query["time"])}
            if float(query["time"]) >= 0.0005 or "intake_" in text or "audit_" in text:
                try:
                    with connection.cursor() as cursor:
                        if connection.vendor == "postgresql":
                            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + text)
                        else:
                            cursor.execute("EXPLAIN QUERY PLAN " + text)
                        entry["plan"] = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
                except Exception as error:  # a query Django prints but cannot re-run as text
                    entry["plan_error"] = str(error)[:200]
            queries.append(entry)
        queries.sort(key=lambda q: -q["time_s"])
        found[name] = {
            "path": path,
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "slowest": queries[:8],
        }
    for statement in hand_written_sql(year)[:1]:
        with connection.cursor() as cursor:
            prefix = (
                "EXPLAIN (ANALYZE, BUFFERS) "
                if connection.vendor == "postgresql"
                else "EXPLAIN QUERY PLAN "
            )
            cursor.execute(prefix + statement)
            found["hand_written_sql"] = {
                "sql": statement,
                "plan": [" ".join(str(c) for c in row) for row in cursor.fetchall()],
            }
    return found


SIZED_TABLES = (
    "intake_concernreport",
    "intake_reportevent",
    "intake_handover",
    "intake_protectionassessment",
    "intake_preliminaryassessment",
    "intake_feedback",
    "intake_noteligiblerecord",
    "audit_auditentry",
)


def sizes() -> dict[str, Any]:
    """Rows and bytes (with indexes) of the big tables, and bytes per report."""
    found: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in SIZED_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant names)
            rows = cursor.fetchone()[0]
            size = None
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                size = cursor.fetchone()[0]
            found[table] = {"rows": rows, "bytes": size}
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            total = cursor.fetchone()[0]
        else:
            total = Path(settings.DATABASES["default"]["NAME"]).stat().st_size
    reports = found["intake_concernreport"]["rows"] or 1
    return {"tables": found, "database_bytes": total, "bytes_per_report": total / reports}


def main() -> None:
    command, *args = sys.argv[1:]
    if command == "prepare":
        result = prepare(int(args[0]))
    elif command == "rules":
        result = rules(int(args[0]))
    elif command == "sql":
        result = sql(int(args[0]), int(args[1]))
    elif command == "explain":
        result = explain(int(args[0]))
    elif command == "sizes":
        result = sizes()
    elif command == "versions":
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
            else:
                cursor.execute("SELECT sqlite_version()")
            version = cursor.fetchone()[0]
        result = {"vendor": connection.vendor, "version": version}
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
