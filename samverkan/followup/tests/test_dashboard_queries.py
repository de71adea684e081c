"""The single-entry dashboard's cost: a fixed, small number of queries over the daily
summaries, none over the reports once they are summarised; and percentiles that are exactly
`stats.median` / `stats.percentile` over the same durations in whole minutes."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.followup import stats, summaries
from samverkan.followup.periods import period_containing
from samverkan.followup.selectors import MAPPING_TODAY, Scope, single_entry_dashboard
from samverkan.followup.tests import dataset
from samverkan.followup.tests.oracle import duration_summary
from samverkan.intake.models import ConcernReport, Handover, HandoverAttempt, InformationRequest

DECEMBER = period_containing("month", date(2026, 12, 1))


def _queries(captured: CaptureQueriesContext) -> list[str]:
    """The queries, without transaction control."""
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(skip)]


def _report_queries(captured: CaptureQueriesContext) -> list[str]:
    return [sql for sql in _queries(captured) if "intake_" in sql]


def test_a_summarised_dashboard_reads_no_report(
    registry_demo: dict[str, Any], hub_worker: Any
) -> None:
    # The stale days (none once refreshed), two grouped queries over the daily summaries
    # (counts per organisation; durations and time of day per value), the organisations'
    # names by id and the municipalities' by code: whatever the number of reports.
    dataset.build(registry_demo, hub_worker)
    summaries.refresh()
    with CaptureQueriesContext(connection) as captured:
        single_entry_dashboard(period=DECEMBER, scope=Scope(), suppress=True, now=dataset.NOW)
    assert len(_queries(captured)) == 5
    assert _report_queries(captured) == []


def test_a_dashboard_refreshes_the_stale_days_it_shows(
    registry_demo: dict[str, Any], hub_worker: Any
) -> None:
    dataset.build(registry_demo, hub_worker)
    summaries.refresh()
    before = single_entry_dashboard(period=DECEMBER, scope=Scope(), suppress=False, now=dataset.NOW)
    report = ConcernReport.objects.filter(received_at__gte=DECEMBER.bounds()[0]).first()
    assert report is not None
    ConcernReport.objects.filter(pk=report.pk).delete()
    after = single_entry_dashboard(period=DECEMBER, scope=Scope(), suppress=False, now=dataset.NOW)
    received = [
        t for t in (before, after) for r in t.table("eligibility").rows if r.key == "eligible"
    ]
    assert received  # the table is there
    assert after.table("eligibility").total.cells[0].value == (
        before.table("eligibility").total.cells[0].value - 1  # type: ignore[operator]
    )


@pytest.mark.parametrize("mapping", ["dåvarande", MAPPING_TODAY])
@pytest.mark.parametrize("code", ["0182", "0180-farsta"])
def test_scoped_dashboards_stay_small(
    registry_demo: dict[str, Any], hub_worker: Any, code: str, mapping: str
) -> None:
    dataset.build(registry_demo, hub_worker)
    summaries.refresh()
    scope = Scope(organisation=registry_demo[code], mapping=mapping)
    with CaptureQueriesContext(connection) as captured:
        single_entry_dashboard(period=DECEMBER, scope=scope, suppress=True, now=dataset.NOW)
    # the registry's successor look-ups come on top with today's organisations
    assert _report_queries(captured) == []
    assert len(_queries(captured)) <= 14


def test_no_reports_no_durations(registry_demo: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as captured:
        dashboard = single_entry_dashboard(
            period=DECEMBER, scope=Scope(), suppress=False, now=dataset.NOW
        )
    times = {r.key: [c.value for c in r.cells] for r in dashboard.table("times").rows}
    assert times["accepted"] == [0, None, None]
    assert times["information_answer"] == [0, None, None]
    activity = {r.key: r.cells[0].value for r in dashboard.table("activity").rows}
    assert set(activity.values()) == {0}
    assert len(_queries(captured)) <= 8


def _random_history(
    orgs: dict[str, Any], user: Any, rng: random.Random
) -> dict[str, list[timedelta]]:
    """Reports in December with durations drawn from a few values (many ties), some missing."""
    n = rng.randint(1, 14)
    choices = [timedelta(minutes=m) for m in rng.sample(range(1, 90), rng.randint(1, 4))]
    choices.append(timedelta(minutes=7, microseconds=rng.randint(1, 999_999)))
    found: dict[str, list[timedelta]] = {
        "accepted": [],
        "protection": [],
        "first_attempt": [],
        "information_answer": [],
    }
    for number in range(n):
        received = dataset.local(rng.randint(1, 31), rng.randint(0, 23), rng.randint(0, 59))
        received += timedelta(microseconds=rng.choice([0, rng.randint(1, 999_999)]))
        accepted = rng.choice(choices) if rng.random() < 0.8 else None
        protection = rng.choice(choices) if rng.random() < 0.6 else None
        report = dataset.make_report(
            orgs,
            received=received,
            responsible=rng.choice(["0182", "0184"]),
            number=number,
            accepted_at=received + accepted if accepted else None,
            handed_over_at=received + accepted if accepted else None,
            protection_assessed_at=received + protection if protection else None,
        )
        for kind, value in (("accepted", accepted), ("protection", protection)):
            if value is not None:
                found[kind].append(value)
        attempts = [rng.choice(choices) for _ in range(rng.choice([0, 0, 1, 2, 3]))]
        if attempts:
            handover = Handover.objects.create(
                report=report, organisation=report.controller, started_at=received
            )
            for attempt in attempts:
                HandoverAttempt.objects.create(
                    handover=handover,
                    at=received + attempt,
                    number_called="08-465 004 01",
                    reached=False,
                    by=user,
                )
            found["first_attempt"].append(min(attempts))
        for _ in range(rng.choice([0, 0, 1, 2])):
            answer = rng.choice(choices) if rng.random() < 0.7 else None
            InformationRequest.objects.create(
                report=report,
                kind=InformationRequest.Kind.OTHER,
                question="Fråga",
                sent_at=received,
                sent_by=user,
                to_organisation=orgs["polisen-roc"],
                answered_at=received + answer if answer else None,
            )
            if answer is not None:
                found["information_answer"].append(answer)
    return found


@pytest.mark.parametrize("seed", range(6))
def test_percentiles_in_the_database_are_the_python_definitions(
    registry_demo: dict[str, Any], hub_worker: Any, seed: int
) -> None:
    rng = random.Random(seed)
    expected = _random_history(registry_demo, hub_worker, rng)
    dashboard = single_entry_dashboard(
        period=DECEMBER, scope=Scope(), suppress=False, now=dataset.NOW
    )
    times = {r.key: [c.value for c in r.cells] for r in dashboard.table("times").rows}
    for key, exact in expected.items():
        durations = [timedelta(minutes=d // timedelta(minutes=1)) for d in exact]
        assert times[key] == [
            len(durations),
            stats.median(durations),
            stats.percentile(durations, 90),
        ], (seed, key, sorted(durations))
    # The public one-measure form (ranks from COUNT(...) OVER (), exact durations) agrees.
    start, end = DECEMBER.bounds()
    reports = ConcernReport.objects.filter(received_at__gte=start, received_at__lt=end)
    summary = duration_summary(reports, "accepted_at", "received_at")
    assert (summary.n, summary.median, summary.p90) == (
        len(expected["accepted"]),
        stats.median(expected["accepted"]),
        stats.percentile(expected["accepted"], 90),
    )
