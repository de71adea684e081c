"""The auditor's filtered log as CSV or XLSX, in the page's words (`names.present`).

Cells go through `core.exports`, so no text typed into the system (an actor's
name, a reason) can become a spreadsheet formula.
"""

from __future__ import annotations

import io

from samverkan.audit.names import ShownEntry
from samverkan.core.exports import append_xlsx_row, csv_bytes

# The newest entries exported at most; a larger need narrows the search (the file says so).
EXPORT_LIMIT = 20_000
CUT_NOTE = "Exporten innehåller de {limit} nyaste posterna. Avgränsa sökningen för att få med alla."


def _rows(entries: list[ShownEntry], cut: bool) -> list[list[object]]:
    rows: list[list[object]] = [list(ShownEntry.COLUMNS)]
    rows += [entry.cells() for entry in entries]
    if cut:
        rows.append([CUT_NOTE.format(limit=EXPORT_LIMIT)])
    return rows


def as_csv(entries: list[ShownEntry], *, cut: bool) -> bytes:
    return csv_bytes(_rows(entries, cut))


def as_xlsx(entries: list[ShownEntry], *, cut: bool) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Logg"
    for row in _rows(entries, cut):
        append_xlsx_row(sheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXPORTERS = {
    "csv": (as_csv, "text/csv; charset=utf-8"),
    "xlsx": (as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
