"""Pure rules: school terms, compliance across terms, the personal-data guard, trends."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.collaboration import rules
from samverkan.collaboration.panels import compliance_text
from samverkan.collaboration.rules import MeetingFacts, Term

UNIT, POLICE = "unit_manager", "police_youth_coordinator"


def meeting(day: date, *functions: str, held: bool = True) -> MeetingFacts:
    return MeetingFacts(held_on=day, held=held, functions=frozenset(functions))


def test_terms_are_the_calendar_halves():
    assert rules.term_of(date(2026, 6, 30)) == Term(2026, autumn=False)
    assert rules.term_of(date(2026, 7, 1)) == Term(2026, autumn=True)
    assert rules.term_of(date(2026, 12, 31)).key == "2026-HT"
    assert rules.term_of(date(2027, 1, 1)).label == "VT 2027"
    assert Term(2026, True).previous() == Term(2026, False)
    assert Term(2026, False).previous() == Term(2025, True)
    assert [t.key for t in rules.terms_between(date(2025, 12, 1), date(2026, 8, 1))] == [
        "2025-HT",
        "2026-VT",
        "2026-HT",
    ]
    assert Term.from_key("2026-ht") == Term(2026, True)
    with pytest.raises(ValueError):
        Term.from_key("hösten 2026")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_is_in_exactly_one_term(day):
    term = rules.term_of(day)
    assert term.contains(day)
    assert not term.previous().contains(day) and not term.next().contains(day)


def test_compliance_counts_each_meeting_in_its_own_term():
    meetings = [
        meeting(date(2026, 2, 10), UNIT, POLICE),
        meeting(date(2026, 4, 10), UNIT, POLICE),
        meeting(date(2026, 6, 30), UNIT, POLICE),  # last day of the spring term
        meeting(date(2026, 7, 1), UNIT),  # first day of the autumn term
        meeting(date(2026, 9, 15), UNIT, POLICE),
        meeting(date(2026, 10, 1), UNIT, POLICE, held=False),  # cancelled: does not count
        meeting(date(2026, 12, 10), held=False),  # planned, still ahead
    ]
    spring, autumn = rules.compliance_across_terms(
        [Term(2026, False), Term(2026, True)],
        required_per_term=3,
        required_functions=[UNIT, POLICE],
        meetings=meetings,
        today=date(2026, 11, 25),
    )
    assert (spring.held, spring.required, spring.state) == (3, 3, "ok")
    assert spring.met and spring.finished
    assert (autumn.held, autumn.planned, autumn.missing_meetings) == (2, 1, 1)
    assert not autumn.meetings_met and autumn.state == "behind"
    police = next(f for f in autumn.functions if f.function == POLICE)
    assert (police.present, police.held, police.complete) == (1, 2, False)
    assert not autumn.functions_met


def test_a_finished_term_short_of_meetings_has_failed():
    (row,) = rules.compliance_across_terms(
        [Term(2025, True)],
        required_per_term=3,
        required_functions=[UNIT],
        meetings=[meeting(date(2025, 9, 1), UNIT)],
        today=date(2026, 1, 10),
    )
    assert row.state == "failed"


def test_functions_present_at_every_meeting_but_too_few_meetings_is_not_met():
    (row,) = rules.compliance_across_terms(
        [Term(2026, False)],
        required_per_term=2,
        required_functions=[UNIT],
        meetings=[meeting(date(2026, 3, 1), UNIT)],
        today=date(2026, 3, 2),
    )
    assert row.functions_met and not row.meetings_met and row.state == "behind"


def test_trend():
    assert rules.trend(10.0, 12.0, higher_is_better=True) == "up"
    assert rules.trend_is_good("up", higher_is_better=False) is False
    assert rules.trend(None, 3.0, higher_is_better=True) == ""
    assert rules.share(1, 3) == 33.3 and rules.share(0, 0) is None
    assert rules.median_days([0, 1, 3]) == 1.0


def test_meeting_compliance_reads_right_in_the_start_page_panel():
    """Never "4 av 3 möten": a met count says how many were held against the requirement."""
    assert compliance_text("Forum", 1, 3, "HT 2026") == "Forum: 1 av 3 möten hållna HT 2026"
    assert compliance_text("Forum", 0, 1, "HT 2026") == "Forum: 0 av 1 möte hållet HT 2026"
    assert compliance_text("Forum", 4, 3, "HT 2026") == "Forum: 4 möten hållna (krav 3) HT 2026"
    assert compliance_text("Forum", 1, 1, "HT 2026") == "Forum: 1 möte hållet (krav 1) HT 2026"
