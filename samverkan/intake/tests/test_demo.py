"""Demo reports: idempotent, in several states, only Skatteverket test identity numbers."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum import luhn

from samverkan.intake.demo import DEMO_REPORTS, demo_person_id, load_demo
from samverkan.intake.models import ConcernReport, NotEligibleRecord

pytestmark = pytest.mark.django_db


def test_demo_person_ids_are_skatteverket_test_numbers():
    assert demo_person_id(date(2012, 5, 15)) == "201205152380"  # the example
    for spec in DEMO_REPORTS:
        number = spec.data.person_id
        if number is None:
            continue
        assert len(number) == 12 and number[8:11] in {"238", "239"}
        assert luhn.is_valid(number[2:])


def test_load_demo_is_idempotent_and_covers_the_states(
    hub_worker, nacka_receiver, farsta_receiver, intake_registry
):
    load_demo()
    load_demo()
    reports = ConcernReport.objects.filter(police_reference__startswith="DEMO-")
    assert reports.count() == len([s for s in DEMO_REPORTS if s.state != "not_eligible"])
    assert NotEligibleRecord.objects.count() == 1
    statuses = set(reports.values_list("status", flat=True))
    assert statuses == {"received", "handed_over", "accepted"}
    assert reports.filter(protection_assessed_at__isnull=False).count() == 2
    assert reports.filter(preliminary_decided_on__isnull=False).count() == 1
    assert reports.filter(controller__code="0180-farsta").exists()


def test_open_data_of_the_demo_is_not_empty_and_is_suppressed(
    hub_worker, nacka_receiver, farsta_receiver, intake_registry
):
    """Issue 20: the demo's history covers completed quarters, so open data shows figures."""
    from django.utils import timezone

    from samverkan.followup.open_data import open_statistics

    load_demo()
    load_demo()  # idempotent: the history is not doubled
    statistics = open_statistics(now=timezone.now())
    last = statistics.quarters[-1]
    code = f"{last.first.year}-K{(last.first.month - 1) // 3 + 1}"
    rows = {r.municipality_code: r for r in statistics.rows if r.quarter == code}
    assert rows, "no open data for the last completed quarter"
    assert [c.text(5) for c in rows["0182"].cells][0] == "8"
    assert rows["0184"].cells[0].text(5) == "<5"  # Solna's 3 reports
    county = next(r for r in statistics.rows if r.quarter == code and not r.municipality_code)
    assert county.cells[0].value == 17
