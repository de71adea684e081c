"""The night shift, walked in Chromium (issue 18's "done when").

Saturday evening: ROC's system posts a report; the hub's open queue shows it without a
reload; a quarter of an hour later the alarm lists the number that answers now — the
joint out-of-hours service — first; the hub hands over; Nacka accepts, asks ROC and
records its assessments, which closes the report; ROC answers; the receiver still finds
the answer, on the inbox and the start page, until it is read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from samverkan.core.calendar import STOCKHOLM
from samverkan.core.testing.browser import assert_no_console_errors, log_out, login_as
from samverkan.intake import services
from samverkan.intake.models import ConcernReport
from samverkan.intake.tests.browser.steps import accept_without_immediate_protection
from samverkan.intake.tests.browser.test_single_entry_flow import report_payload
from samverkan.intake.tests.factories import hand_over

pytestmark = pytest.mark.browser

SATURDAY_EVENING = datetime(2026, 12, 5, 22, 30, tzinfo=STOCKHOLM)
WAIT_MS = 10_000  # appearance is asserted, not timing: `make bench` measures the 2 s


def test_a_saturday_night_from_the_police_report_to_the_answer_after_closing(
    page, live_server, hub_worker, nacka_receiver, roc_operator, roc_api_client
):
    _client, token = roc_api_client
    base = live_server.url
    with time_machine.travel(SATURDAY_EVENING, tick=True):
        # 1. The hub's queue is open when ROC's system posts the report.
        login_as(page, base, hub_worker)
        page.goto(f"{base}/anmalningar/socialjouren/")
        payload = report_payload("ROC-NATT-2026-1") | {"wants_feedback": False}
        response = page.request.post(
            f"{base}/api/v1/reports", data=payload, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status == 201, response.text()
        report = ConcernReport.objects.get(public_id=response.json()["id"])
        page.get_by_role("link", name=f"Nr {report.pk}").wait_for(timeout=WAIT_MS)

    with time_machine.travel(SATURDAY_EVENING + timedelta(minutes=16), tick=True):
        # 2. Not accepted within 15 minutes: the alarm points at who answers now.
        assert report.pk in services.handover_escalate_due()
        page.goto(f"{base}/anmalningar/socialjouren/")
        alarm_row = page.locator("#hub-queue tr", has_text=f"Nr {report.pk}")
        assert "Inte mottagen i tid" in alarm_row.inner_text()
        first = alarm_row.locator(".numbers-to-call li").first
        first.wait_for(timeout=WAIT_MS)
        assert "Dygnet runt" in first.inner_text() and "svarar nu" in first.inner_text()
        assert "stängt nu" not in first.inner_text()
        # 3. The hub reaches Nacka's out-of-hours service: handed over.
        hand_over(hub_worker, report, number=first.locator("a.phone").inner_text())
        log_out(page)

        # 4. Nacka accepts, records the protection assessment and asks ROC.
        accept_without_immediate_protection(page, base, nacka_receiver, report)
        page.get_by_label("Riskbedömning").check()
        page.get_by_label("Fråga till polisen").fill("Finns en aktuell riskbedömning?")
        page.get_by_role("button", name="Skicka till polisen").click()
        page.wait_for_load_state()
        assert "Väntar på svar" in page.locator("main").inner_text()
        # 5. The preliminary assessment: nothing is left, so the report closes.
        page.get_by_label("Utredning inleds", exact=True).check()
        page.get_by_role("button", name="Registrera förhandsbedömningen").click()
        page.wait_for_load_state()
        report.refresh_from_db()
        assert report.closed_at is not None
        log_out(page)

        # 6. ROC answers the question on its own page.
        login_as(page, base, roc_operator)
        page.goto(f"{base}/anmalningar/polisen/informationsbegaran/")
        page.get_by_label("Svar").fill("Ja, hög risk – kontakta polisen innan hembesök.")
        page.get_by_role("button", name="Skicka svaret").click()
        page.wait_for_load_state()
        log_out(page)

        # 7. The receiver sees the answer after closing: start page and inbox, until read.
        login_as(page, base, nacka_receiver)
        page.goto(f"{base}/")
        assert "Nytt svar från polisen" in page.locator("main").inner_text()
        page.goto(f"{base}/anmalningar/mottagning/")
        answers = page.locator("ul.answers").inner_text()
        assert f"Anmälan {report.pk}" in answers and "anmälan är klar i samverkan" in answers
        page.locator("ul.answers a").first.click()
        page.wait_for_load_state()
        assert "hög risk" in page.locator("main").inner_text()
        page.goto(f"{base}/anmalningar/mottagning/")
        assert "Inga olästa svar." in page.locator("main").inner_text()
        assert_no_console_errors(page)
