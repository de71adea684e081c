"""Phone width (issue 18.10): the hub queue and ROC's status list at 375 px.

Every row readable without sideways scrolling — no column hidden beyond the
edge, inside its table wrapper or not — numbers callable, long references
wrapped. Screenshots at 375 and 1280 px land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from samverkan.core.testing.browser import (
    PHONE,
    SCREENSHOT_DIR,
    WIDE,
    check_page,
    log_out,
    login_as,
    overflowing,
)
from samverkan.intake.tests.browser.test_single_entry_flow import api_post_report

pytestmark = pytest.mark.browser

LONG_REFERENCE = "ROC-2026-00004711-NORRMALMSCITYPOLISOMRADESKVALLSPASS"  # 52, one word


def screenshots(page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for viewport in (PHONE, WIDE):
        page.set_viewport_size(viewport)
        page.screenshot(
            path=str(SCREENSHOT_DIR / f"{name}-{viewport['width']}.png"), full_page=True
        )
    page.set_viewport_size(PHONE)


def test_hub_queue_and_roc_status_fit_a_phone(
    page, live_server, hub_worker, roc_operator, roc_api_client
):
    _client, token = roc_api_client
    api_post_report(page, live_server, token, LONG_REFERENCE)

    login_as(page, live_server.url, hub_worker)
    page.goto(f"{live_server.url}/anmalningar/socialjouren/")
    screenshots(page, "intake-hub-queue-phone")
    assert overflowing(page, tables=True) == []
    row = page.locator("#hub-queue tbody tr").first
    # Each cell names its column on the card, and the receiving unit's number is a link.
    labels = row.locator("td").evaluate_all(
        "cells => cells.map(td => getComputedStyle(td, '::before').content)"
    )
    assert '"Ålder"' in labels and '"Förhandsbedömning senast"' in labels
    assert row.locator("a[href^='tel:']").first.is_visible()
    check_page(page, "intake-hub-queue")
    log_out(page)

    login_as(page, live_server.url, roc_operator)
    page.goto(f"{live_server.url}/anmalningar/polisen/")
    screenshots(page, "intake-police-status-phone")
    assert overflowing(page, tables=True) == []
    card = page.locator("tr[data-report]").first
    assert LONG_REFERENCE in card.inner_text().replace("\n", "")
    labels = card.locator("td").evaluate_all(
        "cells => cells.map(td => getComputedStyle(td, '::before').content)"
    )
    assert '"Mottagen av kommunen"' in labels and '"Återkoppling"' in labels
    check_page(page, "intake-police-status")


def test_an_alarm_row_shows_whom_to_call_on_a_phone(page, live_server, hub_worker, roc_api_client):
    """A handover nobody has accepted for too long turns red with the numbers to call."""
    from datetime import timedelta

    from django.conf import settings

    from samverkan.intake.models import ConcernReport

    _client, token = roc_api_client
    api_post_report(page, live_server, token, "ROC-2026-ALARM-1")
    waited = timedelta(minutes=settings.HANDOVER_ESCALATION_MINUTES + 5)
    report = ConcernReport.objects.get(police_reference="ROC-2026-ALARM-1")
    ConcernReport.objects.filter(pk=report.pk).update(
        received_at=report.received_at - waited, routed_at=report.routed_at - waited
    )

    login_as(page, live_server.url, hub_worker)
    page.goto(f"{live_server.url}/anmalningar/socialjouren/")
    alarm = page.locator("#hub-queue .fallbacks").first
    assert alarm.is_visible()
    assert alarm.locator("a[href^='tel:']").first.is_visible()
    screenshots(page, "intake-hub-queue-alarm")
    assert overflowing(page, tables=True) == []
    check_page(page, "intake-hub-queue-alarm")
