"""Single entry end to end in Chromium: ROC posts → the hub hands over → Nacka accepts and
assesses → ROC sees `accepted` and, a week after the decision, the feedback.

Also: axe-core (WCAG 2.1 A+AA) on the registration page and the queue, and a registration
made with the keyboard only (Tab, typing, Enter).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from samverkan.core.testing.browser import (
    assert_no_axe_violations,
    assert_no_console_errors,
    check_page,
    log_out,
    login_as,
)
from samverkan.intake import services
from samverkan.intake.models import ConcernReport
from samverkan.intake.tests.browser.steps import accept_without_immediate_protection

pytestmark = pytest.mark.browser

PERSON_ID = "201205152380"  # Skatteverket's test series: cannot belong to a real person


def report_payload(reference: str) -> dict:
    return {
        "person_id": PERSON_ID,
        "birth_date": None,
        "found_in": "0184",
        "home_municipality": "0182",
        "home_district": None,
        "gang_related": True,
        "police_reference": reference,
        "reporting_officer": {"name": "Polis Testsson", "unit": "ROC", "phone": "08-465 004 99"},
        "narrative": "Påträffad vid tunnelbanan.",
        "risk_information": "Hot från rivaliserande nätverk.",
        "wants_feedback": True,
    }


def api_post_report(page, live_server, token: str, reference: str) -> dict:
    """ROC's system posts a report with `reference`; the created report's JSON."""
    response = page.request.post(
        f"{live_server.url}/api/v1/reports",
        data=report_payload(reference),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status == 201, response.text()
    return response.json()


def api_get_status(page, live_server, token: str, report_id: str) -> dict:
    response = page.request.get(
        f"{live_server.url}/api/v1/reports/{report_id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status == 200, response.text()
    return response.json()


def test_roc_report_is_handed_over_accepted_assessed_and_fed_back(
    page, live_server, hub_worker, nacka_receiver, roc_operator, roc_api_client
):
    _client, token = roc_api_client
    # 1. ROC's system posts the report.
    posted = api_post_report(page, live_server, token, "ROC-2026-4711")
    assert posted["status"] == "received"
    report = ConcernReport.objects.get(public_id=posted["id"])

    # 2. The hub worker sees it in the queue, logs a call and hands over.
    login_as(page, live_server.url, hub_worker)
    page.goto(f"{live_server.url}/anmalningar/socialjouren/")
    link = page.get_by_role("link", name=f"Nr {report.pk}")
    assert link.is_visible()
    assert_no_axe_violations(page)
    link.click()
    page.wait_for_load_state()
    assert "Ring nu" in page.locator("main").inner_text()
    number = page.locator("#id_number_called").input_value()
    assert number, "the number to call is filled in"
    page.get_by_label("Ja").first.check()
    page.get_by_label("Namn på den du talade med").fill("Mona Mottag")
    page.get_by_role("button", name="Logga samtalet").click()
    page.wait_for_load_state()
    assert "Samtalet är loggat" in page.locator("main").inner_text()
    report.refresh_from_db()
    assert report.status == "handed_over"
    assert api_get_status(page, live_server, token, posted["id"])["status"] == "handed_over"
    log_out(page)

    # 3. The Nacka receiver accepts and records both assessments.
    accept_without_immediate_protection(page, live_server.url, nacka_receiver, report)
    page.get_by_label("Utredning inleds", exact=True).check()
    page.get_by_role("button", name="Registrera förhandsbedömningen").click()
    page.wait_for_load_state()
    assert "Förhandsbedömningen är registrerad." in page.locator("main").inner_text()
    report.refresh_from_db()
    assert report.preliminary_decided_on is not None and report.feedback_due is not None
    log_out(page)

    # 4. ROC's status: accepted (API and the ROC status page), no content.
    status = api_get_status(page, live_server, token, posted["id"])
    assert status["status"] == "accepted"
    assert status["feedback"] is None
    assert "narrative" not in status and "person_id" not in status
    login_as(page, live_server.url, roc_operator)
    page.goto(f"{live_server.url}/anmalningar/polisen/")
    row = page.locator(f"tr[data-report='{posted['id']}']")
    assert "Mottagen av kommunen" in row.inner_text()
    assert "Väntar" in row.inner_text()
    assert PERSON_ID not in page.content() and "tunnelbanan" not in page.content()
    log_out(page)

    # 5. A week after the decision the answer is delivered to the reporter.
    decided = report.preliminary_decided_on
    assert report.feedback_due == decided + timedelta(days=7) or report.feedback_due > decided
    with time_machine.travel(timezone.now() + timedelta(days=7), tick=True):
        services.feedback_deliver(actor=nacka_receiver, report_id=report.pk)
        status = api_get_status(page, live_server, token, posted["id"])
        assert status["status"] == "accepted"
        assert status["feedback"]["investigation_opened"] is True
        login_as(page, live_server.url, roc_operator)
        page.goto(f"{live_server.url}/anmalningar/polisen/")
        row = page.locator(f"tr[data-report='{posted['id']}']")
        assert "Utredning inleds" in row.inner_text()
    assert_no_console_errors(page)


def test_registration_with_the_keyboard_only_shows_the_decision_while_typing(
    page, live_server, hub_worker
):
    login_as(page, live_server.url, hub_worker)
    page.goto(f"{live_server.url}/anmalningar/socialjouren/ny/")
    check_page(page, "intake-register-empty")

    def tab_to(name: str, limit: int = 8) -> int:
        for presses in range(1, limit + 1):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.name") == name:
                return presses
        raise AssertionError(f"Tab did not reach the field {name!r}")

    # The skip link, then straight into the form: identity first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert tab_to("person_id", limit=1) == 1
    page.keyboard.type("20120515-2381")  # wrong check digit
    page.locator("#person-id-check").filter(has_text="kontrollsiffra").or_(
        page.locator("#person-id-check").filter(has_text="ogiltig")
    ).wait_for()
    for _ in range(13):
        page.keyboard.press("Backspace")
    page.keyboard.type("20120515-2380")
    page.locator("#person-id-check").filter(has_text="är giltigt").wait_for()
    tab_to("found_in")
    page.keyboard.type("Solna")
    tab_to("home_municipality", limit=2)
    page.keyboard.type("Nacka")
    decision = page.locator("#decision")
    # The legal basis is asked, not pre-ticked (issue 18): no decision until it is answered.
    decision.filter(has_text="Svara Ja eller Nej").wait_for()
    tab_to("home_district", limit=2)
    tab_to("gang_related", limit=2)
    assert page.evaluate("document.activeElement.checked") is False
    page.keyboard.press("Space")  # "Ja", the first choice
    assert page.evaluate("document.activeElement.value") == "yes"
    decision.filter(has_text="Omfattas av en ingång").wait_for()
    assert "Ring nu:" in decision.inner_text()
    announce = page.locator("#decision-announce")
    assert "Omfattas av en ingång" in announce.inner_text()
    assert announce.get_attribute("role") == "status"
    tab_to("reporting_officer_name")  # past the decision's numbers to call (tel: links)
    # Let the decision request this typing starts finish before Enter: the in-memory SQLite
    # of the live server locks on overlapping session writes (PostgreSQL does not).
    with page.expect_response("**/socialjouren/ny/beslut/"):
        page.keyboard.type("Polis Testsson")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/anmalningar/socialjouren/" in page.url
    main = page.locator("main").inner_text()
    assert "Anmälan är registrerad" in main and "Ring nu" in main
    report = ConcernReport.objects.get()
    assert report.person_id == PERSON_ID and report.controller.code == "0182"
    check_page(page, "intake-hub-report")
    page.goto(f"{live_server.url}/anmalningar/socialjouren/")
    check_page(page, "intake-hub-queue")
