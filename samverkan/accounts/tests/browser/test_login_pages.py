"""The log-in pages in a real browser: demo log-ins, enrolment QR code, WCAG and CSP."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.demo import DEMO_PASSWORD, current_code
from samverkan.core.testing.browser import assert_no_console_errors, check_page

pytestmark = pytest.mark.browser


def test_demo_log_in_page_lists_codes_and_a_listed_code_logs_in(
    page, live_server, settings, hub_worker, nacka_receiver
):
    settings.DEMO = True
    page.goto(f"{live_server.url}/konto/logga-in/")
    check_page(page, "login-demo")

    row = page.locator("tr", has_text="socialjour")
    code = row.locator(".demo-code").inner_text()
    page.fill("#id_username", "socialjour")
    page.fill("#id_password", DEMO_PASSWORD)
    page.fill("#id_otp_token", code)
    page.click("main button[type=submit]")

    assert page.locator("h1").inner_text() == "Att göra nu"


def test_wrong_code_is_announced_and_the_user_name_kept(page, live_server, nacka_receiver):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.fill("#id_username", "nacka")
    page.fill("#id_password", DEMO_PASSWORD)
    page.fill("#id_otp_token", "000000")
    page.click("main button[type=submit]")

    assert (
        "Fel användarnamn, lösenord eller engångskod" in page.locator("[role=alert]").inner_text()
    )
    assert page.input_value("#id_username") == "nacka"
    check_page(page, "login-wrong-code")


def test_enrolment_shows_a_qr_code_without_breaking_the_csp_and_logs_in(
    page, live_server, nacka_receiver
):
    TOTPDevice.objects.filter(user=nacka_receiver).delete()
    nacka_receiver.can_self_enrol = True
    nacka_receiver.save(update_fields=["can_self_enrol"])

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.fill("#id_username", "nacka")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")

    assert page.locator("h1").inner_text() == "Aktivera tvåfaktorsinloggning"
    assert page.locator("svg.qr-code path").count() == 1
    check_page(page, "enrol")
    assert_no_console_errors(page)

    device = TOTPDevice.objects.get(user=nacka_receiver)
    page.fill("#id_otp_token", current_code(device))
    page.click("main button[type=submit]")

    assert page.locator("h1").inner_text() == "Att göra nu"
