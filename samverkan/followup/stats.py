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
* secondary: in every additive relation of a table (the cells of a row and
  the row's total; the cells of a column and the column's total) a single
  hidden member could be recomputed from the others. So while some relation
  has exactly one hidden member, the smallest other member that is not zero
  is hidden too (a cell before a total, so totals survive when they can),
  shown as "–". Repeated until no relation has exactly one hidden member.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import TypeVar

from django.conf import settings

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
    """One published number: its value, and whether (and why) it is hidden."""

    value: int | float | Decimal | timedelta | str | None
    suppressed: str = ""  # "", PRIMARY or SECONDARY

    @property
    def hidden(self) -> bool:
        return bool(self.suppressed)

    def text(self, limit: int | None = None) -> str:
        if self.suppressed == PRIMARY:
            return primary_text(limit)
        if self.suppressed == SECONDARY:
            return SUPPRESSED_SECONDARY_TEXT
        if self.value is None:
            return ""
        if isinstance(self.value, str):
            return self.value
        if isinstance(self.value, timedelta):
            return format_duration(self.value)
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


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    limit: int | None = None,
    enabled: bool = True,
    column_relations: bool = True,
) -> SuppressedTable:
    """Apply primary then secondary suppression to a table of counts with its margins.

    The margins are computed here from the counts (the totals a reader would
    see). `enabled=False` returns everything visible (for the responsible
    organisation itself). `column_relations=False` for tables whose rows are
    different measures (their column sums mean nothing and are not published).
    """
    limit = threshold() if limit is None else limit
    rows = len(counts)
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
        relations: list[list[tuple[int, int]]] = []
        for i in range(rows + 1):  # each row with its total (the last column)
            relations.append([(i, j) for j in range(columns + 1)])
        if column_relations:  # each column with its total (the last row)
            for j in range(columns + 1):
                relations.append([(i, j) for i in range(rows + 1)])
        changed = True
        while changed:
            changed = False
            for relation in relations:
                if len(relation) < 2:
                    continue
                hidden = [cell for cell in relation if marks[cell[0]][cell[1]]]
                if len(hidden) != 1:
                    continue
                candidates = [
                    cell
                    for cell in relation
                    if not marks[cell[0]][cell[1]] and grid[cell[0]][cell[1]] > 0
                ]
                if not candidates:
                    continue

                def order(cell: tuple[int, int]) -> tuple[int, int, int, int]:
                    is_total = int(cell[0] == rows or cell[1] == columns)
                    return (is_total, grid[cell[0]][cell[1]], cell[0], cell[1])

                chosen = min(candidates, key=order)
                marks[chosen[0]][chosen[1]] = SECONDARY
                changed = True
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


def suppress_list(
    counts: Sequence[int], *, limit: int | None = None, enabled: bool = True
) -> tuple[list[Cell], Cell]:
    """A single column of counts and its total (one additive relation)."""
    table = suppress_table([[c] for c in counts], limit=limit, enabled=enabled)
    return [row[0] for row in table.cells], table.total


def suppress_count(count: int, *, limit: int | None = None, enabled: bool = True) -> Cell:
    limit = threshold() if limit is None else limit
    return Cell(count, PRIMARY if enabled and is_primary(count, limit) else "")


def hide_if(cell_value: int | float | Decimal | timedelta | None, *, hide: bool) -> Cell:
    """A derived figure (median, share) hidden when its basis is too small to publish."""
    return Cell(cell_value, SECONDARY if hide and cell_value is not None else "")
