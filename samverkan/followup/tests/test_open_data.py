"""The public open-data page and endpoint: suppressed counts, no personal data, no login."""

from __future__ import annotations

import codecs
import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from samverkan.followup.open_data import FIELDS, open_statistics, published_quarters
from samverkan.followup.tests import dataset
from samverkan.followup.tests.dataset import local, make_report

# 20 January 2027: Q4 2026 is the last completed quarter.
NOW = dataset.NOW


@pytest.fixture
def data(registry_demo: dict[str, Any], hub_worker: Any) -> dict[str, Any]:
    reports = dataset.build(registry_demo, hub_worker)
    # Seven more Nacka reports in Q4: Nacka has 3 + 7 = 10 eligible, 1 not eligible.
    for n in range(7):
        make_report(
            registry_demo,
            received=local(1, 9, 0, month=11) + timedelta(hours=n),
            responsible="0182",
            number=n,
        )
    return reports


def test_published_quarters() -> None:
    quarters = published_quarters(NOW.date())
    assert len(quarters) == 8
    assert quarters[-1].label == "Kvartal 4 2026"
    assert quarters[0].label == "Kvartal 1 2025"


def test_figures_per_county_municipality_and_quarter(data: Any) -> None:
    statistics = open_statistics(now=NOW)
    rows = {
        (r.quarter, r.municipality_code or f"{r.county_code}:{r.municipality}"): [
            c.text(5) for c in r.cells
        ]
        for r in statistics.rows
    }
    # Stockholm county, Q4 2026 (rows: eligible, not eligible, total):
    #   0180  1 0 | 1      0180 is primary (1) in both eligible and total.
    #   0182 10 1 | 11     1 primary; hidden with its row's 10 and 11 and the county's
    #   0184  2 0 | 2      13: had 11 been shown, 0180 + 0184 = 14 − 11 would be 3.
    #   län  13 1 | 14     2 primary. The county's 1 is primary too.
    assert rows[("2026-K4", "0180")] == ["<5", "0", "<5"]
    assert rows[("2026-K4", "0182")] == ["–", "<5", "–"]
    assert rows[("2026-K4", "0184")] == ["<5", "0", "<5"]
    assert rows[("2026-K4", "01:Hela länet")][1:] == ["<5", "14"]
    # Göteborg is in county 14: one not-eligible report.
    assert rows[("2026-K4", "1480")] == ["0", "<5", "<5"]
    # Unknown home municipality: only a county-less summary row, suppressed.
    assert rows[("2026-K4", ":Okänd kommun")] == ["0", "<5", "<5"]


def test_public_page_and_downloads_without_login(client: Any, data: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        page = client.get("/uppfoljning/oppen/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "Kvartal" in text and "Nacka" in text
        body = client.get("/uppfoljning/oppen/statistik.csv").content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
        nacka = next(r for r in rows if r["kommunkod"] == "0182" and r["kvartal"] == "2026-K4")
        assert nacka == {
            "kvartal": "2026-K4",
            "lanskod": "01",
            "lan": "Stockholms län",
            "kommunkod": "0182",
            "kommun": "Nacka",
            "omfattas": "–",
            "omfattas_inte": "<5",
            "totalt": "–",
        }
        payload = json.loads(client.get("/uppfoljning/oppen/statistik.json").content)
        assert payload["falt"][0] == "kvartal"
        assert any(row["kommunkod"] == "0182" for row in payload["rader"])
    for text in (text, body, json.dumps(payload, ensure_ascii=False)):
        for needle in [*dataset.PERSON_IDS, *dataset.NAMES, "Händelse", "Finns en riskbedömning"]:
            assert needle not in text


def test_public_page_is_open_to_a_half_signed_in_session(client: Any, analyst: Any) -> None:
    # Password but no second factor: the middleware logs such sessions out elsewhere.
    client.force_login(analyst)
    assert client.get("/uppfoljning/oppen/").status_code == 200


def test_csv_for_spreadsheets_by_default_and_for_machines_on_request(
    client: Any, data: Any
) -> None:
    """Issue 20: Swedish Excel opens semicolons and a BOM; programs ask for ?stil=maskin."""
    with time_machine.travel(NOW, tick=False):
        spreadsheet = client.get("/uppfoljning/oppen/statistik.csv").content
        machine = client.get("/uppfoljning/oppen/statistik.csv?stil=maskin").content
    assert spreadsheet.startswith(codecs.BOM_UTF8)
    assert spreadsheet.decode("utf-8-sig").splitlines()[0] == ";".join(FIELDS)
    assert not machine.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(machine.decode("utf-8"))))
    assert rows[0].keys() == set(FIELDS) and len(rows) == len(
        list(csv.DictReader(io.StringIO(spreadsheet.decode("utf-8-sig")), delimiter=";"))
    )


def test_json_has_numbers_and_flags_hidden_counts_as_null(client: Any, data: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        body = client.get("/uppfoljning/oppen/statistik.json").content.decode()
    assert '"<5"' not in body and '"–"' not in body
    rows = json.loads(body)["rader"]
    nacka = next(r for r in rows if r["kommunkod"] == "0182" and r["kvartal"] == "2026-K4")
    assert nacka["omfattas_inte"] is None and nacka["totalt"] is None
    assert nacka["dolda"] == ["omfattas", "omfattas_inte", "totalt"]
    county = next(r for r in rows if r["kommun"] == "Hela länet" and r["kvartal"] == "2026-K4")
    assert county["totalt"] == 14 and "totalt" not in county["dolda"]
