"""The shape every figure takes: a table of published cells, which charts and exports read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from samverkan.followup.periods import Period
from samverkan.followup.stats import Cell


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[Row]
    total: Row | None = None
    chart: bool = False  # a bar chart of the first column beside the table
    note: str = ""
    limit: int = 5

    def all_rows(self) -> list[Row]:
        return [*self.rows, *([self.total] if self.total else [])]

    def summary(self) -> str:
        """One sentence a screen reader reads before the chart."""
        shown = [(row, row.cells[0]) for row in self.rows if row.cells]
        visible = [(row, cell) for row, cell in shown if not cell.hidden and cell.value]
        parts = [self.title + "."]
        if self.total and self.total.cells:
            parts.append(f"Totalt {self.total.cells[0].text(self.limit)}.")
        if visible:
            top_row, top_cell = max(visible, key=lambda pair: sortable_value(pair[1].value))
            parts.append(f"Flest: {top_row.label} ({top_cell.text(self.limit)}).")
        hidden = sum(1 for _, cell in shown if cell.hidden)
        if hidden:
            parts.append(f"{hidden} värden är dolda på grund av små antal.")
        return " ".join(parts)

    def as_records(self) -> list[dict[str, Any]]:
        """Long format for JSON: one dict per row, cells by column, hidden ones as None."""
        records = []
        for row in self.all_rows():
            record: dict[str, Any] = {"key": row.key, "label": row.label}
            for column, cell in zip(self.columns, row.cells, strict=False):
                record[column] = cell.public_value()
                if cell.hidden:
                    record[f"{column} (dold)"] = cell.text(self.limit)
            records.append(record)
        return records


def sortable_value(value: Any) -> float:
    if value is None or isinstance(value, str):
        return 0.0
    if hasattr(value, "total_seconds"):
        return float(value.total_seconds())
    return float(value)


@dataclass
class Dashboard:
    title: str
    period: Period
    scope_label: str
    suppressed: bool
    generated_at: datetime
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, slug: str) -> Table:
        for table in self.tables:
            if table.slug == slug:
                return table
        raise KeyError(slug)
