"""What each party sees by basis, and the age limit of 10 kap. 18 a § OSL (pure rules)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from samverkan.core.identity import age_on
from samverkan.homecoming import rules
from samverkan.homecoming.rules import Party, Section


def test_district_sees_everything_whatever_the_basis():
    for basis in (rules.BASIS_NONE, rules.BASIS_CONSENT, rules.BASIS_OSL):
        assert rules.sections_for(Party.DISTRICT, basis) == rules.ALL_SECTIONS


def test_police_under_osl_see_only_what_prevents_continued_crime():
    assert rules.sections_for(Party.POLICE, rules.BASIS_OSL) == {
        Section.IDENTITY,
        Section.RELEASE,
        Section.CONCRETE_RISK,
        Section.OWN_ACTIONS,
        Section.CONTACTS,
    }


def test_police_with_consent_see_all_but_the_documentation_of_the_basis():
    assert rules.sections_for(Party.POLICE, rules.BASIS_CONSENT) == (
        rules.ALL_SECTIONS - {Section.BASIS_NOTE}
    )


def test_without_basis_police_and_school_see_nothing():
    assert rules.sections_for(Party.POLICE, rules.BASIS_NONE) == frozenset()
    assert rules.sections_for(Party.SCHOOL, rules.BASIS_NONE) == frozenset()
    # 18 a § lets social services disclose to the police, not to a school.
    assert rules.sections_for(Party.SCHOOL, rules.BASIS_OSL) == frozenset()
    assert Section.RISK_ASSESSMENT not in rules.sections_for(Party.SCHOOL, rules.BASIS_CONSENT)


def test_osl_basis_lapses_on_the_21st_birthday():
    born = date(2005, 6, 10)
    assert rules.effective_basis(rules.BASIS_OSL, born, date(2026, 6, 9)) == rules.BASIS_OSL
    assert rules.effective_basis(rules.BASIS_OSL, born, date(2026, 6, 10)) == rules.BASIS_NONE
    assert rules.effective_basis(rules.BASIS_CONSENT, born, date(2030, 1, 1)) == rules.BASIS_CONSENT


@pytest.mark.parametrize("start", [date(2025, 2, 20), date(2028, 2, 20), date(2026, 12, 25)])
def test_queryset_cutoff_agrees_with_age_on(start):
    """`twenty_one_cutoff` (used in SQL) says the same as `age_on`, leap days included."""
    for offset in range(20):
        day = start + timedelta(days=offset)
        cutoff = rules.twenty_one_cutoff(day)
        for born in (cutoff - timedelta(days=1), cutoff, cutoff + timedelta(days=1)):
            assert (born > cutoff) == (age_on(born, day) < 21), (day, born)
    leap_born = date(2004, 2, 29)
    assert age_on(leap_born, date(2025, 2, 28)) == 21
    assert not leap_born > rules.twenty_one_cutoff(date(2025, 2, 28))
