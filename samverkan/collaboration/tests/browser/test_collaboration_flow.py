"""Local collaboration in Chromium (issue 6).

A school principal in Norra innerstaden files a concern report about a pupil
registered in Farsta; Farsta's intake receives it. A Farsta coordinator records
a meeting of the children-and-youth forum and sees compliance change. axe-core
(WCAG 2.1 A+AA) on every page on the way.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from samverkan.collaboration.models import ForumKind, Function
from samverkan.collaboration.tests.conftest import farsta_forum
from samverkan.core.calendar import local_date
from samverkan.core.testing.browser import (
    assert_no_console_errors,
    check_page,
    log_out,
    login_as,
)
from samverkan.intake.models import ConcernReport

pytestmark = pytest.mark.browser

PERSON_ID = "20120515-2380"  # Skatteverket's test series: cannot belong to a real person


@pytest.fixture
def forum(registry_demo):
    return farsta_forum(
        "Barn och unga – samverkan med polisen",
        ForumKind.CHILDREN_AT_RISK,
        3,
        [Function.UNIT_MANAGER, Function.POLICE_YOUTH_COORDINATOR],
    )


def test_school_report_reaches_the_pupils_district_and_a_meeting_changes_compliance(
    page, live_server, principal, farsta_receiver, collaboration_coordinator, forum
):
    # 1. The principal files a concern report about a pupil registered in Farsta.
    login_as(page, live_server.url, principal)
    page.goto(f"{live_server.url}/samverkan/skolor/orosanmalan/")
    check_page(page, "collaboration-school-report")
    page.get_by_label("Elevens personnummer eller samordningsnummer").fill(PERSON_ID)
    page.get_by_label("Kommun där eleven är folkbokförd").select_option("0180")
    page.get_by_label("Stadsdelsområde där eleven är folkbokförd").select_option(label="Farsta")
    page.get_by_label("Vad ger skolan anledning till oro?").fill(
        "Eleven har inte varit i skolan på tre veckor och verkar rädd."
    )
    page.get_by_label("Ditt namn").fill("Karin Björkman")
    page.locator("input[name='gang_risk'][value='unknown']").check()
    page.get_by_role("button", name="Skicka anmälan").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Anmälan är skickad").is_visible()
    assert "Farsta" in page.locator("#receiver").inner_text()
    check_page(page, "collaboration-school-report-receipt")
    report = ConcernReport.objects.get()
    assert report.controller.code == "0180-farsta"
    assert report.reporting_organisation.school.district.code == "0180-norra-innerstaden"
    log_out(page)

    # 2. Farsta's intake unit has it in its inbox.
    login_as(page, live_server.url, farsta_receiver)
    page.goto(f"{live_server.url}/anmalningar/")
    assert page.get_by_role("link", name=f"Nr {report.pk}").is_visible()
    log_out(page)

    # 3. The coordinator records a meeting; compliance goes from 0 to 1 of 3.
    login_as(page, live_server.url, collaboration_coordinator)
    page.goto(f"{live_server.url}/samverkan/forum/{forum.pk}/")
    term = page.locator("#compliance tbody tr").first
    assert "0 av 3" in term.inner_text()
    check_page(page, "collaboration-forum")
    page.get_by_role("link", name="Registrera möte").click()
    page.wait_for_load_state()
    check_page(page, "collaboration-meeting-form")
    page.get_by_label("Datum", exact=True).fill(local_date(timezone.now()).isoformat())
    page.get_by_label("Enhetschef, barn och ungdom (krav)").check()
    page.get_by_label("Polisens ungdomssamordnare (krav)").check()
    page.get_by_label("Protokoll").fill("Genomgång av inflödet och avstämning inför allvarssamtal.")
    page.get_by_role("button", name="Spara mötet").click()
    page.wait_for_load_state()
    current = page.locator("#compliance tbody tr").first.inner_text()
    assert "1 av 3" in current and "Polisens ungdomssamordnare: 1 av 1 möte" in current
    assert "Mötet är sparat" in page.locator(".messages").inner_text()
    check_page(page, "collaboration-forum-after-meeting")
    assert_no_console_errors(page)
