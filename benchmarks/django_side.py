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
from datetime import UTC, datetime
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


def hand_written_sql(year: int) -> list[str]:
    """The single-entry dashboard's figures for one year, as plain SQL over the raw tables."""
    start, end = _year_bounds(year)
    pg = connection.vendor == "postgresql"
    s, e = (start.isoformat(), end.isoformat())
    if pg:
        hour = "extract(hour from received_at at time zone 'Europe/Stockholm')"
        dow = "extract(isodow from received_at at time zone 'Europe/Stockholm')"
        hour_ne = "extract(hour from decided_at at time zone 'Europe/Stockholm')"
        dow_ne = "extract(isodow from decided_at at time zone 'Europe/Stockholm')"
        s_sql, e_sql = f"'{s}'::timestamptz", f"'{e}'::timestamptz"
    else:
        # SQLite stores UTC text; Stockholm's offset approximated as +1 h (as a hand query would).
        hour = "cast(strftime('%H', received_at, '+1 hour') as integer)"
        dow = "cast(strftime('%w', received_at, '+1 hour') as integer)"
        hour_ne = "cast(strftime('%H', decided_at, '+1 hour') as integer)"
        dow_ne = "cast(strftime('%w', decided_at, '+1 hour') as integer)"
        s_sql = f"'{start.astimezone(UTC):%Y-%m-%d %H:%M:%S}'"
        e_sql = f"'{end.astimezone(UTC):%Y-%m-%d %H:%M:%S}'"
    where = f"received_at >= {s_sql} AND received_at < {e_sql}"
    where_ne = f"decided_at >= {s_sql} AND decided_at < {e_sql}"
    return [
        f"""SELECT count(*),
              count(handed_over_at), count(accepted_at), count(protection_assessed_at),
              count(preliminary_decided_on), count(repeat_of_id),
              sum(CASE WHEN escalated_at IS NOT NULL THEN 1 ELSE 0 END),
              sum(CASE WHEN protection_assessed_at <= protection_assessment_due THEN 1 ELSE 0 END),
              sum(CASE WHEN preliminary_decided_on <= preliminary_assessment_due
                  THEN 1 ELSE 0 END)
            FROM intake_concernreport WHERE {where}""",
        f"""SELECT responsible_municipality_id, controller_id, count(*)
            FROM intake_concernreport WHERE {where}
            GROUP BY responsible_municipality_id, controller_id""",
        f"SELECT {hour}, {dow}, count(*) FROM intake_concernreport WHERE {where} GROUP BY 1, 2",
        f"SELECT {hour_ne}, {dow_ne}, count(*) FROM intake_noteligiblerecord "
        f"WHERE {where_ne} GROUP BY 1, 2",
        f"SELECT reasons, count(*) FROM intake_noteligiblerecord WHERE {where_ne} GROUP BY 1",
        f"""SELECT count(*) FROM intake_handover h JOIN intake_concernreport r
            ON r.id = h.report_id
            WHERE r.received_at >= {s_sql} AND r.received_at < {e_sql}""",
        f"""SELECT count(*), count(answered_at) FROM intake_informationrequest i
            JOIN intake_concernreport r ON r.id = i.report_id
            WHERE r.received_at >= {s_sql} AND r.received_at < {e_sql}""",
        # durations (median and p90 of time to handover and to acceptance): fetch and sort,
        # as the dashboard's percentile needs every value of the year.
        f"""SELECT handed_over_at, accepted_at, received_at FROM intake_concernreport
            WHERE {where} AND accepted_at IS NOT NULL""",
    ]


def sql(year: int, repeats: int) -> dict[str, Any]:
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
