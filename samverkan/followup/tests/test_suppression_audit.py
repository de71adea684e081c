"""Suppression that holds against subtraction: an interval audit of every published sum.

What a statistical office checks before it publishes a table: for each hidden
cell, the smallest and the largest value it can have given every published
sum (row and column totals) and that no count is negative — two linear
programmes (scipy's HiGHS; scipy is a test-only dependency: the audit must be
an independent, well-kept solver, not a second copy of the rule it checks).
A hidden small count must keep its whole range: down to 0 and up to at least
the threshold, so that "<5" is all a reader can know.

Tables published together are audited together: a situational picture's
three breakdowns of one total (and the repeated reports, at most that total),
and the table per municipality with the table per district, whose districts
add up to at most their municipality's count (inequalities, `A_ub`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.collaboration.plans.selectors import BREAKDOWNS, suppressed_figures
from samverkan.followup import stats

linprog = pytest.importorskip("scipy.optimize").linprog

LIMIT = 5
Position = tuple[int, int]
Relation = tuple[list[Position], Position]  # members, total


def _linear(
    values: dict[Position, int], index: dict[Position, int], relations: Sequence[Relation]
) -> tuple[list[list[float]], list[float]]:
    """Each relation as `sum(members) - total` over the hidden cells, and its shown right side."""
    rows: list[list[float]] = []
    rights: list[float] = []
    for members, total in relations:
        row = [0.0] * len(index)
        right = 0.0
        for cell, sign in [*((m, 1.0) for m in members), (total, -1.0)]:
            if cell in index:
                row[index[cell]] += sign
            else:
                right -= sign * values[cell]
        if any(row):
            rows.append(row)
            rights.append(right)
    return rows, rights


def audit(
    values: dict[Position, int],
    hidden: set[Position],
    relations: Sequence[Relation],
    within: Sequence[Relation] = (),
) -> dict[Position, tuple[float, float]]:
    """For each hidden cell, its (min, max) over every table consistent with what is shown.

    `relations`: members add up to the total; `within`: members add up to at
    most the total (districts within their municipality).
    """
    unknowns = sorted(hidden)
    index = {cell: k for k, cell in enumerate(unknowns)}
    equations, rights = _linear(values, index, relations)
    inequalities, bounds_above = _linear(values, index, within)
    ranges = {}
    for cell in unknowns:
        bounds = []
        for direction in (1.0, -1.0):
            objective = [0.0] * len(unknowns)
            objective[index[cell]] = direction
            result = linprog(
                objective,
                A_eq=equations or None,
                b_eq=rights or None,
                A_ub=inequalities or None,
                b_ub=bounds_above or None,
                bounds=[(0, None)] * len(unknowns),
                method="highs",
            )
            if result.status == 3:  # unbounded: only the maximum can be
                bounds.append(math.inf)
            else:
                assert result.status == 0, result.message
                bounds.append(direction * result.fun)
        ranges[cell] = (bounds[0], bounds[1])
    return ranges


def table_relations(rows: int, columns: int, *, column_relations: bool = True) -> list[Relation]:
    """The grid's sums: each row (total row too) to its row total, each column to its total."""
    relations: list[Relation] = [
        ([(i, j) for j in range(columns)], (i, columns)) for i in range(rows + 1)
    ]
    if column_relations:
        relations += [([(i, j) for i in range(rows)], (rows, j)) for j in range(columns + 1)]
    return relations


def published(table: stats.SuppressedTable) -> dict[Position, stats.Cell]:
    grid = {}
    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            grid[(i, j)] = cell
        grid[(i, len(row))] = table.row_totals[i]
    rows = len(table.cells)
    for j, cell in enumerate(table.column_totals):
        grid[(rows, j)] = cell
    grid[(rows, len(table.column_totals))] = table.total
    return grid


def assert_protected(
    grid: dict[Position, stats.Cell],
    relations: Sequence[Relation],
    within: Sequence[Relation] = (),
) -> None:
    values = {position: int(cell.value) for position, cell in grid.items()}  # type: ignore[arg-type]
    hidden = {position for position, cell in grid.items() if cell.hidden}
    for position, cell in grid.items():
        if stats.is_primary(values[position], LIMIT):
            assert cell.suppressed == stats.PRIMARY, position
    ranges = audit(values, hidden, relations, within)
    for position in hidden:
        if grid[position].suppressed != stats.PRIMARY:
            continue
        low, high = ranges[position]
        assert low <= 1e-6 and high >= LIMIT - 1e-6, (
            f"{position} = {values[position]} narrows to [{low}, {high}]"
        )


counts = st.integers(min_value=0, max_value=30) | st.integers(min_value=0, max_value=4)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda columns: st.lists(
            st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=7
        )
    )
)
def test_no_small_count_can_be_narrowed_from_the_totals_of_a_table(body: list[list[int]]):
    table = stats.suppress_table(body, limit=LIMIT)
    assert_protected(published(table), table_relations(len(body), len(body[0])))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(counts, min_size=2, max_size=4), min_size=1, max_size=5))
def test_rows_of_different_measures_each_keep_their_small_counts(body: list[list[int]]):
    """Rows that are different measures (deadlines: in time, late, basis) publish row sums only."""
    body = [row[: len(body[0])] + [0] * (len(body[0]) - len(row)) for row in body]
    table = stats.suppress_table(body, limit=LIMIT, column_relations=False)
    grid = {k: v for k, v in published(table).items() if k[0] < len(body)}
    relations = table_relations(len(body), len(body[0]), column_relations=False)[:-1]
    assert_protected(grid, relations)


@settings(max_examples=150, deadline=None)
@given(st.lists(counts, min_size=1, max_size=12), st.booleans())
def test_no_small_count_in_a_list_can_be_narrowed_from_its_total(
    values: list[int], hide_total: bool
):
    cells, total = stats.suppress_list(values, limit=LIMIT, hide_total=hide_total)
    grid = {(k, 0): cell for k, cell in enumerate([*cells, total])}
    assert_protected(grid, [([(k, 0) for k in range(len(values))], (len(values), 0))])
    if hide_total:
        assert total.hidden


def test_two_small_days_and_the_week_do_not_give_each_other_away():
    """The issue's example: "Torsdag <5, Fredag <5, Lördag 22, Totalt 24" meant both were 1."""
    cells, total = stats.suppress_list([0, 0, 0, 1, 1, 22, 0], limit=LIMIT)
    shown = [cell.text(LIMIT) for cell in [*cells, total]]
    assert shown[3:5] == ["<5", "<5"]
    assert not (shown[5] == "22" and shown[-1] == "24"), shown


def test_a_small_count_is_not_narrowed_by_its_row_and_column():
    """ "Solna omfattas <5" narrowed to 3–4 from the other cells of its county."""
    body = [[3, 6], [40, 2], [12, 9]]  # Solna, Stockholm, Sundbyberg: omfattas, omfattas inte
    table = stats.suppress_table(body, limit=LIMIT)
    assert table.cells[0][0].text(LIMIT) == "<5"
    assert_protected(published(table), table_relations(3, 2))


# --- tables published together ---------------------------------------------------------


def partition(total: int, parts: int) -> st.SearchStrategy[list[int]]:
    """`total` split into `parts` counts (small ones often)."""
    cuts = st.lists(
        st.integers(min_value=0, max_value=total), min_size=parts - 1, max_size=parts - 1
    )
    return cuts.map(
        lambda found: [b - a for a, b in zip([0, *sorted(found)], [*sorted(found), total])]
    )


@st.composite
def picture_figures(draw: st.DrawFn) -> dict[str, object]:
    """A situational picture's figures as `inflow_figures` stores them: three breakdowns."""
    by_reporter = draw(st.lists(counts, min_size=1, max_size=3))
    total = sum(by_reporter)
    by_age = draw(partition(total, 3))
    by_area = draw(st.integers(min_value=1, max_value=6).flatmap(lambda n: partition(total, n)))
    return {
        "total": total,
        "repeats": draw(st.integers(min_value=0, max_value=total)),
        "by_reporter": {f"anmälare {k}": n for k, n in enumerate(by_reporter)},
        "by_age": {f"ålder {k}": n for k, n in enumerate(by_age)},
        "by_area": {f"område {k}": n for k, n in enumerate(by_area) if n},
    }


def picture_grid(tables: dict[str, object]) -> tuple[dict[Position, stats.Cell], list[Relation]]:
    """The picture's published cells: breakdown b's member k at (b, k), the total at (3, 0)."""
    grid: dict[Position, stats.Cell] = {}
    relations: list[Relation] = []
    for b, key in enumerate(BREAKDOWNS):
        members = tables[key]
        assert isinstance(members, list)
        for k, cell in enumerate(members):
            grid[(b, k)] = cell.cell
        relations.append(([(b, k) for k in range(len(members))], (3, 0)))
    grid[(3, 0)] = tables["total"].cell  # type: ignore[attr-defined]
    grid[(4, 0)] = tables["repeats"].cell  # type: ignore[attr-defined]
    return grid, relations


@settings(max_examples=150, deadline=None)
@given(picture_figures())
def test_no_small_count_of_a_situational_picture_can_be_narrowed(figures: dict[str, object]):
    """By reporter, by age and by area each add up to the total; the repeated reports are
    at most the total."""
    grid, relations = picture_grid(suppressed_figures(figures, enabled=True))
    assert_protected(grid, relations, within=[([(4, 0)], (3, 0))])


def test_the_total_of_a_situational_picture_does_not_give_back_a_small_count():
    """What the picture published outside the district: "Skola <5, Annan <5, Polisen 22,
    Orosanmälningar 24" meant both were 1."""
    figures = {
        "total": 24,
        "repeats": 0,
        "by_reporter": {"Polisen (en ingång)": 22, "Skola": 1, "Annan anmälare": 1},
        "by_age": {"0–11": 0, "12–14": 6, "15–17": 18},
        "by_area": {"Farsta": 24},
    }
    tables = suppressed_figures(figures, enabled=True)
    shown = {cell.label: cell.shown for cell in tables["by_reporter"]}
    assert shown["Skola"] == shown["Annan anmälare"] == "<5"
    assert not (shown["Polisen (en ingång)"] == "22" and tables["total"].shown == "24"), shown
    assert_protected(*picture_grid(tables))


def municipalities_and_districts(
    body: list[list[int]], districts: list[int]
) -> tuple[dict[Position, stats.Cell], list[Relation], list[Relation]]:
    """The table per municipality (row 0 is Stockholm) and its districts, as the dashboard
    publishes them: the districts at (rows + 1 + k, 0), their total after them."""
    table = stats.suppress_table(body, limit=LIMIT)
    cells, total = stats.suppress_parts(districts, whole=table.cells[0][0], limit=LIMIT)
    grid = published(table)
    rows, first = len(body), len(body) + 1
    for k, cell in enumerate([*cells, total]):
        grid[(first + k, 0)] = cell
    members = [(first + k, 0) for k in range(len(districts))]
    relations = [*table_relations(rows, 2), (members, (first + len(districts), 0))]
    within = [([(first + len(districts), 0)], (0, 0))]  # the districts within Stockholm's count
    return grid, relations, within


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(counts, min_size=2, max_size=2), min_size=1, max_size=5),
    st.lists(counts, min_size=1, max_size=6),
    st.integers(min_value=0, max_value=8),
)
def test_no_small_count_can_be_narrowed_across_the_municipality_and_its_districts(
    body: list[list[int]], districts: list[int], own: int
):
    """Stockholm's count of reports that are eligible is its districts' and its own."""
    body[0][0] = sum(districts) + own
    assert_protected(*municipalities_and_districts(body, districts))


def test_a_hidden_municipal_count_is_not_given_back_by_its_districts():
    """Stockholm's eligible 8 is hidden to protect its 2 not eligible; a shown district total
    of 8 would pin it (districts are at most their municipality) and with it the 2."""
    body = [[8, 2], [30, 9], [20, 12]]
    grid, relations, within = municipalities_and_districts(body, [6, 2])
    assert grid[(0, 0)].hidden
    assert grid[(6, 0)].hidden  # the districts' total
    assert_protected(grid, relations, within)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(counts, min_size=2, max_size=2), min_size=1, max_size=5),
    st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=4),
)
def test_no_small_count_can_be_narrowed_by_the_reasons_within_the_not_eligible(
    body: list[list[int]], fractions: list[float]
):
    """Each reason counts at most the reports that are not eligible (a report can have
    several), published with the table per municipality whose total they are."""
    table = stats.suppress_table(body, limit=LIMIT)
    whole = table.column_totals[1]
    reasons = [round(f * int(whole.value)) for f in fractions]  # type: ignore[arg-type]
    grid = published(table)
    rows = len(body)
    for k, cell in enumerate(stats.suppress_each_within(reasons, whole=whole, limit=LIMIT)):
        grid[(rows + 1 + k, 0)] = cell
    within = [([(rows + 1 + k, 0)], (rows, 1)) for k in range(len(reasons))]
    assert_protected(grid, table_relations(rows, 2), within)
