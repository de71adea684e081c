"""A count exactly at the suppression threshold is published; one below it is not.

The rule is "< 5 is hidden" (STATISTICS_SUPPRESSION_THRESHOLD): nothing tested
the boundary itself, so `<=` in place of `<` — five cases hidden, or four
shown — passed the suite (issue 17, point 11).
"""

from __future__ import annotations

from typing import Any

from samverkan.followup import stats


def test_five_is_shown_and_four_is_hidden_at_the_default_threshold() -> None:
    assert stats.threshold() == 5
    assert stats.suppress_count(5).text() == "5"
    assert not stats.suppress_count(5).hidden
    assert stats.suppress_count(4).text() == "<5"
    assert stats.suppress_count(4).public_value() is None


def test_the_boundary_follows_the_configured_threshold(settings: Any) -> None:
    settings.STATISTICS_SUPPRESSION_THRESHOLD = 3
    assert stats.suppress_count(3).text() == "3"
    assert stats.suppress_count(2).text() == "<3"


def test_in_a_column_a_five_is_published_and_a_four_is_not() -> None:
    shown, _total = stats.suppress_list([5, 5])
    assert [cell.text() for cell in shown] == ["5", "5"]
    cells, _total = stats.suppress_list([4, 6])
    assert cells[0].hidden and cells[0].public_value() is None
