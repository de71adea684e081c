"""The receiving social worker registers a report in Lifecare from its page (issue 21.2),
in Chromium, and finds Lifecare's id there; screenshots at 375 and 1280 px."""

from __future__ import annotations

import pytest

from samverkan.casesystems.models import CaseSystemConnection
from samverkan.casesystems.services import handovers_send_due
from samverkan.casesystems.tests.lifecare_server import DOMAIN, KEY
from samverkan.core.testing.browser import (
    SCREENSHOT_DIR,
    check_page,
    login_as,
    overflowing,
)
from samverkan.intake import services as intake
from samverkan.intake.tests.factories import hand_over, register

pytestmark = pytest.mark.browser

VARIABLE = "CASESYSTEM_NACKA_LIFECARE_KEY"


def screenshots(page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for width, height in ((375, 812), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{width}.png"), full_page=True)


def test_the_receiver_registers_the_report_in_lifecare_and_sees_its_id(
    page, live_server, hub_worker, nacka_receiver, registry_demo, lifecare, monkeypatch
):
    monkeypatch.setenv(VARIABLE, KEY)
    CaseSystemConnection.objects.create(
        organisation=registry_demo["0182"],
        adapter="lifecare",
        base_url=lifecare.base_url,
        account=DOMAIN,
        credential_variable=VARIABLE,
        options={"type": 3, "from_who": 7, "reason": 31, "organisation_id": 12},
    )
    report = register(hub_worker).report
    hand_over(hub_worker, report)
    intake.handover_accept(actor=nacka_receiver, report_id=report.pk)

    login_as(page, live_server.url, nacka_receiver)
    page.goto(f"{live_server.url}/anmalningar/mottagning/{report.pk}/")
    section = page.locator("#casesystem")
    button = section.get_by_role("button", name="Registrera i Lifecare IFO (familjeomsorg)")
    assert button.is_visible()
    screenshots(page, "casesystems-report-button")

    button.click()
    page.wait_for_url(f"**/anmalningar/mottagning/{report.pk}/#casesystem-heading")
    assert "Anmälan skickas till verksamhetssystemet" in page.locator("body").inner_text()
    assert "Köad för Lifecare IFO" in section.inner_text()

    handovers_send_due()  # the worker's round
    assert lifecare.problems == []

    page.reload()
    text = section.inner_text()
    assert "Aktualisering 98765 i Lifecare IFO (familjeomsorg)" in text
    assert section.get_by_role("button").count() == 0
    page.set_viewport_size({"width": 375, "height": 812})
    assert overflowing(page) == []
    section.scroll_into_view_if_needed()
    screenshots(page, "casesystems-report-registered")
    check_page(page, "casesystems-report-registered")
