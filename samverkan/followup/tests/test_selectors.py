"""Every single-entry figure on the known data set (see dataset.py), computed by hand."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from samverkan.followup.periods import Period, period_containing
from samverkan.followup.selectors import Scope, single_entry_dashboard
from samverkan.followup.tables import Dashboard
from samverkan.followup.tests import dataset

DECEMBER = period_containing("month", date(2026, 12, 1))


@pytest.fixture
def data(registry_demo: dict[str, Any], hub_worker: Any) -> dict[str, Any]:
    return dataset.build(registry_demo, hub_worker)


def values(dashboard: Dashboard, slug: str, column: int = 0) -> dict[str, Any]:
    table = dashboard.table(slug)
    return {row.key: row.cells[column].value for row in table.all_rows()}


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


@pytest.fixture
def full(data: dict[str, Any]) -> Dashboard:
    return single_entry_dashboard(period=DECEMBER, scope=Scope(), suppress=False, now=dataset.NOW)


def test_reports_received_eligible_and_not(full: Dashboard) -> None:
    assert values(full, "eligibility") == {"eligible": 6, "not_eligible": 3, "total": 9}


def test_not_eligible_by_reason(full: Dashboard) -> None:
    assert values(full, "not_eligible_reasons") == {
        "invalid_person_id": 0,
        "age_18_or_over": 1,
        "found_outside_county": 0,
        "not_gang_related": 1,
        "home_municipality_unknown": 1,
        "no_agreement_in_force": 1,
        "total": 3,
    }


def test_by_municipality(full: Dashboard) -> None:
    table = full.table("by_municipality")
    rows = {row.key: [c.value for c in row.cells] for row in table.all_rows()}
    assert rows == {
        "0180": [1, 0, 1],
        "0182": [3, 1, 4],
        "0184": [2, 0, 2],
        "1480": [0, 1, 1],
        "unknown": [0, 1, 1],
        "total": [6, 3, 9],
    }
    assert values(full, "by_district") == {"0180-farsta": 1, "total": 1}


def test_by_hour_in_swedish_time(full: Dashboard) -> None:
    counts = {k: v for k, v in values(full, "by_hour").items() if v}
    assert counts == {
        "03": 1, "07": 1, "08": 2, "09": 1, "10": 1, "14": 1, "22": 1, "23": 1, "total": 9,
    }  # fmt: skip


def test_by_weekday_with_holidays_and_eves(full: Dashboard) -> None:
    # Christmas Eve (Thu 24 Dec) and New Year's Eve (Thu 31 Dec) count as holidays.
    assert values(full, "by_weekday") == {
        "mon": 3, "tue": 0, "wed": 0, "thu": 0, "fri": 0, "sat": 1, "sun": 1,
        "holiday": 4, "total": 9,
    }  # fmt: skip


def test_times_median_and_nearest_rank_p90(full: Dashboard) -> None:
    table = full.table("times")
    rows = {row.key: [c.value for c in row.cells] for row in table.rows}
    # first attempt 1,3,5,9,15 (R2's first of two; R6 none): median 5, p90 rank ⌈4.5⌉=5 → 15
    assert rows["first_attempt"] == [5, minutes(5), minutes(15)]
    # accepted 10,20,30,40,50,60: median (30+40)/2 = 35, p90 rank ⌈5.4⌉=6 → 60
    assert rows["accepted"] == [6, minutes(35), minutes(60)]
    # protection 60,120,240: median 120, p90 rank ⌈2.7⌉=3 → 240
    assert rows["protection"] == [3, minutes(120), minutes(240)]
    # one answered information request: 90 minutes
    assert rows["information_answer"] == [1, minutes(90), minutes(90)]


def test_deadlines(full: Dashboard) -> None:
    table = full.table("deadlines")
    rows = {row.key: [c.value for c in row.cells] for row in table.rows}
    # protection: R1, R2, R4 (exactly at the deadline) in time; R3, R5, R6 overdue
    assert rows["protection"] == [3, 3, 6, 50.0]
    # preliminary: R1, R6 in time; R2 late; R3, R4, R5 overdue
    assert rows["preliminary"] == [2, 4, 6, 33.3]
    # feedback: R5 delivered 23:00 on its last day (in time), R6 a day late
    assert rows["feedback"] == [1, 1, 2, 50.0]


def test_activity(full: Dashboard) -> None:
    assert values(full, "activity") == {
        "handed_over": 6,
        "accepted": 6,
        "escalated_reports": 1,
        "escalations": 1,
        "protection": 3,
        "preliminary": 3,
        "repeats": 0,
        "information_sent": 2,
        "information_answered": 1,
        "information_open": 1,
    }


def test_period_bounds_are_swedish_days(data: dict[str, Any]) -> None:
    # 7 Dec only: R1, R2 and NE1 — the day runs 00:00–24:00 Swedish time.
    day = Period("custom", date(2026, 12, 7), date(2026, 12, 7))
    dashboard = single_entry_dashboard(period=day, scope=Scope(), suppress=False, now=dataset.NOW)
    assert values(dashboard, "eligibility") == {"eligible": 2, "not_eligible": 1, "total": 3}


def test_scope_to_one_municipality(data: dict[str, Any], registry_demo: dict[str, Any]) -> None:
    scope = Scope(organisation=registry_demo["0182"])
    dashboard = single_entry_dashboard(
        period=DECEMBER, scope=scope, suppress=False, now=dataset.NOW
    )
    assert values(dashboard, "eligibility") == {"eligible": 3, "not_eligible": 1, "total": 4}
    rows = {r.key: [c.value for c in r.cells] for r in dashboard.table("times").rows}
    assert rows["accepted"] == [3, minutes(30), minutes(60)]  # 10, 30, 60


def test_scope_to_a_district(data: dict[str, Any], registry_demo: dict[str, Any]) -> None:
    scope = Scope(organisation=registry_demo["0180-farsta"])
    dashboard = single_entry_dashboard(
        period=DECEMBER, scope=scope, suppress=False, now=dataset.NOW
    )
    assert values(dashboard, "eligibility")["eligible"] == 1


def test_suppressed_dashboard_hides_small_counts(full: Dashboard, data: Any) -> None:
    suppressed = single_entry_dashboard(
        period=DECEMBER, scope=Scope(), suppress=True, now=dataset.NOW
    )
    eligibility = suppressed.table("eligibility")
    texts = [row.cells[0].text(5) for row in eligibility.all_rows()]
    # These are the margins of the table per municipality, where every count is below 5:
    # 6 shown would let 9 − 6 = 3 be recomputed, and 9 shown would bound Stockholm's
    # single report by Nacka's and Solna's — so both go, in every table that shows them.
    assert texts == ["–", "<5", "–"]
    by_hour = suppressed.table("by_hour")
    assert by_hour.total is not None and by_hour.total.cells[0].text(5) == "–"
    times = {r.key: [c.text(5) for c in r.cells] for r in suppressed.table("times").rows}
    assert times["protection"] == ["<5", "–", "–"]  # a median of 3 reports is not published
    assert times["accepted"][0] == "6"
    assert times["accepted"][1] == "35 min"


def test_a_fixed_number_of_aggregate_queries(
    data: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    # Aggregates and ranks only: the count does not grow with the number of reports.
    with django_assert_max_num_queries(22):
        single_entry_dashboard(period=DECEMBER, scope=Scope(), suppress=True, now=dataset.NOW)
