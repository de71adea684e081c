"""Pure statistics helpers: medians, percentiles and small-count suppression.

No database, no clock. The selectors compute the same ranks in SQL
(`rank_for_percentile`, `median_ranks`) so that the database returns one or
two values instead of the whole column; the pure functions here are the
definition the SQL follows and what the tests compare it with.

Percentile method: **nearest rank**. For n sorted values v₁ ≤ … ≤ vₙ the
p-th percentile (0 < p ≤ 100) is v_k with k = ⌈p/100 · n⌉ (at least 1). It is
always one of the observed values, needs no interpolation and is what
Statistics Sweden calls "närmaste rang".

Median: the middle value; for an even n the mean of the two middle values
(v_{n/2} + v_{n/2+1}) / 2.

Suppression (*röjandekontroll*):

* primary: a count c with 0 < c < threshold is hidden and shown as "<5"
  (with the configured threshold). Zero is a real zero and is shown.
* secondary (complementary): the totals published with a hidden small count
  must not give it back by subtraction. For every hidden small count the
  range a reader can work out from every published sum and non-negativity
  (the interval audit statistical offices run as a linear programme; see
  tests/test_suppression_audit.py) must still reach from 0 to the threshold.
  In a single sum that means the hidden members add up to at least the
  threshold; in a table with row and column totals, a rectangle of hidden
  cells through it (`_protect_by_rectangles`). Cells are hidden before
  totals. Shown as "–".
* tables published together: several breakdowns of one total (a situational
  picture by reporter, by age and by area) hide the total together
  (`suppress_breakdowns`); the parts of a figure published at the level above
  (districts within their municipality: the districts add up to at most the
  municipality's count) hide their own total when that figure is hidden
  (`suppress_parts`); counts that are each at most a hidden figure leave it
  room (`suppress_each_within`). The interval audit takes these sums and
  inequalities too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import TypeVar

from django.conf import settings

from samverkan.defectors.rules import format_sek

T = TypeVar("T", int, float, Decimal, timedelta)

PRIMARY = "primary"
SECONDARY = "secondary"
SUPPRESSED_SECONDARY_TEXT = "–"


def threshold() -> int:
    return int(getattr(settings, "STATISTICS_SUPPRESSION_THRESHOLD", 5))


def primary_text(limit: int | None = None) -> str:
    return f"<{limit if limit is not None else threshold()}"


# --- ranks and percentiles ----------------------------------------------------------


def rank_for_percentile(n: int, p: float) -> int:
    """The 1-based nearest rank of the p-th percentile among n values."""
    if n <= 0:
        raise ValueError("no values")
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    # Decimal avoids 0.9 * 10 = 9.000000000000002 -> rank 10.
    return max(1, math.ceil(Decimal(str(p)) / 100 * n))


def median_ranks(n: int) -> tuple[int, int]:
    """The 1-based ranks whose mean is the median (equal when n is odd)."""
    if n <= 0:
        raise ValueError("no values")
    if n % 2:
        return (n + 1) // 2, (n + 1) // 2
    return n // 2, n // 2 + 1


def mean_of_two(a: T, b: T) -> T:
    if isinstance(a, int) and isinstance(b, int):
        return (a + b) / 2  # type: ignore[return-value]
    return (a + b) / 2  # type: ignore[operator,return-value]


def median(values: Iterable[T]) -> T | None:
    ordered = sorted(values)
    if not ordered:
        return None
    low, high = median_ranks(len(ordered))
    return mean_of_two(ordered[low - 1], ordered[high - 1])


def percentile(values: Iterable[T], p: float) -> T | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[rank_for_percentile(len(ordered), p) - 1]


# --- suppression --------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One published number: its value, and whether (and why) it is hidden.

    A `Decimal` is an amount of money in kronor ("57 640,99 kr").
    """

    value: int | float | Decimal | timedelta | str | None
    suppressed: str = ""  # "", PRIMARY or SECONDARY

    @property
    def hidden(self) -> bool:
        return bool(self.suppressed)

    def text(self, limit: int | None = None) -> str:
        if self.suppressed:
            return suppressed_text(self.suppressed, limit)
        if self.value is None:
            return ""
        if isinstance(self.value, str):
            return self.value
        if isinstance(self.value, timedelta):
            return format_duration(self.value)
        if isinstance(self.value, Decimal):
            return f"{format_sek(self.value)} kr"
        if isinstance(self.value, float):
            return f"{self.value:.1f}".replace(".", ",")
        return str(self.value)

    def public_value(self) -> int | float | Decimal | str | None:
        """The value when shown, None when hidden (for JSON and XLSX); durations in minutes."""
        if self.suppressed:
            return None
        if isinstance(self.value, timedelta):
            return round(self.value.total_seconds() / 60, 1)
        return self.value


def suppression_note(limit: int | None = None) -> str:
    """The one sentence that explains hidden numbers, wherever they are hidden."""
    shown = primary_text(limit)
    return (
        f"Antal under {shown[1:]} visas som ”{shown}”, och värden som annars skulle gå att "
        f"räkna fram visas som ”{SUPPRESSED_SECONDARY_TEXT}”."
    )


def suppressed_text(reason: str, limit: int | None = None) -> str:
    """The one wording of a hidden number, on every page and in every export."""
    return primary_text(limit) if reason == PRIMARY else SUPPRESSED_SECONDARY_TEXT


def format_duration(value: timedelta) -> str:
    """Swedish, to the minute: "45 min", "3 tim 5 min", "2 d 4 tim"."""
    minutes = round(value.total_seconds() / 60)
    sign = "−" if minutes < 0 else ""
    minutes = abs(minutes)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{sign}{days} d {hours} tim"
    if hours:
        return f"{sign}{hours} tim {mins} min"
    return f"{sign}{mins} min"


def is_primary(count: int, limit: int) -> bool:
    return 0 < count < limit


@dataclass
class SuppressedTable:
    """Counts with row totals and column totals, after primary and secondary suppression.

    `cells[i][j]` for the body, `row_totals[i]`, `column_totals[j]` and `total`.
    """

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell
    limit: int = field(default=5)


Position = tuple[int, int]


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    limit: int | None = None,
    enabled: bool = True,
    column_relations: bool = True,
    columns: int | None = None,
) -> SuppressedTable:
    """Apply primary then secondary suppression to a table of counts with its margins.

    The margins are computed here from the counts (the totals a reader would
    see). `enabled=False` returns everything visible (for the responsible
    organisation itself). `column_relations=False` for tables whose rows are
    different measures (their column sums mean nothing and are not published).
    """
    limit = threshold() if limit is None else limit
    rows = len(counts)
    if columns is None:  # the width, when there may be no rows to tell it
        columns = len(counts[0]) if rows else 0
    # An (rows+1) x (columns+1) grid: last row / column are the totals.
    grid: list[list[int]] = [list(row) + [sum(row)] for row in counts]
    grid.append([sum(grid[i][j] for i in range(rows)) for j in range(columns + 1)])
    marks: list[list[str]] = [["" for _ in range(columns + 1)] for _ in range(rows + 1)]
    if enabled:
        for i in range(rows + 1):
            for j in range(columns + 1):
                if is_primary(grid[i][j], limit):
                    marks[i][j] = PRIMARY
        if column_relations:
            _protect_by_rectangles(grid, marks, limit)
        else:
            for i in range(rows + 1):
                _protect_relation(grid[i], marks[i], limit)
    as_cells = [
        [Cell(grid[i][j], marks[i][j]) for j in range(columns + 1)] for i in range(rows + 1)
    ]
    return SuppressedTable(
        cells=[row[:columns] for row in as_cells[:rows]],
        row_totals=[row[columns] for row in as_cells[:rows]],
        column_totals=as_cells[rows][:columns],
        total=as_cells[rows][columns],
        limit=limit,
    )


def _protect_relation(values: list[int], marks: list[str], limit: int) -> None:
    """Secondary suppression in one published sum: members, then their total (last).

    A hidden member can lie anywhere between 0 and the sum of the hidden
    members (the others can hold the rest), so that sum must reach the
    threshold; a hidden total is then free upwards and can go down by that
    sum. Members are hidden before the total: the one just large enough, else
    the largest, until the sum is reached; the total only when no member is
    left. A total below the threshold needs nothing more: all its non-zero
    members are below the threshold too, so they are hidden already.
    """
    *members, total = range(len(values))
    if not any(marks) or marks[total] == PRIMARY:
        return
    hidden_sum = sum(values[k] for k in members if marks[k])
    while hidden_sum < limit:
        shown = [k for k in members if not marks[k] and values[k] > 0]
        if not shown:
            marks[total] = marks[total] or SECONDARY
            return
        enough = [k for k in shown if values[k] >= limit - hidden_sum]
        chosen = (
            min(enough, key=values.__getitem__) if enough else max(shown, key=values.__getitem__)
        )
        marks[chosen] = SECONDARY
        hidden_sum += values[chosen]


def _protect_by_rectangles(grid: list[list[int]], marks: list[list[str]], limit: int) -> None:
    """Secondary suppression in a table whose rows and columns add up to their totals.

    Take the totals with a minus sign (the grand total with a plus): then every
    row and every column of the grid sums to zero, and adding t to two opposite
    corners of any rectangle and subtracting it from the other two keeps every
    published sum. So a reader who sees everything but the rectangle's four
    hidden cells cannot tell the true table from the shifted one, as long as no
    count goes below zero. For each primary cell a rectangle is hidden along
    which it can move down to 0 and up to at least the threshold — the reader's
    range (an interval audit over every published sum) then holds [0, limit].
    The rectangle chosen hides the fewest totals, then the fewest and smallest
    cells; one that is already hidden costs nothing.
    """
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    primary = sorted(
        ((i, j) for i in range(rows + 1) for j in range(columns + 1) if marks[i][j] == PRIMARY),
        key=lambda cell: (grid[cell[0]][cell[1]], cell),
    )
    for i, j in primary:
        best: tuple[tuple[int, int, int], list[Position]] | None = None
        for i2 in range(rows + 1):
            for j2 in range(columns + 1):
                if i2 == i or j2 == j:
                    continue
                if not _rectangle_protects(grid, (i, j), (i2, j2), limit):
                    continue
                new = [(a, b) for a, b in ((i, j2), (i2, j), (i2, j2)) if not marks[a][b]]
                cost = (
                    sum(1 for a, b in new if a == rows or b == columns),
                    len(new),
                    sum(grid[a][b] for a, b in new),
                )
                if best is None or cost < best[0]:
                    best = (cost, new)
        if best is None:  # a table of one row or one column: no rectangle exists
            continue
        for a, b in best[1]:
            marks[a][b] = SECONDARY


def _rectangle_protects(
    grid: list[list[int]], cell: Position, opposite: Position, limit: int
) -> bool:
    """Whether moving `cell` along the rectangle to `opposite` takes it to 0 and to `limit`."""
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    (i, j), (i2, j2) = cell, opposite

    def sign(a: int, b: int) -> int:  # -1 for a row or column total, +1 otherwise
        return -1 if (a == rows) != (b == columns) else 1

    down = up = math.inf  # how far `cell` can go down (up) before some count goes below 0
    for (a, b), corner in (((i, j), 1), ((i, j2), -1), ((i2, j), -1), ((i2, j2), 1)):
        if sign(a, b) * corner * sign(i, j) > 0:  # moves with `cell`
            down = min(down, grid[a][b])
        else:
            up = min(up, grid[a][b])
    value = grid[i][j]
    return down >= value and value + up >= limit


def suppress_list(
    counts: Sequence[int],
    *,
    limit: int | None = None,
    enabled: bool = True,
    hide_total: bool = False,
) -> tuple[list[Cell], Cell]:
    """A single column of counts and its total (one additive relation).

    `hide_total`: the total is hidden in another table published with this one
    (the same number), so it is hidden here too and the members keep it free.
    """
    limit = threshold() if limit is None else limit
    values = [*counts, sum(counts)]
    marks = [PRIMARY if enabled and is_primary(value, limit) else "" for value in values]
    if enabled:
        if hide_total:
            marks[-1] = marks[-1] or SECONDARY
        _protect_relation(values, marks, limit)
    cells = [Cell(value, mark) for value, mark in zip(values, marks, strict=True)]
    return cells[:-1], cells[-1]


def suppress_count(count: int, *, limit: int | None = None, enabled: bool = True) -> Cell:
    limit = threshold() if limit is None else limit
    return Cell(count, PRIMARY if enabled and is_primary(count, limit) else "")


def hide_if(cell_value: int | float | Decimal | timedelta | None, *, hide: bool) -> Cell:
    """A derived figure (median, share) hidden when its basis is too small to publish."""
    return Cell(cell_value, SECONDARY if hide and cell_value is not None else "")


def suppress_breakdowns(
    breakdowns: Sequence[Sequence[int]],
    *,
    total: int,
    limit: int | None = None,
    enabled: bool = True,
    hide_total: bool = False,
) -> tuple[list[list[Cell]], Cell]:
    """Several breakdowns of one total published together (by reporter, by age, by area).

    Each breakdown adds up to the same total, so a total hidden to protect one
    breakdown would be given back by another: when any of them hides it, all
    of them hide it and keep it free (each hides members adding up to at least
    the threshold). A hidden total can then go down by a small count (moved
    within its breakdown) and up without bound, in every breakdown at once.
    """
    limit = threshold() if limit is None else limit
    for breakdown in breakdowns:
        if sum(breakdown) != total:
            raise ValueError(f"a breakdown adds up to {sum(breakdown)}, not {total}")

    def each(hide: bool) -> list[tuple[list[Cell], Cell]]:
        return [
            suppress_list(breakdown, limit=limit, enabled=enabled, hide_total=hide)
            for breakdown in breakdowns
        ]

    found = each(hide_total)
    hidden = enabled and (hide_total or any(cell.hidden for _, cell in found))
    if hidden and not all(cell.hidden for _, cell in found):
        found = each(True)
    mark = PRIMARY if enabled and is_primary(total, limit) else SECONDARY if hidden else ""
    return [cells for cells, _ in found], Cell(total, mark)


def suppress_parts(
    counts: Sequence[int], *, whole: Cell, limit: int | None = None, enabled: bool = True
) -> tuple[list[Cell], Cell]:
    """Counts of the parts of a figure published at the level above, and their total.

    The districts of a municipality add up to at most its count (some of its
    reports are the municipality's own), so a reader bounds each from the
    other: a hidden municipal count cannot go below the districts' total, and
    a hidden district cannot exceed what the municipal count leaves. When the
    whole is hidden, the parts' total is hidden too, so the hidden parts (at
    least the threshold between them) leave the whole that much room; when
    the whole is shown, the hidden parts can hold at most what it leaves,
    which is at least their own sum.
    """
    return suppress_list(counts, limit=limit, enabled=enabled, hide_total=enabled and whole.hidden)


def suppress_each_within(
    counts: Sequence[int], *, whole: Cell, limit: int | None = None, enabled: bool = True
) -> list[Cell]:
    """Counts that are each at most a figure published with them, and need not add up to it
    (reasons for not being eligible: a report can have several).

    A shown count is a floor under the whole. When the whole is hidden, it
    must still be able to go down by a small count, so a count that leaves it
    less room than the threshold is hidden too ("–").
    """
    limit = threshold() if limit is None else limit
    room = int(whole.value or 0) - limit  # type: ignore[arg-type]
    cells = [suppress_count(n, limit=limit, enabled=enabled) for n in counts]
    return [
        Cell(cell.value, SECONDARY)
        if enabled and whole.hidden and not cell.hidden and int(cell.value or 0) > max(room, 0)  # type: ignore[arg-type]
        else cell
        for cell in cells
    ]
