"""Eligibility, routing and deadlines (issue 4 "Rules"): every reason, both sides of every edge."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.intake.rules import Reason, ReportFacts, decide, is_open
from samverkan.intake.tests.testdata import (
    COUNTY,
    NACKA_CHILD_FACTS,
    OFFICE,
    SE,
    at,
    make_person_id,
    snapshot,
)

LATE = time(20, 0)


def facts(**overrides) -> ReportFacts:
    base = ReportFacts(**NACKA_CHILD_FACTS, received_at=at("2026-11-24T02:10"))
    return replace(base, **overrides)


def test_issue_example_nacka_child_found_in_solna_at_night():
    decision = decide(facts(), snapshot(), late_from=LATE)
    assert decision.as_json() == {
        "eligible": True,
        "reasons": [],
        "responsible_municipality": "0182",
        "responsible_district": None,
        "office_hours": False,
        "receiving_unit": {
            "name": "Socialjour Sydost",
            "kind": "out_of_hours",
            "phone": "08-465 004 01",
            "covers": ["0182", "0120", "0138"],
        },
        "received_at": "2026-11-24T02:10:00+01:00",
        "protection_assessment_due": "2026-11-24T23:59:59+01:00",
        "preliminary_assessment_due": "2026-12-08",
        "numbers": [
            {
                "number": "08-465 004 01",
                "label": "Dygnet runt",
                "unit": "Socialjour Sydost",
                "answers_now": True,
            },
            {
                "number": "08-465 004 10",
                "label": "Kontorstid",
                "unit": "Mottagningen Nacka",
                "answers_now": False,
            },
        ],
    }
    assert decision.responsible_organisation == "0182"
    assert decision.person_id == "201205152380"
    assert "Socialjour Sydost" in decision.advice


# --- each reason ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"person_id": "201205152381"}, Reason.INVALID_PERSON_ID),
        ({"person_id": "20120515238"}, Reason.INVALID_PERSON_ID),
        ({"person_id": None, "birth_date": None}, Reason.INVALID_PERSON_ID),
        ({"person_id": make_person_id(date(2000, 1, 1))}, Reason.AGE_18_OR_OVER),
        ({"found_in": "1480"}, Reason.FOUND_OUTSIDE_COUNTY),
        ({"gang_related": False}, Reason.NOT_GANG_RELATED),
        ({"home_municipality": None}, Reason.HOME_MUNICIPALITY_UNKNOWN),
        ({"home_municipality": "0188"}, Reason.NO_AGREEMENT_IN_FORCE),
        ({"home_municipality": "1480"}, Reason.NO_AGREEMENT_IN_FORCE),
    ],
)
def test_each_failed_condition_names_its_reason(overrides, reason):
    decision = decide(facts(**overrides), snapshot(), late_from=LATE)
    assert decision.reasons == (reason,)
    assert decision.eligible is False
    assert "Spara inga personuppgifter" in decision.advice


def test_all_failing_reasons_are_listed_together():
    decision = decide(
        facts(
            person_id=make_person_id(date(1990, 3, 3)),
            found_in="1280",
            gang_related=False,
            home_municipality="0188",
        ),
        snapshot(),
        late_from=LATE,
    )
    assert decision.reasons == (
        Reason.AGE_18_OR_OVER,
        Reason.FOUND_OUTSIDE_COUNTY,
        Reason.NOT_GANG_RELATED,
        Reason.NO_AGREEMENT_IN_FORCE,
    )
    both = decide(facts(person_id="123", home_municipality=None), snapshot(), late_from=LATE)
    assert both.reasons == (Reason.INVALID_PERSON_ID, Reason.HOME_MUNICIPALITY_UNKNOWN)


def test_no_agreement_gives_that_municipalitys_own_number():
    decision = decide(
        facts(home_municipality="0188", received_at=at("2026-11-24T10:00")),
        snapshot(),
        late_from=LATE,
    )
    assert decision.responsible_municipality == "0188"
    assert decision.receiving_unit is not None
    assert decision.receiving_unit.name == "Mottagningen Norrtälje"
    assert "Norrtälje har inget avtal" in decision.advice
    assert "08-465 004 10" in decision.advice


def test_home_unknown_makes_the_municipality_of_stay_responsible_but_not_eligible():
    decision = decide(facts(home_municipality=None), snapshot(), late_from=LATE)
    assert decision.eligible is False
    assert decision.responsible_municipality == "0184"
    assert decision.receiving_unit is not None
    assert decision.receiving_unit.name == "Socialjour Nordväst"
    assert "Vistelsekommunen" in decision.advice


def test_stockholm_needs_no_agreement_and_routes_to_the_district():
    decision = decide(
        facts(
            home_municipality="0180",
            home_district="Farsta",
            received_at=at("2026-11-24T09:00"),
        ),
        snapshot(agreements=set()),
        late_from=LATE,
    )
    assert decision.eligible is True
    assert decision.responsible_municipality == "0180"
    assert decision.responsible_district == "Farsta"
    assert decision.responsible_organisation == "0180-farsta"
    assert decision.receiving_unit is not None
    assert decision.receiving_unit.name == "Mottagningen Farsta"
    assert decision.office_hours is True


def test_stockholm_district_at_night_goes_to_the_hub():
    decision = decide(
        facts(home_municipality="0180", home_district="Farsta"), snapshot(), late_from=LATE
    )
    assert decision.receiving_unit is not None
    assert decision.receiving_unit.name == "Socialjouren Stockholm"
    assert decision.office_hours is False


def test_estimated_birth_date_is_used_for_unknown_identity():
    young = decide(facts(person_id=None, birth_date=date(2011, 1, 1)), snapshot(), late_from=LATE)
    assert young.eligible and young.age == 15
    old = decide(facts(person_id=None, birth_date=date(2005, 1, 1)), snapshot(), late_from=LATE)
    assert old.reasons == (Reason.AGE_18_OR_OVER,)


def test_coordination_number_is_accepted():
    body = "1205752380"  # day 15 + 60 = 75, born 2012-05-15
    from stdnum import luhn

    number = "20" + body[:9] + luhn.calc_check_digit(body[:9])
    decision = decide(facts(person_id=number), snapshot(), late_from=LATE)
    assert decision.eligible and decision.birth_date == date(2012, 5, 15)


def test_ten_digit_number_with_separator():
    decision = decide(facts(person_id="120515-2380"), snapshot(), late_from=LATE)
    assert decision.eligible and decision.person_id == "201205152380"


def test_naive_instant_is_refused():
    with pytest.raises(ValueError):
        decide(facts(received_at=datetime(2026, 11, 24, 2, 10)), snapshot(), late_from=LATE)


# --- boundaries: the 18th birthday vs the Swedish date of receipt -------------


@pytest.mark.parametrize(
    ("received", "eligible"),
    [
        ("2026-05-14T23:59:59", True),  # the day before the 18th birthday
        ("2026-05-15T00:00:00", False),  # the birthday itself
    ],
)
def test_eighteenth_birthday_in_swedish_time(received, eligible):
    number = make_person_id(date(2008, 5, 15))
    decision = decide(facts(person_id=number, received_at=at(received)), snapshot(), late_from=LATE)
    assert decision.eligible is eligible


def test_eighteenth_birthday_uses_swedish_date_not_utc():
    number = make_person_id(date(2008, 5, 15))
    # 22:30 UTC on 14 May is 00:30 on 15 May in Stockholm (summer time): already 18.
    instant = datetime(2026, 5, 14, 22, 30, tzinfo=UTC)
    decision = decide(facts(person_id=number, received_at=instant), snapshot(), late_from=LATE)
    assert decision.reasons == (Reason.AGE_18_OR_OVER,)


# --- boundaries: office hours ----------------------------------------------------


@pytest.mark.parametrize(
    ("received", "office_hours", "unit"),
    [
        ("2026-11-24T07:59:59", False, "Socialjour Sydost"),
        ("2026-11-24T08:00:00", True, "Mottagningen Nacka"),
        ("2026-11-24T16:29:59", True, "Mottagningen Nacka"),
        ("2026-11-24T16:30:00", False, "Socialjour Sydost"),
        ("2026-11-28T10:00:00", False, "Socialjour Sydost"),  # Saturday
        ("2026-12-24T10:00:00", False, "Socialjour Sydost"),  # Christmas Eve (Thursday)
        ("2026-12-31T10:00:00", False, "Socialjour Sydost"),  # New Year's Eve
        ("2026-06-19T10:00:00", False, "Socialjour Sydost"),  # Midsummer Eve
        ("2026-06-18T10:00:00", True, "Mottagningen Nacka"),  # the day before
        ("2026-01-06T10:00:00", False, "Socialjour Sydost"),  # Epiphany (Tuesday)
        ("2026-04-03T10:00:00", False, "Socialjour Sydost"),  # Good Friday
        ("2026-12-23T16:29:00", True, "Mottagningen Nacka"),
    ],
)
def test_office_hours_edges_holidays_and_eves(received, office_hours, unit):
    decision = decide(facts(received_at=at(received)), snapshot(), late_from=LATE)
    assert decision.office_hours is office_hours
    assert decision.receiving_unit is not None
    assert decision.receiving_unit.name == unit


def test_office_hours_on_dst_change_days():
    # 2026-03-30 Monday after spring forward; 2026-10-26 Monday after fall back.
    for day in ("2026-03-30", "2026-10-26"):
        assert is_open(OFFICE, at(f"{day}T08:00"), open_24_7=False)
        assert not is_open(OFFICE, at(f"{day}T07:59:59"), open_24_7=False)
    # 07:00 UTC is 08:00 in winter (open) and 09:00 in summer (open); 06:30 UTC is
    # 07:30 in winter (closed) but 08:30 in summer (open).
    assert not is_open(OFFICE, datetime(2026, 10, 26, 6, 30, tzinfo=UTC), open_24_7=False)
    assert is_open(OFFICE, datetime(2026, 3, 30, 6, 30, tzinfo=UTC), open_24_7=False)


# --- deadlines ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "protection_due"),
    [
        ("2026-11-24T19:59:59", "2026-11-24T23:59:59+01:00"),
        ("2026-11-24T20:00:00", "2026-11-25T23:59:59+01:00"),  # late report: next day
        ("2026-11-24T00:00:00", "2026-11-24T23:59:59+01:00"),
        # DST nights: the due time is 23:59:59 local with the right offset.
        ("2026-03-28T21:00:00", "2026-03-29T23:59:59+02:00"),
        ("2026-03-29T03:30:00", "2026-03-29T23:59:59+02:00"),
        ("2026-10-24T22:00:00", "2026-10-25T23:59:59+01:00"),
        ("2026-10-25T02:30:00", "2026-10-25T23:59:59+01:00"),
    ],
)
def test_protection_assessment_due(received, protection_due):
    decision = decide(facts(received_at=at(received)), snapshot(), late_from=LATE)
    assert decision.as_json()["protection_assessment_due"] == protection_due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-11-24T02:10", "2026-12-08"),  # Tuesday → Tuesday
        ("2026-11-28T12:00", "2026-12-14"),  # +14 = Saturday 12 Dec → Monday 14 Dec
        ("2026-12-10T12:00", "2026-12-28"),  # +14 = Christmas Eve → 25, 26, 27 → Mon 28
        ("2026-12-17T12:00", "2027-01-04"),  # +14 = New Year's Eve → 1 Jan, weekend → 4 Jan
        ("2026-06-05T12:00", "2026-06-22"),  # +14 = Midsummer Eve 19 Jun → Monday 22 Jun
        ("2026-11-24T23:30", "2026-12-08"),  # Swedish date, not UTC
    ],
)
def test_preliminary_assessment_due_rolls_to_next_working_day(received, due):
    decision = decide(facts(received_at=at(received)), snapshot(), late_from=LATE)
    assert decision.as_json()["preliminary_assessment_due"] == due


def test_preliminary_due_uses_swedish_date_of_a_utc_instant():
    # 23:30 UTC on 23 Nov is 00:30 on 24 Nov in Stockholm.
    instant = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    decision = decide(facts(received_at=instant), snapshot(), late_from=LATE)
    assert decision.preliminary_assessment_due == date(2026, 12, 8)
    assert decision.as_json()["received_at"] == "2026-11-24T00:30:00+01:00"


# --- agreement in force: first and last day ---------------------------------------
# The rules take the set of municipalities in force at the instant (agreements'
# selector answers per Swedish date); the edge is that set changing at midnight.


def test_agreement_edges_follow_the_snapshot():
    assert decide(facts(), snapshot(agreements={"0182"}), late_from=LATE).eligible
    assert decide(facts(), snapshot(agreements=set()), late_from=LATE).reasons == (
        Reason.NO_AGREEMENT_IN_FORCE,
    )


# --- properties ----------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(
    received=instants,
    found_in=st.sampled_from(COUNTY + ["1480", "1280"]),
    home=st.one_of(st.none(), st.sampled_from(COUNTY + ["1480"])),
    gang=st.booleans(),
    born=st.dates(min_value=date(1995, 1, 1), max_value=date(2019, 12, 31)),
)
def test_properties(received, found_in, home, gang, born):
    f = facts(
        person_id=make_person_id(born),
        found_in=found_in,
        home_municipality=home,
        home_district="Farsta" if home == "0180" else None,
        gang_related=gang,
        received_at=received,
    )
    decision = decide(f, snapshot(), late_from=LATE)
    # eligible exactly when no reason, reasons unique and in canonical order
    assert decision.eligible == (decision.reasons == ())
    assert list(decision.reasons) == [r for r in Reason.ALL if r in decision.reasons]
    # who is responsible is always known
    assert decision.responsible_municipality == (home or found_in)
    # deadlines: protection on the day or the next; preliminary ≥ 14 days, a working day
    local = received.astimezone(SE)
    due = decision.protection_assessment_due.astimezone(SE)
    assert due.date() - local.date() in (timedelta(0), timedelta(days=1))
    assert due > received
    prelim = decision.preliminary_assessment_due
    assert timedelta(days=14) <= prelim - local.date() <= timedelta(days=19)
    assert prelim.weekday() < 5
    # a receiving unit always answers, and it is the intake unit exactly in office hours
    assert decision.receiving_unit is not None
    assert (decision.receiving_unit.kind == "intake") == decision.office_hours
    # age rule agrees with a plain computation on the Swedish date
    d = local.date()
    age = d.year - born.year - ((d.month, d.day) < (born.month, born.day))
    if born <= d:
        assert (Reason.AGE_18_OR_OVER in decision.reasons) == (age >= 18)


def test_leap_day_child_turns_18_on_28_february():
    number = make_person_id(date(2008, 2, 29))
    before = decide(
        facts(person_id=number, received_at=at("2026-02-27T23:59")), snapshot(), late_from=LATE
    )
    on = decide(
        facts(person_id=number, received_at=at("2026-02-28T00:00")), snapshot(), late_from=LATE
    )
    assert before.eligible and on.reasons == (Reason.AGE_18_OR_OVER,)
