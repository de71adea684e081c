"""Percentiles and suppression against hand-computed values and crafted small tables."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.followup import stats
from samverkan.followup.periods import InvalidPeriod, custom_period, period_containing, shift
from samverkan.followup.stats import PRIMARY, SECONDARY


def test_median_odd_and_even() -> None:
    assert stats.median([7, 1, 3]) == 3
    assert stats.median([4, 1, 3, 2]) == 2.5  # (2 + 3) / 2
    assert stats.median([timedelta(minutes=10), timedelta(minutes=20)]) == timedelta(minutes=15)
    assert stats.median([]) is None


def test_nearest_rank_percentile_by_hand() -> None:
    values = [15, 20, 35, 40, 50]
    # p30: ⌈0.3·5⌉ = 2 → 20; p40: ⌈2.0⌉ = 2 → 20; p50: ⌈2.5⌉ = 3 → 35; p100 → 50
    assert stats.percentile(values, 30) == 20
    assert stats.percentile(values, 40) == 20
    assert stats.percentile(values, 50) == 35
    assert stats.percentile(values, 100) == 50
    # p90 of 1..10: ⌈9.0⌉ = 9 (not 10: no floating-point 9.000000000000002)
    assert stats.percentile(range(1, 11), 90) == 9
    # p90 of 1..11: ⌈9.9⌉ = 10
    assert stats.percentile(range(1, 12), 90) == 10
    assert stats.percentile([42], 90) == 42
    assert stats.percentile([], 90) is None


def test_ranks() -> None:
    assert stats.median_ranks(5) == (3, 3)
    assert stats.median_ranks(6) == (3, 4)
    assert stats.rank_for_percentile(6, 90) == 6
    assert stats.rank_for_percentile(1, 1) == 1
    with pytest.raises(ValueError):
        stats.rank_for_percentile(0, 90)


@given(st.lists(st.integers(-1000, 1000), min_size=1), st.integers(1, 100))
def test_percentile_is_an_observed_value_with_enough_below(values: list[int], p: int) -> None:
    result = stats.percentile(values, p)
    assert result in values
    at_or_below = sum(1 for v in values if v <= result)
    assert at_or_below / len(values) >= p / 100


def test_primary_suppression_of_a_list() -> None:
    cells, total = stats.suppress_list([12, 0, 7], limit=5)
    assert [c.value for c in cells] == [12, 0, 7]
    assert not any(c.hidden for c in cells) and not total.hidden
    assert cells[1].text(5) == "0"  # zero is a real zero


def test_secondary_suppression_of_a_list() -> None:
    # 3 is primary; the total 30 would give 30 − 12 − 15 = 3, so the next smallest (12) goes.
    cells, total = stats.suppress_list([12, 3, 15], limit=5)
    assert [c.suppressed for c in cells] == [SECONDARY, PRIMARY, ""]
    assert total.value == 30 and not total.hidden
    assert [c.text(5) for c in cells] == ["–", "<5", "15"]


def test_two_primary_cells_need_no_secondary() -> None:
    cells, total = stats.suppress_list([2, 3, 15], limit=5)
    assert [c.suppressed for c in cells] == [PRIMARY, PRIMARY, ""]
    assert not total.hidden


def test_secondary_suppression_in_two_dimensions() -> None:
    # rows: municipalities; columns: eligible, not eligible
    #        A: 10  2 | 12
    #        B:  8  9 | 17
    #        C: 20 30 | 50
    #       --------------
    #          38 41 | 79
    table = stats.suppress_table([[10, 2], [8, 9], [20, 30]], limit=5)
    marks = [[c.suppressed for c in row] for row in table.cells]
    # A/not eligible (2) is primary. Row A: the next smallest is A/eligible (10).
    # Column "not eligible": B (9) goes too. Row B then has one hidden: B/eligible (8).
    # Column "eligible": A and B hidden — two, safe. Every relation has 0 or ≥ 2 hidden.
    assert marks == [[SECONDARY, PRIMARY], [SECONDARY, SECONDARY], ["", ""]]
    assert [c.hidden for c in table.row_totals] == [False, False, False]
    assert not table.total.hidden
    _assert_no_relation_with_exactly_one_hidden(table)


def test_small_total_is_suppressed_too() -> None:
    table = stats.suppress_table([[1, 2]], limit=5)
    assert table.row_totals[0].suppressed == PRIMARY  # 3
    assert [c.suppressed for c in table.cells[0]] == [PRIMARY, PRIMARY]


def test_suppression_off_for_the_responsible_organisation() -> None:
    cells, total = stats.suppress_list([1, 2], limit=5, enabled=False)
    assert [c.text(5) for c in cells] == ["1", "2"] and total.text(5) == "3"


def _assert_no_relation_with_exactly_one_hidden(table: stats.SuppressedTable) -> None:
    grid = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    grid.append([*table.column_totals, table.total])
    for row in grid:
        assert sum(c.hidden for c in row) != 1
    for column in zip(*grid, strict=True):
        assert sum(c.hidden for c in column) != 1


@given(st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=2), min_size=1, max_size=6))
def test_no_hidden_cell_can_be_recomputed(counts: list[list[int]]) -> None:
    table = stats.suppress_table(counts, limit=5)
    _assert_no_relation_with_exactly_one_hidden_or_only_zeros(table)
    for row in table.cells:
        for cell in row:
            assert isinstance(cell.value, int)
            if 0 < cell.value < 5:
                assert cell.suppressed == PRIMARY


def _assert_no_relation_with_exactly_one_hidden_or_only_zeros(
    table: stats.SuppressedTable,
) -> None:
    grid = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    grid.append([*table.column_totals, table.total])
    relations = [list(row) for row in grid] + [list(col) for col in zip(*grid, strict=True)]
    for relation in relations:
        hidden = [c for c in relation if c.hidden]
        if len(hidden) == 1:
            # Allowed only when every other member is zero: then the hidden one is the sum of
            # zeros and the total — which is hidden too, so this cannot happen. Fail loudly.
            pytest.fail(f"one hidden member in {relation}")


def test_duration_text() -> None:
    assert stats.format_duration(timedelta(minutes=45)) == "45 min"
    assert stats.format_duration(timedelta(minutes=185)) == "3 tim 5 min"
    assert stats.format_duration(timedelta(days=2, hours=4, minutes=10)) == "2 d 4 tim"
    cell = stats.Cell(timedelta(minutes=90))
    assert cell.public_value() == 90.0


# --- periods ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "first", "last", "label"),
    [
        ("week", date(2026, 11, 25), date(2026, 11, 23), date(2026, 11, 29), "Vecka 48 2026"),
        ("month", date(2026, 2, 10), date(2026, 2, 1), date(2026, 2, 28), "Februari 2026"),
        ("term", date(2026, 9, 1), date(2026, 7, 1), date(2026, 12, 31), "Höstterminen 2026"),
        ("quarter", date(2026, 5, 5), date(2026, 4, 1), date(2026, 6, 30), "Kvartal 2 2026"),
        ("year", date(2026, 5, 5), date(2026, 1, 1), date(2026, 12, 31), "År 2026"),
    ],
)
def test_period_containing_a_day_with_its_swedish_label(
    kind: str, day: date, first: date, last: date, label: str
) -> None:
    period = period_containing(kind, day)
    assert (period.first, period.last, period.label) == (first, last, label)


def test_custom_periods_and_shifting() -> None:
    assert custom_period(date(2026, 1, 2), date(2026, 1, 5)).label == (
        "2 januari 2026 – 5 januari 2026"
    )
    assert shift(period_containing("month", date(2026, 2, 10)), -1).label == "Januari 2026"
    assert shift(period_containing("week", date(2026, 11, 25)), 1).first == date(2026, 11, 30)
    with pytest.raises(InvalidPeriod):
        custom_period(date(2026, 1, 5), date(2026, 1, 2))


def test_one_wording_for_hidden_numbers_on_every_dashboard() -> None:
    """Issue 19.9: the note under every dashboard and the markers in its cells agree."""
    note = stats.suppression_note(5)
    assert note == (
        "Antal under 5 visas som ”<5”, och värden som annars skulle gå att räkna fram "
        "visas som ”–”."
    )
    assert f"”{stats.suppressed_text(PRIMARY, 5)}”" in note
    assert f"”{stats.suppressed_text(SECONDARY, 5)}”" in note
