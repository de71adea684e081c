"""The receiver's flow in Chromium (issue 18.6-7): a school report looks like one, an
escalated handover stands out; axe, reflow and screenshots at 320, 375 and 1280 px."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import timezone

from samverkan.core.testing.browser import check_page, log_out, login_as, phone_screenshot
from samverkan.intake import services
from samverkan.intake.tests.factories import NACKA_CHILD, file_school_report
from samverkan.intake.tests.testdata import make_person_id
from samverkan.registry.models import Organisation, OrganisationKind

pytestmark = pytest.mark.browser


def test_receiver_sees_a_school_report_and_an_escalated_handover(
    page, live_server, school_staff, farsta_receiver, hub_worker, nacka_receiver
):
    school_staff.organisation = Organisation.objects.filter(kind=OrganisationKind.SCHOOL).first()
    school_staff.save(update_fields=["organisation"])
    school_report = file_school_report(
        school_staff,
        narrative="Eleven har hög frånvaro och berättar om oro hemma.",
        wants_feedback=True,
    )
    # the school's receipt number, read out on the phone
    assert school_report.receipt_number.startswith("S-")

    login_as(page, live_server.url, farsta_receiver)
    page.goto(f"{live_server.url}/anmalningar/mottagning/")
    row = page.locator("tbody tr", has_text=f"Nr {school_report.pk}")
    assert f"Skola: {school_staff.organisation.name}" in row.inner_text()
    check_page(page, "receiver-inbox-school")
    phone_screenshot(page, "receiver-inbox-school")
    page.click(f"text=Nr {school_report.pk}")
    facts = page.locator("dl.facts").first.inner_text()
    assert "Anmälande skola" in facts and "Karin Björkman, Rektor" in facts
    assert "Vet inte" in facts
    for police_words in ("Mottagen av Socialjouren", "Anmälande polis", "Polisen vill ha"):
        assert police_words not in page.content()
    check_page(page, "receiver-school-report")
    phone_screenshot(page, "receiver-school-report")
    page.click("button:has-text('Ta emot anmälan')")
    assert page.locator("#protection-first").is_visible()  # preliminary waits for protection
    log_out(page)

    services.report_register(
        actor=hub_worker,
        data=replace(NACKA_CHILD, wants_feedback=False),
        received_at=timezone.now() - timedelta(minutes=40),
    )
    ordinary = services.report_register(
        actor=hub_worker, data=replace(NACKA_CHILD, person_id=make_person_id(date(2013, 1, 1)))
    ).report
    login_as(page, live_server.url, nacka_receiver)
    page.goto(f"{live_server.url}/anmalningar/mottagning/")
    assert page.locator("#escalated-banner").is_visible()
    first_row = page.locator("table.inbox tbody tr").first
    assert "Eskalerad – inte mottagen inom" in first_row.inner_text()
    assert "▲" in first_row.inner_text()
    check_page(page, "receiver-inbox-escalated")
    phone_screenshot(page, "receiver-inbox-escalated")
    ordinary_row = page.locator("table.inbox tbody tr", has_text=f"Nr {ordinary.pk}")
    assert "Eskalerad" not in ordinary_row.inner_text()
    first_row.locator("a").first.click()
    assert page.locator("#escalated").is_visible()
    check_page(page, "receiver-escalated-report")
    phone_screenshot(page, "receiver-escalated-report")
