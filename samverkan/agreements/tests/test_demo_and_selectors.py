from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from samverkan.agreements.models import Agreement, TerminationNotification
from samverkan.agreements.rules import Reason
from samverkan.agreements.selectors import (
    agreement_status_at,
    single_entry_municipalities_in_force,
)
from samverkan.core.calendar import STOCKHOLM

pytestmark = pytest.mark.django_db

COUNTY = {
    "0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128", "0136", "0138",
    "0139", "0140", "0160", "0162", "0163", "0181", "0182", "0183", "0184", "0186", "0187",
    "0188", "0191", "0192",
}  # fmt: skip


def single_entry(code):
    return Agreement.objects.get(reference=f"SN-ROC-{code}")


def test_demo_is_idempotent(demo):
    from samverkan.agreements.demo import load_demo

    count = Agreement.objects.count()
    load_demo()
    assert Agreement.objects.count() == count == 24 + 1


def test_single_entry_in_force_today_matches_the_demo_data(demo):
    in_force = single_entry_municipalities_in_force(date(2026, 11, 25))
    assert in_force == COUNTY - {"0188", "0192", "0120", "0191"}


def test_values_either_side_of_the_boundaries(demo):
    assert "0182" not in single_entry_municipalities_in_force(date(2024, 1, 31))
    assert "0182" in single_entry_municipalities_in_force(date(2024, 2, 1))
    assert "0120" in single_entry_municipalities_in_force(date(2026, 6, 10))
    assert "0120" not in single_entry_municipalities_in_force(date(2026, 6, 11))
    assert "0191" not in single_entry_municipalities_in_force(date(2026, 11, 30))
    assert "0191" in single_entry_municipalities_in_force(date(2026, 12, 1))
    assert "0191" in single_entry_municipalities_in_force(date(2027, 1, 1))


def test_status_at_an_instant_uses_the_swedish_date(demo):
    varmdo = single_entry("0120")
    # 2026-06-10 22:30 UTC is already 2026-06-11 in Stockholm: terminated.
    late = datetime(2026, 6, 10, 22, 30, tzinfo=STOCKHOLM).astimezone(STOCKHOLM)
    assert agreement_status_at(varmdo, late).reason == Reason.NOTICE_GIVEN
    utc_evening = datetime.fromisoformat("2026-06-10T22:30:00+00:00")
    status = agreement_status_at(varmdo, utc_evening)
    assert (status.in_force, status.reason) == (False, Reason.TERMINATED)


def test_demo_statuses_name_the_reason(demo):
    at = datetime(2026, 11, 25, 12, 0, tzinfo=STOCKHOLM)
    nynashamn = agreement_status_at(single_entry("0192"), at)
    assert nynashamn.reason == Reason.DECISIONS_MISSING
    assert nynashamn.missing_parties == ("0192",)
    assert agreement_status_at(single_entry("0191"), at).reason == Reason.NOT_STARTED
    nacka = agreement_status_at(single_entry("0182"), at)
    assert (nacka.reason, nacka.renewal, nacka.last_day) == (
        Reason.IN_FORCE,
        2,
        date(2026, 12, 31),
    )
    defectors = agreement_status_at(Agreement.objects.get(reference="AVH-2023-1"), at)
    assert defectors.in_force and defectors.last_day is None


def test_varmdo_notice_created_the_roc_notification(demo):
    task = TerminationNotification.objects.get(agreement=single_entry("0120"))
    assert task.recipient.code == "polisen-roc"
    assert task.notice.last_day == date(2026, 6, 10)
    assert task.acknowledged_at is not None


def test_selector_is_one_query(demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        single_entry_municipalities_in_force(date(2026, 11, 25))


@time_machine.travel(datetime(2026, 11, 25, 9, 0, tzinfo=STOCKHOLM))
def test_stored_window_agrees_with_status_every_day(demo):
    from datetime import timedelta

    from samverkan.agreements.selectors import agreement_status_on, with_events

    agreements = list(with_events(Agreement.objects.filter(type__code="single_entry")))
    day = date(2024, 1, 1)
    while day <= date(2028, 1, 1):
        expected = {
            a.parties.all()[1].organisation.code
            for a in agreements
            if agreement_status_on(a, day).in_force
        }
        if day.day in (1, 10, 11, 30, 31):
            assert single_entry_municipalities_in_force(day) == expected, day
        day += timedelta(days=1)
