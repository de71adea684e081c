"""The status function against the semantics of issue 3, day by day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.agreements.rules import (
    AgreementFacts,
    Reason,
    Terms,
    add_months,
    in_force_window,
    notice_last_day,
    status_on,
)

SINGLE_ENTRY = Terms(
    start_date=date(2024, 2, 1),
    end_date=date(2024, 12, 31),
    renewal_months=12,
    max_renewals=None,
    notice_months=3,
)
BOTH = {"0180": date(2024, 1, 20), "0182": date(2024, 1, 20)}


def facts(terms=SINGLE_ENTRY, decisions=None, notice=None, parties=("0180", "0182")):
    return AgreementFacts(
        terms=terms,
        parties=parties,
        decisions=BOTH if decisions is None else decisions,
        notice_given_on=notice,
    )


# --- unit tests per reason ---------------------------------------------------


def test_decisions_missing_names_the_parties():
    status = status_on(facts(decisions={"0180": date(2024, 1, 20)}), date(2026, 11, 25))
    assert not status.in_force
    assert status.reason == Reason.DECISIONS_MISSING
    assert status.missing_parties == ("0182",)
    assert status.last_day is None


def test_a_decision_dated_later_does_not_count_yet():
    status = status_on(facts(), date(2024, 1, 19))
    assert status.reason == Reason.DECISIONS_MISSING
    assert status.missing_parties == ("0180", "0182")


def test_not_started_between_decisions_and_start():
    status = status_on(facts(), date(2024, 1, 31))
    assert (status.in_force, status.reason) == (False, Reason.NOT_STARTED)
    assert status.in_force_from == date(2024, 2, 1)
    assert status.last_day is None


def test_in_force_first_and_last_day_of_initial_term():
    first = status_on(facts(), date(2024, 2, 1))
    assert (first.in_force, first.reason, first.renewal) == (True, Reason.IN_FORCE, 0)
    assert first.last_day == date(2024, 12, 31)
    last = status_on(facts(), date(2024, 12, 31))
    assert (last.renewal, last.last_day) == (0, date(2024, 12, 31))


def test_renewal_by_twelve_months_repeatedly():
    first_renewal = status_on(facts(), date(2025, 1, 1))
    assert (first_renewal.renewal, first_renewal.last_day) == (1, date(2025, 12, 31))
    later = status_on(facts(), date(2026, 11, 25))
    assert (later.in_force, later.renewal, later.last_day) == (True, 2, date(2026, 12, 31))
    assert later.in_force_from == date(2024, 2, 1)


def test_decision_after_start_puts_it_in_force_from_the_decision():
    late = facts(decisions={"0180": date(2024, 1, 20), "0182": date(2024, 3, 5)})
    assert status_on(late, date(2024, 3, 4)).reason == Reason.DECISIONS_MISSING
    status = status_on(late, date(2024, 3, 5))
    assert status.in_force and status.in_force_from == date(2024, 3, 5)


def test_notice_given_is_still_in_force_until_the_last_day():
    notice = facts(notice=date(2026, 3, 10))
    assert status_on(notice, date(2026, 3, 9)).reason == Reason.IN_FORCE
    status = status_on(notice, date(2026, 3, 10))
    assert (status.in_force, status.reason) == (True, Reason.NOTICE_GIVEN)
    assert status.last_day == date(2026, 6, 10)
    assert status_on(notice, date(2026, 6, 10)).in_force


def test_terminated_the_day_after_the_last_day():
    status = status_on(facts(notice=date(2026, 3, 10)), date(2026, 6, 11))
    assert (status.in_force, status.reason) == (False, Reason.TERMINATED)
    assert status.last_day == date(2026, 6, 10)


def test_notice_last_day_clamped_to_month_end():
    assert notice_last_day(SINGLE_ENTRY, date(2025, 11, 30)) == date(2026, 2, 28)
    assert notice_last_day(SINGLE_ENTRY, date(2027, 11, 30)) == date(2028, 2, 29)


def test_notice_runs_across_a_renewal():
    status = status_on(facts(notice=date(2025, 11, 15)), date(2026, 1, 10))
    assert (status.reason, status.renewal, status.last_day) == (
        Reason.NOTICE_GIVEN,
        2,
        date(2026, 2, 15),
    )


def test_expired_without_renewal():
    terms = Terms(start_date=date(2024, 2, 1), end_date=date(2024, 12, 31), notice_months=3)
    assert status_on(facts(terms), date(2024, 12, 31)).in_force
    status = status_on(facts(terms), date(2025, 1, 1))
    assert (status.in_force, status.reason, status.last_day) == (
        False,
        Reason.EXPIRED,
        date(2024, 12, 31),
    )


def test_notice_cannot_outlast_a_term_that_ends_without_renewal():
    terms = replace(SINGLE_ENTRY, max_renewals=1)
    notice = facts(terms, notice=date(2025, 11, 1))
    status = status_on(notice, date(2025, 11, 2))
    assert (status.reason, status.last_day) == (Reason.NOTICE_GIVEN, date(2025, 12, 31))
    after = status_on(notice, date(2026, 1, 1))
    assert (after.reason, after.last_day) == (Reason.EXPIRED, date(2025, 12, 31))


def test_open_ended_after_renewals():
    terms = Terms(
        start_date=date(2023, 1, 1),
        end_date=date(2023, 12, 31),
        renewal_months=12,
        max_renewals=1,
        open_ended_after_renewals=True,
        notice_months=6,
    )
    three = facts(
        terms,
        parties=("0180", "1480", "1280"),
        decisions={"0180": date(2022, 12, 1), "1480": date(2022, 12, 1), "1280": date(2022, 12, 1)},
    )
    assert status_on(three, date(2024, 6, 1)).last_day == date(2024, 12, 31)
    status = status_on(three, date(2030, 6, 1))
    assert status.in_force and status.last_day is None and status.renewal == 1


def test_in_force_window_of_the_single_entry_template():
    assert in_force_window(facts()) == (date(2024, 2, 1), None)
    assert in_force_window(facts(notice=date(2026, 3, 10))) == (date(2024, 2, 1), date(2026, 6, 10))
    assert in_force_window(facts(decisions={"0180": date(2024, 1, 20)})) is None


# --- property: agrees with a day-by-day simulation over ten years ------------


def ref_add_months(day: date, months: int) -> date:
    """Step month by month, then clamp: deliberately not the code under test."""
    year, month = day.year, day.month
    for _ in range(months):
        month += 1
        if month == 13:
            year, month = year + 1, 1
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (first_of_next - timedelta(days=1)).day))


def simulate_natural(terms: Terms, until: date):
    """Walk day by day: renewal index and term end per day; the day it expires."""
    timeline = {}
    index, term_end = 0, terms.end_date or date.max
    day = terms.start_date
    while day <= until:
        if day > term_end:
            remaining = terms.max_renewals is None or index < terms.max_renewals
            if terms.renewal_months and remaining:
                index += 1
                term_end = ref_add_months(terms.end_date, index * terms.renewal_months)
                continue
            if terms.renewal_months and terms.open_ended_after_renewals:
                term_end = date.max
                continue
            return timeline, term_end
        timeline[day] = (index, None if term_end == date.max else term_end)
        day += timedelta(days=1)
    return timeline, None


def reference(f: AgreementFacts, day: date, timeline, natural_final):
    terms = f.terms
    if f.notice_given_on is not None and f.notice_given_on <= day:
        by_notice = ref_add_months(f.notice_given_on, terms.notice_months)
        last = by_notice if natural_final is None else min(by_notice, natural_final)
        if day > last:
            return (False, "terminated" if last == by_notice else "expired", last, None)
    elif natural_final is not None and day > natural_final:
        return (False, "expired", natural_final, None)
    if any(f.decisions.get(p) is None or f.decisions[p] > day for p in f.parties):
        return (False, "decisions_missing", None, None)
    if day < terms.start_date:
        return (False, "not_started", None, None)
    index, term_end = timeline[day]
    if f.notice_given_on is not None and f.notice_given_on <= day:
        return (True, "notice_given", last, index)
    return (True, "in_force", term_end, index)


SPAN_START, SPAN_END = date(2023, 1, 1), date(2032, 12, 31)
days_in_span = st.dates(min_value=SPAN_START, max_value=SPAN_END)


@st.composite
def agreement_facts(draw):
    start = draw(st.dates(min_value=date(2022, 6, 1), max_value=date(2030, 12, 31)))
    end = draw(st.one_of(st.none(), st.integers(0, 800).map(lambda n: start + timedelta(n))))
    terms = Terms(
        start_date=start,
        end_date=end,
        renewal_months=draw(st.sampled_from([0, 1, 3, 6, 12, 24])),
        max_renewals=draw(st.one_of(st.none(), st.integers(0, 6))),
        notice_months=draw(st.integers(0, 13)),
        open_ended_after_renewals=draw(st.booleans()),
    )
    parties = ("0180", "0182", "0120")[: draw(st.integers(1, 3))]
    decisions = {
        p: d for p in parties if (d := draw(st.one_of(st.none(), days_in_span))) is not None
    }
    notice = draw(st.one_of(st.none(), days_in_span))
    return AgreementFacts(terms=terms, parties=parties, decisions=decisions, notice_given_on=notice)


@settings(max_examples=60, deadline=None)
@given(agreement_facts())
def test_status_agrees_with_day_by_day_simulation_for_ten_years(f):
    timeline, natural_final = simulate_natural(f.terms, date(2036, 12, 31))
    window = in_force_window(f)
    day = SPAN_START
    while day <= SPAN_END:
        status = status_on(f, day)
        expected = reference(f, day, timeline, natural_final)
        got = (status.in_force, status.reason.value, status.last_day, status.renewal)
        assert got == expected, day
        in_window = (
            window is not None and window[0] <= day and (window[1] is None or day <= window[1])
        )
        assert status.in_force == in_window, day
        day += timedelta(days=1)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 400))
def test_add_months_matches_stepping(day, months):
    assert add_months(day, months) == ref_add_months(day, months)
