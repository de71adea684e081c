"""Collaboration figures on a known data set: forum compliance, activities, indicators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    Attendance,
    Forum,
    ForumKind,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Meeting,
    MeetingStatus,
    SeriousTalk,
)
from samverkan.followup.collaboration_selectors import collaboration_dashboard
from samverkan.followup.periods import period_containing
from samverkan.followup.selectors import Scope
from samverkan.followup.tests import dataset

YEAR_2026 = period_containing("year", date(2026, 6, 1))


@pytest.fixture
def collaboration(registry_demo: dict[str, Any], hub_worker: Any) -> dict[str, Any]:
    farsta = registry_demo["0180-farsta"]
    forum = Forum.objects.create(
        district=farsta,
        name="Samverkansforum Farsta",
        kind=ForumKind.GENERAL_QUESTIONS,
        required_per_term=2,
        required_functions=["social_worker", "police_youth_coordinator"],
    )
    for held_on, status, functions in (
        (date(2026, 2, 10), MeetingStatus.HELD, ["social_worker", "police_youth_coordinator"]),
        (date(2026, 5, 10), MeetingStatus.HELD, ["social_worker", "police_youth_coordinator"]),
        (date(2026, 9, 10), MeetingStatus.HELD, ["social_worker"]),
        (date(2026, 11, 10), MeetingStatus.CANCELLED, []),
    ):
        meeting = Meeting.objects.create(
            forum=forum, held_on=held_on, status=status, recorded_by=hub_worker
        )
        for function in functions:
            Attendance.objects.create(meeting=meeting, function=function)
    plan = ActionPlan.objects.create(
        district=farsta,
        title="Åtgärdsplan 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    for status, due in (
        ("done", date(2026, 3, 1)),
        ("done", date(2026, 4, 1)),
        ("ongoing", date(2026, 6, 1)),
        ("planned", date(2027, 3, 1)),
        ("delayed", date(2026, 10, 1)),
        ("cancelled", date(2026, 3, 1)),
    ):
        Activity.objects.create(
            plan=plan,
            title=f"Aktivitet {status}",
            owner=farsta,
            target_group="young_people_at_risk",
            status=status,
            due_date=due,
        )
    manual = Indicator.objects.create(
        district=farsta, name="Upplevd trygghet", kind=IndicatorKind.MANUAL, forum=forum, unit="%"
    )
    for term, value in (("2025-HT", "40"), ("2026-VT", "50"), ("2026-HT", "45")):
        IndicatorValue.objects.create(
            indicator=manual, term=term, value=Decimal(value), source="Trygghetsmätning"
        )
    Indicator.objects.create(
        district=farsta,
        name="Unga med plan",
        kind=IndicatorKind.YOUNG_PEOPLE_WITH_PLAN,
        forum=forum,
    )
    for person in dataset.PERSON_IDS[:2]:
        SeriousTalk.objects.create(
            district=farsta,
            police_unit=registry_demo["polisen-roc"],
            held_on=date(2026, 10, 1),
            person_id=person,
            social_worker="Socialsekreterare Testsson",
            police_officer="Polis Provare",
            plan_agreed=True,
            recorded_by=hub_worker,
        )
    return {"forum": forum, "manual": manual}


def rows(dashboard: Any, slug: str) -> dict[str, list[str]]:
    table = dashboard.table(slug)
    return {row.label: [c.text(5) for c in row.cells] for row in table.all_rows()}


def test_collaboration_figures_by_hand(collaboration: dict[str, Any]) -> None:
    board = collaboration_dashboard(
        period=YEAR_2026, scope=Scope(), suppress=False, now=dataset.NOW
    )
    # VT 2026: 2 of 2 meetings, both functions each time; HT 2026: 1 of 2, one function.
    assert rows(board, "forum_compliance") == {"Samverkansforum Farsta": ["3", "4", "1", "1", "2"]}
    assert rows(board, "action_plans") == {
        "Planerad": ["1"],
        "Pågår": ["1"],
        "Genomförd": ["2"],
        "Försenad": ["1"],
        "Inställd": ["1"],
        "Aktiviteter totalt": ["6"],
    }
    assert "förfallna och inte genomförda: 2" in board.table("action_plans").note
    indicators = rows(board, "indicators")
    assert board.table("indicators").columns == [
        "VT 2025",
        "HT 2025",
        "VT 2026",
        "HT 2026",
        "Trend",
    ]
    assert indicators["Upplevd trygghet (%)"] == ["", "40,0", "50,0", "45,0", "Minskar (sämre)"]
    assert indicators["Unga med plan"][-2:] == ["2,0", "Ökar (bättre)"]


def test_small_indicator_counts_are_suppressed(collaboration: dict[str, Any]) -> None:
    board = collaboration_dashboard(period=YEAR_2026, scope=Scope(), suppress=True, now=dataset.NOW)
    indicators = rows(board, "indicators")
    assert indicators["Unga med plan"][-2:] == ["<5", ""]  # two young people: hidden, no trend
    assert indicators["Upplevd trygghet (%)"][-1] == "Minskar (sämre)"


def test_scope_to_another_municipality_has_no_forums(
    collaboration: dict[str, Any], registry_demo: dict[str, Any]
) -> None:
    board = collaboration_dashboard(
        period=YEAR_2026, scope=Scope(organisation=registry_demo["0182"]), suppress=False,
        now=dataset.NOW,
    )  # fmt: skip
    assert board.table("forum_compliance").rows == []
    stockholm = collaboration_dashboard(
        period=YEAR_2026, scope=Scope(organisation=registry_demo["0180"]), suppress=False,
        now=dataset.NOW,
    )  # fmt: skip
    assert len(stockholm.table("forum_compliance").rows) == 1  # Farsta is below Stockholm


def test_collaboration_page_has_no_personal_data(
    logged_in_client: Any, analyst: Any, collaboration: dict[str, Any]
) -> None:
    text = (
        logged_in_client(analyst)
        .get("/uppfoljning/samverkan/?period=year&datum=2026-01-01")
        .content.decode()
    )
    assert "Resultatindikatorer per termin" in text
    for needle in [*dataset.PERSON_IDS, "Testsson", "Polis Provare"]:
        assert needle not in text
