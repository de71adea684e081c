"""Exports of the published figures: CSV and XLSX per table or dashboard, JSON, PDF.

Exports carry exactly what the screen shows: the same (suppressed or not)
cells. Numbers stay numbers (durations in minutes). In CSV and XLSX a hidden
value is the marker the screen shows ("<5" or "–"); in JSON it is `null`,
flagged in the row's `hidden` list with the reason, so that a program never
reads "<5" as a number. CSV is written as Swedish spreadsheets open it
(semicolons, decimal comma, byte-order mark) unless the machine style is asked
for (`?stil=maskin`, see `core.exports.CsvStyle`). Every cell goes through
`samverkan.core.exports`, so no text (an indicator's or a forum's name) can
run as a formula in the reader's spreadsheet.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from samverkan.core.exports import SPREADSHEET, CsvStyle, append_xlsx_row, csv_bytes
from samverkan.followup import stats
from samverkan.followup.charts import bar_chart_svg
from samverkan.followup.stats import Cell
from samverkan.followup.tables import Dashboard, Table

ROW_HEADING = "Rad"


def export_value(cell: Cell, limit: int) -> Any:
    if cell.hidden:
        return cell.text(limit)
    value = cell.public_value()
    if isinstance(value, Decimal):
        return float(value)
    return value


def column_headings(table: Table) -> list[str]:
    headings = []
    for column in table.columns:
        if table.slug == "times" and column != "Antal":
            headings.append(f"{column} (minuter)")
        else:
            headings.append(column)
    return headings


def table_rows(table: Table) -> list[list[Any]]:
    rows: list[list[Any]] = [[ROW_HEADING, *column_headings(table)]]
    for row in table.all_rows():
        rows.append([row.label, *(export_value(cell, table.limit) for cell in row.cells)])
    return rows


def json_value(cell: Cell) -> Any:
    """A number as a number, a hidden value as None (its reason is flagged beside it)."""
    return None if cell.hidden else export_value(cell, 0)


def table_csv(table: Table, style: CsvStyle = SPREADSHEET) -> bytes:
    return csv_bytes(table_rows(table), style)


def dashboard_csv(*dashboards: Dashboard, style: CsvStyle = SPREADSHEET) -> bytes:
    """All tables in long format: table, row, column, value."""
    rows: list[list[Any]] = [["tabell", "rad", "kolumn", "värde", "period", "urval"]]
    for dashboard, table in ((d, t) for d in dashboards for t in d.tables):
        for row in table.all_rows():
            for column, cell in zip(column_headings(table), row.cells, strict=False):
                rows.append(
                    [
                        table.title,
                        row.label,
                        column,
                        export_value(cell, table.limit),
                        dashboard.period.label,
                        dashboard.scope_label,
                    ]
                )
    return csv_bytes(rows, style)


def _sheet_title(table: Table, used: set[str]) -> str:
    title = table.title[:31]
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    base, n = title, 2
    while title in used:
        suffix = f" {n}"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def xlsx(dashboard: Dashboard, tables: list[Table] | None = None) -> bytes:
    """One sheet per table, headed by the dashboard's period, scope and suppression note."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for table in tables if tables is not None else dashboard.tables:
        sheet = workbook.create_sheet(_sheet_title(table, used))
        append_xlsx_row(sheet, [table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        append_xlsx_row(
            sheet, [f"{dashboard.title} – {dashboard.scope_label} – {dashboard.period.label}"]
        )
        if dashboard.suppressed:
            append_xlsx_row(sheet, [*dashboard.notes[:1]])
        if table.note:
            append_xlsx_row(sheet, [table.note])
        append_xlsx_row(sheet, [])
        for index, row in enumerate(table_rows(table)):
            append_xlsx_row(sheet, row)
            if index == 0:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 45
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_json(dashboard: Dashboard) -> dict[str, Any]:
    return {
        "dashboard": dashboard.title,
        "period": {
            "label": dashboard.period.label,
            "from": dashboard.period.first.isoformat(),
            "to": dashboard.period.last.isoformat(),
        },
        "scope": dashboard.scope_label,
        "suppressed": dashboard.suppressed,
        "generated_at": dashboard.generated_at.isoformat(),
        "notes": dashboard.notes,
        "hidden_values": (
            'A hidden value is null; "hidden" says why: "primary" (a count below '
            f'{stats.threshold()}), "secondary" (it would let a hidden count be worked out).'
        ),
        "tables": [
            {
                "id": table.slug,
                "title": table.title,
                "columns": column_headings(table),
                "note": table.note,
                "rows": [
                    {
                        "key": row.key,
                        "label": row.label,
                        "values": [json_value(cell) for cell in row.cells],
                        "hidden": [cell.suppressed or None for cell in row.cells],
                    }
                    for row in table.all_rows()
                ],
            }
            for table in dashboard.tables
        ],
    }


def pdf(dashboards: list[Dashboard]) -> bytes:
    """The dashboards as a committee report (nämndrapport), charts and tables included."""
    from weasyprint import HTML

    sections = [
        {
            "dashboard": dashboard,
            "tables": [
                {
                    "table": table,
                    "chart": bar_chart_svg(table, id_prefix="pdf") if table.chart else "",
                }
                for table in dashboard.tables
            ],
        }
        for dashboard in dashboards
    ]
    html = render_to_string("followup/report_pdf.html", {"sections": sections})
    return HTML(string=html, base_url=None).write_pdf()
