"""Daily summaries (ADR 0008): on random histories every dashboard figure read from them
equals the direct computation over the reports (`oracle.DirectSource`), also after
back-dated corrections, retention runs, organisation changes and late steps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from samverkan.core.calendar import STOCKHOLM
from samverkan.followup import summaries
from samverkan.followup.models import DailyFigure, MonthlyFigure, MonthlyHistogram, StaleDay
from samverkan.followup.periods import Period, custom_period, period_containing
from samverkan.followup.selectors import (
    MAPPING_THEN,
    MAPPING_TODAY,
    Scope,
    dashboard_from,
    single_entry_dashboard,
)
from samverkan.followup.tasks import refresh_summaries
from samverkan.followup.tests import dataset
from samverkan.followup.tests.oracle import DirectSource
from samverkan.intake.models import (
    ConcernReport,
    Escalation,
    Feedback,
    Handover,
    HandoverAttempt,
    InformationRequest,
    NotEligibleRecord,
)
from samverkan.intake.rules import Reason
from samverkan.registry.models import Organisation
from samverkan.retention.services import retention_apply

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 20, tzinfo=STOCKHOLM)  # a span over a month's end and Christmas
CONTROLLERS = [
    ("0182", "0182"),
    ("0180", "0180-spanga-tensta"),
    ("0180", "0180-rinkeby-kista"),
    ("0180", "0180-jarva"),
    ("0180", "0180-farsta"),
]
HOMES = ["0182", "0180", "0184", ""]
MINUTES = st.integers(0, 60 * 24 * 20)  # up to 20 days, every minute


@dataclass
class Step:
    """One report, with when (minutes from receipt) each step was done, or None."""

    at: int  # minutes from START
    seconds: int
    where: int
    accepted: int | None
    protection: int | None
    preliminary_days: int | None
    feedback: tuple[int, int | None] | None  # (due in days, delivered in minutes)
    escalations: int
    attempts: list[int]
    requests: list[int | None]
    repeat: bool


steps = st.builds(
    Step,
    at=st.integers(0, 60 * 24 * 45),
    seconds=st.integers(0, 59),
    where=st.integers(0, len(CONTROLLERS) - 1),
    accepted=st.none() | MINUTES,
    protection=st.none() | MINUTES,
    preliminary_days=st.none() | st.integers(0, 30),
    feedback=st.none() | st.tuples(st.integers(0, 40), st.none() | MINUTES),
    escalations=st.integers(0, 2),
    attempts=st.lists(st.integers(0, 600), max_size=3),
    requests=st.lists(st.none() | MINUTES, max_size=2),
    repeat=st.booleans(),
)
records = st.tuples(
    st.integers(0, 60 * 24 * 45),
    st.sampled_from(HOMES),
    st.sets(st.sampled_from(Reason.ALL), min_size=1, max_size=2),
)
corrections = st.lists(
    st.tuples(
        st.sampled_from(
            ["backdate", "backdate_update", "move", "delete", "deliver", "escalate", "rename"]
        ),
        st.integers(0, 1000),
        st.integers(-60 * 24 * 10, 60 * 24 * 10),
    ),
    max_size=6,
)


def _build(orgs: dict[str, Any], user: Any, history: list[Step], ne: list[Any]) -> None:
    made: list[ConcernReport] = []
    for number, step in enumerate(history):
        received = START + timedelta(minutes=step.at, seconds=step.seconds)
        responsible, controller = CONTROLLERS[step.where]

        def after(m: int | None, base: datetime = received) -> datetime | None:
            return None if m is None else base + timedelta(minutes=m, seconds=step.seconds % 7)

        report = dataset.make_report(
            orgs,
            received=received,
            responsible=responsible,
            controller=controller,
            number=number,
            handed_over_at=after(step.accepted),
            accepted_at=after(step.accepted),
            protection_assessed_at=after(step.protection),
            preliminary_decided_on=(
                None
                if step.preliminary_days is None
                else received.date() + timedelta(days=step.preliminary_days)
            ),
            repeat_of=made[-1] if step.repeat and made else None,
        )
        made.append(report)
        if step.feedback is not None:
            due_days, delivered = step.feedback
            Feedback.objects.create(
                report=report,
                decision_date=received.date(),
                due=received.date() + timedelta(days=due_days),
                investigation_opened=False,
                delivered_at=after(delivered),
            )
        for n in range(step.escalations):
            Escalation.objects.create(report=report, at=received + timedelta(hours=n + 1))
        if step.attempts:
            handover = Handover.objects.create(
                report=report, organisation=report.controller, started_at=received
            )
            for m in step.attempts:
                HandoverAttempt.objects.create(
                    handover=handover,
                    at=after(m),
                    number_called="08-465 004 01",
                    reached=False,
                    by=user,
                )
        for answer in step.requests:
            InformationRequest.objects.create(
                report=report,
                kind=InformationRequest.Kind.OTHER,
                question="Fråga",
                sent_at=received + timedelta(minutes=5),
                sent_by=user,
                to_organisation=orgs["polisen-roc"],
                answered_at=after(answer, received + timedelta(minutes=5)),
            )
    # half of them written in bulk, as imports and the benchmarks' loader do
    rows = [
        NotEligibleRecord(
            decided_at=START + timedelta(minutes=at),
            source_channel="police_api",
            reasons=sorted(reasons),
            found_in="0182",
            home_municipality=home,
            age_band=NotEligibleRecord.AgeBand.UNKNOWN,
        )
        for at, home, reasons in ne
    ]
    NotEligibleRecord.objects.bulk_create(rows[::2])
    for row in rows[1::2]:
        row.save()


def _correct(orgs: dict[str, Any], changes: list[tuple[str, int, int]]) -> None:
    for kind, which, minutes in changes:
        reports = list(ConcernReport.objects.order_by("pk"))
        if not reports:
            return
        report = reports[which % len(reports)]
        if kind == "backdate":
            report.received_at += timedelta(minutes=minutes)
            report.save()
        elif kind == "backdate_update":
            ConcernReport.objects.filter(pk=report.pk).update(
                received_at=report.received_at + timedelta(minutes=minutes)
            )
        elif kind == "move":  # as registry.changes carries a merger out
            target = orgs[CONTROLLERS[which % len(CONTROLLERS)][1]]
            ConcernReport.objects.filter(pk=report.pk, controller_id=report.controller_id).update(
                controller_id=target.pk
            )
        elif kind == "delete":
            report.delete()
        elif kind == "deliver":
            feedback = Feedback.objects.filter(report=report).first()
            if feedback is not None:
                feedback.delivered_at = report.received_at + timedelta(minutes=abs(minutes))
                feedback.save()
        elif kind == "escalate":
            Escalation.objects.create(report=report, at=report.received_at)
        elif kind == "rename":
            Organisation.objects.filter(pk=report.controller_id).update(name=f"Namn {minutes}")


def _scopes(orgs: dict[str, Any]) -> list[Scope]:
    found = [Scope(), Scope(mapping=MAPPING_TODAY)]
    for code in ("0182", "0180", "0180-jarva", "0180-spanga-tensta"):
        for mapping in (MAPPING_THEN, MAPPING_TODAY):
            found.append(Scope(organisation=orgs[code], mapping=mapping))
    return found


PERIODS = [
    period_containing("month", date(2026, 12, 1)),
    period_containing("week", date(2026, 12, 24)),
    custom_period(date(2026, 11, 1), date(2027, 1, 31)),
]


def _same(period: Period, scope: Scope, now: datetime) -> None:
    for suppress in (False, True):
        expected = dashboard_from(DirectSource(period, scope, now), suppress=suppress)
        found = single_entry_dashboard(period=period, scope=scope, suppress=suppress, now=now)
        for want, got in zip(expected.tables, found.tables, strict=True):
            assert got == want, (period, scope, now, suppress, want.slug)


@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=st.lists(steps, max_size=12),
    ne=st.lists(records, max_size=6),
    changes=corrections,
    retention=st.booleans(),
    now_hours=st.integers(0, 24 * 80),
    summarise_first=st.booleans(),
)
def test_figures_from_the_summaries_are_the_direct_computation(
    registry_demo: dict[str, Any],
    hub_worker: Any,
    history: list[Step],
    ne: list[Any],
    changes: list[tuple[str, int, int]],
    retention: bool,
    now_hours: int,
    summarise_first: bool,
) -> None:
    orgs = {o.code: o for o in Organisation.objects.all()}
    with transaction.atomic():
        _build(orgs, hub_worker, history, ne)
        if summarise_first:  # the worker ran before the corrections
            refresh_summaries.call()
        _correct(orgs, changes)
        if retention:
            retention_apply(today=date(2060, 1, 1))
        now = START + timedelta(hours=now_hours)
        for period in PERIODS:
            for scope in _scopes(orgs):
                _same(period, scope, now)
        transaction.set_rollback(True)


def _kept() -> list[list[tuple[Any, ...]]]:
    return [
        sorted(DailyFigure.objects.values_list("day", "metric", "value", "n")),
        sorted(MonthlyFigure.objects.values_list("month", "metric", "value", "n")),
        sorted(MonthlyHistogram.objects.values_list("month", "metric", "value", "n")),
    ]


def test_a_rebuild_is_idempotent_and_leaves_no_stale_day(
    registry_demo: dict[str, Any], hub_worker: Any
) -> None:
    dataset.build(registry_demo, hub_worker)
    summaries.backfill()
    first = _kept()
    assert all(first), "every table holds rows"
    assert summaries.backfill() > 0
    assert _kept() == first
    assert summaries.roll_up_every_month() > 0
    assert _kept() == first
    assert not StaleDay.objects.exists()
    assert summaries.refresh() == 0


def test_a_month_holds_the_sum_of_its_days(registry_demo: dict[str, Any], hub_worker: Any) -> None:
    dataset.build(registry_demo, hub_worker)
    summaries.backfill()
    daily: Counter[tuple[Any, ...]] = Counter()
    for day, metric, value, n in DailyFigure.objects.values_list("day", "metric", "value", "n"):
        daily[summaries.month_of(day), metric, value] += n
    monthly: Counter[tuple[Any, ...]] = Counter()
    for month, metric, value, n in MonthlyFigure.objects.values_list(
        "month", "metric", "value", "n"
    ):
        monthly[month, metric, value] += n
    assert monthly == daily
    histograms = Counter(
        {
            (month, metric, value): n
            for month, metric, value, n in MonthlyHistogram.objects.values_list(
                "month", "metric", "value", "n"
            )
        }
    )
    assert histograms == Counter({k: n for k, n in daily.items() if k[1] in summaries.HISTOGRAMS})


@pytest.mark.parametrize(
    ("first", "last", "months", "edges"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), 12, []),
        (
            date(2026, 11, 20),
            date(2027, 1, 4),
            1,
            [(date(2026, 11, 20), date(2026, 11, 30)), (date(2027, 1, 1), date(2027, 1, 4))],
        ),
        (date(2026, 12, 21), date(2026, 12, 27), 0, [(date(2026, 12, 21), date(2026, 12, 27))]),
        (date(2024, 2, 1), date(2024, 2, 29), 1, []),
        (date(2024, 2, 1), date(2024, 2, 28), 0, [(date(2024, 2, 1), date(2024, 2, 28))]),
    ],
)
def test_a_period_is_read_as_whole_months_and_the_days_at_its_ends(
    first: date, last: date, months: int, edges: list[tuple[date, date]]
) -> None:
    found_months, found_edges = summaries.whole_months(first, last)
    assert len(found_months) == months
    assert found_edges == edges
    days = {d for a, b in found_edges for d in custom_period(a, b).days()}
    for month in found_months:
        days |= set(period_containing("month", month).days())
    assert days == set(custom_period(first, last).days()), "every day read once"


def test_summaries_hold_no_personal_data() -> None:
    columns = {f.name for f in DailyFigure._meta.get_fields()}
    assert columns == {
        "id",
        "day",
        "responsible_id",
        "controller_id",
        "home_municipality",
        "metric",
        "value",
        "n",
    }
    assert {f.name for f in MonthlyFigure._meta.get_fields()} == columns - {"day"} | {"month"}
    assert {f.name for f in MonthlyHistogram._meta.get_fields()} == {
        "id",
        "month",
        "metric",
        "value",
        "n",
    }


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_refreshes_lose_no_report(registry_demo: dict[str, Any]) -> None:
    """Writers on the same day beside refreshes (own connections): nothing is lost.

    A refresh deletes only the marks it read before recomputing; a write committed
    meanwhile keeps its mark, so the last refresh counts it.
    """
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL (SQLite's is in memory)")
    import threading

    orgs = {o.code: o for o in Organisation.objects.all()}
    errors: list[BaseException] = []
    writing = threading.Event()

    def writer(n: int) -> None:
        try:
            for i in range(20):
                with transaction.atomic():
                    report = dataset.make_report(
                        orgs,
                        received=START + timedelta(days=12, minutes=n * 100 + i),
                        responsible="0182",
                        number=i,
                    )
                    ConcernReport.objects.filter(pk=report.pk).update(
                        accepted_at=report.received_at + timedelta(minutes=i)
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def refresher() -> None:
        try:
            while writing.is_set():
                summaries.refresh()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    writing.set()
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    refreshers = [threading.Thread(target=refresher) for _ in range(2)]
    for thread in [*threads, *refreshers]:
        thread.start()
    for thread in threads:
        thread.join()
    writing.clear()
    for thread in refreshers:
        thread.join()
    assert errors == []
    summaries.refresh()
    received = sum(
        DailyFigure.objects.filter(metric="received").values_list("n", flat=True), start=0
    )
    accepted = sum(
        DailyFigure.objects.filter(metric="accepted").values_list("n", flat=True), start=0
    )
    assert (received, accepted) == (40, 40)
    _same(PERIODS[0], Scope(), START + timedelta(days=40))


def test_the_command_refreshes_and_rebuilds(registry_demo: dict[str, Any], hub_worker: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    dataset.build(registry_demo, hub_worker)
    out = StringIO()
    call_command("followup_summaries", stdout=out)
    assert "uppdaterade dagar:" in out.getvalue()
    assert not StaleDay.objects.exists()
    built = sorted(DailyFigure.objects.values_list("day", "metric", "value", "n"))
    call_command("followup_summaries", "--rebuild", stdout=out)
    assert sorted(DailyFigure.objects.values_list("day", "metric", "value", "n")) == built


def test_deleting_a_report_uncounts_its_repeat_on_another_day(
    registry_demo: dict[str, Any], hub_worker: Any
) -> None:
    orgs = {o.code: o for o in Organisation.objects.all()}
    first = dataset.make_report(
        orgs, received=START, responsible="0182", controller="0182", number=1
    )
    dataset.make_report(
        orgs,
        received=START + timedelta(days=3),
        responsible="0182",
        controller="0182",
        number=2,
        repeat_of=first,
    )
    period = period_containing("month", START.date())

    def repeats() -> Any:
        dashboard = single_entry_dashboard(period=period, scope=Scope(), suppress=False, now=START)
        activity = next(t for t in dashboard.tables if t.slug == "activity")
        return next(r.cells[0].value for r in activity.rows if r.key == "repeats")

    assert repeats() == 1
    first.delete()  # the repeat's link is set to NULL without a signal of its own
    assert repeats() == 0
