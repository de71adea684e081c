"""The retention rules per record type (SoL 2025:400 16 kap. 1, 2 a §§), pure."""

from __future__ import annotations

from datetime import date, timedelta

from samverkan.retention import rules
from samverkan.retention.rules import Rule


def test_five_years_after_the_last_entry_for_a_report_without_investigation() -> None:
    end, rule = rules.concern_report_retention_end(
        last_entry=date(2026, 12, 14), birth_date=date(2010, 1, 1), child_investigation=False
    )
    assert (end, rule) == (date(2031, 12, 14), Rule.FIVE_YEARS_AFTER_LAST_ENTRY)
    assert not rules.is_due(end, date(2031, 12, 13))
    assert rules.is_due(end, date(2031, 12, 14))


def test_child_investigation_kept_until_the_child_turns_30() -> None:
    end, rule = rules.concern_report_retention_end(
        last_entry=date(2026, 12, 14), birth_date=date(2010, 3, 5), child_investigation=True
    )
    assert (end, rule) == (date(2040, 3, 5), Rule.CHILD_INVESTIGATION_UNTIL_30)


def test_child_investigation_never_shorter_than_five_years_after_last_entry() -> None:
    # A 29-year-old's old investigation record touched last year: five years win.
    end, rule = rules.concern_report_retention_end(
        last_entry=date(2030, 6, 1), birth_date=date(2001, 1, 1), child_investigation=True
    )
    assert (end, rule) == (date(2035, 6, 1), Rule.CHILD_INVESTIGATION_UNTIL_30)


def test_leap_day() -> None:
    assert rules.add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert rules.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    end, _ = rules.concern_report_retention_end(
        last_entry=date(2020, 1, 1), birth_date=date(2012, 2, 29), child_investigation=True
    )
    assert end == date(2042, 2, 28)


def test_other_record_types_five_years() -> None:
    day = date(2027, 5, 31)
    assert rules.defector_assignment_retention_end(last_entry=day)[0] == date(2032, 5, 31)
    assert rules.serious_talk_retention_end(held_on=day)[0] == date(2032, 5, 31)
    assert rules.anonymous_consultation_retention_end(last_entry=day)[0] == date(2032, 5, 31)


def test_the_narrowing_filter_never_leaves_out_a_due_record() -> None:
    """Whenever five years after `last` is due on `today`, `last` is before the filter's bound."""
    start = date(2027, 1, 1)
    for offset in range(0, 3 * 366, 7):
        today = start + timedelta(days=offset)
        bound = rules.earliest_last_entry_due(today)
        for back in range(5 * 365 - 5, 5 * 365 + 5):
            last = today - timedelta(days=back)
            if rules.is_due(rules.five_years_after(last), today):
                assert last < bound
    # and for leap days
    for today in (date(2028, 2, 29), date(2028, 3, 1), date(2029, 2, 28), date(2029, 3, 1)):
        bound = rules.earliest_last_entry_due(today)
        for back in range(1800, 1850):
            last = today - timedelta(days=back)
            if rules.is_due(rules.five_years_after(last), today):
                assert last < bound


def test_coarse_birth_date_keeps_the_year_only() -> None:
    assert rules.coarse_birth_date(date(2010, 8, 17)) == date(2010, 1, 1)
