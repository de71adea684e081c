"""Retention of what the apps newly declare (issue 16): homecoming plans, defector
vouchers (Bokföringslagen 7 kap. 2 §) and the free text of meeting minutes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from samverkan.collaboration.models import (
    DecisionFollowUp,
    DecisionStatus,
    Forum,
    Meeting,
    MeetingDecision,
)
from samverkan.core.calendar import STOCKHOLM
from samverkan.defectors.models import Assignment, CostEntry
from samverkan.followup.tests.test_defectors_and_command import defector_data  # noqa: F401
from samverkan.homecoming.models import (
    HomecomingContact,
    HomecomingFollowUp,
    HomecomingPlan,
    PlanStatus,
)
from samverkan.retention import rules
from samverkan.retention.models import Anonymisation
from samverkan.retention.services import retention_apply

pytestmark = pytest.mark.django_db


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def plan(registry_demo: dict[str, Any]) -> HomecomingPlan:
    """A plan closed in 2020: its last entry is a follow-up on 15 June 2020."""
    made = HomecomingPlan.objects.create(
        district=registry_demo["0180-farsta"],
        police_unit=registry_demo["polisen-roc"],
        person_id="200401012394",
        birth_date=date(2004, 1, 1),
        name="Test Testsson",
        sis_home="Testgården",
        expected_release=date(2020, 3, 1),
        released_on=date(2020, 3, 2),
        risk_level="high",
        concrete_risk="Hot mot en namngiven person",
        risk_assessment="Bedömning",
        status=PlanStatus.CLOSED,
    )
    HomecomingContact.objects.create(
        plan=made, organisation=made.district, name="Sara Socialsekreterare", title="Handläggare"
    )
    follow_up = HomecomingFollowUp.objects.create(
        plan=made, held_on=date(2020, 6, 15), text="Går i skolan"
    )
    # Timestamps as they were then (update() leaves auto_now fields alone).
    HomecomingPlan.objects.filter(pk=made.pk).update(
        created_at=_at(date(2020, 1, 10)), updated_at=_at(date(2020, 3, 2))
    )
    HomecomingFollowUp.objects.filter(pk=follow_up.pk).update(at=_at(date(2020, 6, 15)))
    return made


def test_a_homecoming_plan_is_anonymised_five_years_after_its_last_entry(
    plan: HomecomingPlan,
) -> None:
    retention_apply(today=date(2025, 6, 14))
    plan.refresh_from_db()
    assert plan.person_id == "200401012394"

    result = retention_apply(today=date(2025, 6, 15))
    assert result.by_type["homecoming.HomecomingPlan"].anonymised == 1
    plan.refresh_from_db()
    assert (plan.person_id, plan.name, plan.concrete_risk, plan.risk_assessment) == (
        "",
        "Gallrat",
        "",
        "",
    )
    assert plan.birth_date == date(2004, 1, 1)  # 1 January of the year: the age band stays
    assert plan.status == PlanStatus.CLOSED and plan.district.code == "0180-farsta"
    assert list(plan.contacts.values_list("name", flat=True)) == [""]
    assert list(plan.follow_ups.values_list("text", flat=True)) == [""]
    marker = Anonymisation.objects.get(record_type="homecoming.HomecomingPlan")
    assert marker.last_entry == date(2020, 6, 15)


@pytest.fixture
def voucher(
    defector_data: dict[str, Any],  # noqa: F811
    settings: Any,
    tmp_path: Any,
) -> CostEntry:
    settings.MEDIA_ROOT = tmp_path
    cost = CostEntry.objects.filter(incurred_on__year=2026).order_by("pk").first()
    assert cost is not None
    cost.document.save("kvitto.pdf", ContentFile(b"%PDF-1.4 kvitto"), save=True)
    return cost


def test_a_voucher_is_kept_through_the_seventh_year_after_the_financial_year(
    voucher: CostEntry,
) -> None:
    name = voucher.document.name
    amount = voucher.amount
    # Booked in 2026: kept through 2033, even after its assignment is anonymised.
    retention_apply(today=date(2033, 12, 31))
    voucher.refresh_from_db()
    assert voucher.document.name == name and default_storage.exists(name)
    assert Assignment.objects.get(pk=voucher.assignment_id).person_alias == "Gallrat"

    result = retention_apply(today=date(2034, 1, 1))
    assert result.by_type["defectors.CostEntry"].anonymised == 1
    voucher.refresh_from_db()
    assert voucher.document.name == "" and not default_storage.exists(name)
    assert voucher.amount == amount  # the ledger itself stays
    marker = Anonymisation.objects.get(record_type="defectors.CostEntry")
    assert (marker.rule, marker.retention_end) == (
        rules.Rule.BOOKKEEPING_SEVEN_YEARS,
        date(2034, 1, 1),
    )


def test_voucher_rule() -> None:
    assert rules.voucher_retention_end(booked_on=date(2026, 12, 31))[0] == date(2034, 1, 1)
    assert rules.voucher_retention_end(booked_on=date(2026, 1, 1))[0] == date(2034, 1, 1)
    assert rules.earliest_financial_year_due(date(2034, 1, 1)) == date(2027, 1, 1)


@pytest.fixture
def meetings(registry_demo: dict[str, Any], admin_user: Any) -> dict[str, Meeting]:
    forum = Forum.objects.create(
        district=registry_demo["0180-farsta"],
        name="Testforum",
        kind="general_questions",
        required_per_term=2,
    )

    def meeting(status: str) -> Meeting:
        made = Meeting.objects.create(
            forum=forum,
            held_on=date(2020, 3, 1),
            agenda="Läget i Farsta",
            minutes="Kalle Exempel, 15 år, nämndes",
            recorded_by=admin_user,
        )
        MeetingDecision.objects.create(
            meeting=made,
            text="Kontakta Kalles skola",
            owner=forum.district,
            due_date=date(2020, 4, 1),
            status=status,
        )
        Meeting.objects.filter(pk=made.pk).update(updated_at=_at(date(2020, 3, 2)))
        return made

    made = {"settled": meeting(DecisionStatus.DONE), "open": meeting(DecisionStatus.OPEN)}
    # A follow-up is written at one meeting about a decision of another: each is
    # personal data of both.
    settled, still_open = made["settled"], made["open"]
    DecisionFollowUp.objects.create(
        decision=settled.decisions.get(),
        meeting=still_open,
        status=DecisionStatus.DONE,
        note="Kalle har börjat i skolan",
    )
    DecisionFollowUp.objects.create(
        decision=still_open.decisions.get(),
        meeting=settled,
        status=DecisionStatus.OPEN,
        note="Kalles mamma ringer skolan",
    )
    return made


def test_the_free_text_of_minutes_goes_five_years_after_the_meeting(
    meetings: dict[str, Meeting],
) -> None:
    retention_apply(today=date(2025, 3, 1))
    settled = meetings["settled"]
    settled.refresh_from_db()
    assert settled.minutes

    retention_apply(today=date(2025, 3, 2))
    settled.refresh_from_db()
    assert (settled.agenda, settled.minutes) == ("", "")
    assert list(settled.decisions.values_list("text", flat=True)) == [""]
    # Both follow-ups: one written at the settled meeting, one about its decision.
    assert set(DecisionFollowUp.objects.values_list("note", flat=True)) == {""}
    # A decision still being worked on keeps its meeting's text.
    still_open = meetings["open"]
    still_open.refresh_from_db()
    assert still_open.minutes == "Kalle Exempel, 15 år, nämndes"
