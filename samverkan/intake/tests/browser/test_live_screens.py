"""Live screens in Chromium (issue 18.12): what the police post appears on the open hub
queue, and a handover on the receiver's open inbox, without anyone reloading.

Appearance is asserted, not timing (the 2-second figure is `make bench`'s).
"""

from __future__ import annotations

import pytest

from samverkan.core.testing.browser import assert_no_console_errors, login_as
from samverkan.intake.models import ConcernReport
from samverkan.intake.tests.browser.test_single_entry_flow import report_payload
from samverkan.intake.tests.factories import hand_over

pytestmark = pytest.mark.browser

WAIT_MS = 10_000  # generous: the screen polls every second


def test_a_posted_report_appears_on_the_open_hub_queue_and_its_handover_in_the_inbox(
    page, browser, live_server, hub_worker, nacka_receiver, roc_api_client
):
    _client, token = roc_api_client
    login_as(page, live_server.url, hub_worker)
    page.goto(f"{live_server.url}/anmalningar/socialjouren/")
    assert "Inga anmälningar väntar" in page.locator("#hub-queue").inner_text()

    inbox_context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    inbox = inbox_context.new_page()
    try:
        login_as(inbox, live_server.url, nacka_receiver)
        inbox.goto(f"{live_server.url}/anmalningar/mottagning/")

        response = page.request.post(
            f"{live_server.url}/api/v1/reports",
            data=report_payload("ROC-2026-LIVE-1"),
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status == 201, response.text()
        report = ConcernReport.objects.get(public_id=response.json()["id"])
        # No reload: the queue row comes by itself.
        page.get_by_role("link", name=f"Nr {report.pk}").wait_for(timeout=WAIT_MS)
        # The routed report is the receiving unit's incoming handover: it appears by itself.
        row = inbox.locator("#inbox-live tr", has_text=f"Nr {report.pk}")
        row.wait_for(timeout=WAIT_MS)
        assert "Väntar på mottagande" in row.inner_text()
        hub_row = page.locator("#hub-queue tr", has_text=f"Nr {report.pk}")
        assert "Överlämnad" not in hub_row.inner_text()

        # The hub reaches Nacka on the phone: the open queue shows it handed over.
        hand_over(hub_worker, report)
        page.locator("#hub-queue tr", has_text=f"Nr {report.pk}").filter(
            has_text="Överlämnad"
        ).wait_for(timeout=WAIT_MS)
        assert not inbox.locator(".live-status").is_visible()
        assert_no_console_errors(page)
    finally:
        inbox_context.close()
