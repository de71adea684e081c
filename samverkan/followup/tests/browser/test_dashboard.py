"""The single-entry dashboard in Chromium: switch period and scope, download CSV and XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from samverkan.core.testing.browser import check_page, login_as
from samverkan.followup.tests import dataset

pytestmark = pytest.mark.browser


def test_dashboard_switch_period_and_download(
    page: Any, live_server: Any, registry_demo: dict[str, Any], hub_worker: Any,
    nacka_agreement_admin: Any, tmp_path: Path,
) -> None:  # fmt: skip
    dataset.build(registry_demo, hub_worker)
    url = live_server.url
    login_as(page, url, nacka_agreement_admin)
    page.goto(f"{url}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Uppföljning").click()
    assert page.locator("h1").inner_text() == "Uppföljning: En ingång"
    check_page(page, "followup-dashboard")

    # Switch to 7 December 2026 for Nacka (its own figures: not suppressed).
    page.select_option("#id_period", "custom")
    page.fill("#id_fran", "2026-12-07")
    page.fill("#id_till", "2026-12-07")
    page.select_option("#id_organisation", str(registry_demo["0182"].pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Visa").click()
    assert "7 december 2026 – 7 december 2026" in page.locator("#period-heading").inner_text()
    chart = page.locator("figure svg[role=img]").first
    assert chart.get_attribute("aria-labelledby")
    check_page(page, "followup-dashboard-day")

    link = page.locator("a[href*='/tabell/eligibility.csv']")
    assert " ".join(link.inner_text().split()) == "CSV för mottagna anmälningar"
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "eligibility.csv"
    download_info.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Rad", "Antal"],
        ["Omfattas av en ingång", "2"],
        ["Omfattas inte av en ingång", "1"],
        ["Mottagna totalt", "3"],
    ]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Alla tabeller (Excel)").click()
    xlsx = tmp_path / "dashboard.xlsx"
    download_info.value.save_as(xlsx)
    workbook = load_workbook(xlsx)
    sheet = workbook["Tider från mottagen anmälan"]
    values = {row[0]: row[1:4] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    # R1 accepted after 30 and R2 after 10 minutes: median 20, p90 (rank 2) 30.
    assert values["Till mottagen av ansvarig kommun"] == (2, 20.0, 30.0)
