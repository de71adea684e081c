"""The UI shell in a real browser: WCAG 2.1 A+AA (axe-core), reflow at 320 px, keyboard."""

import hashlib

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.models import Role, RoleCode, User
from samverkan.core.testing.browser import AXE_JS, check_page, login_as
from samverkan.registry.models import Organisation, OrganisationKind

pytestmark = pytest.mark.browser


def make_user(*, roles=(), username="anna.mottagning"):
    organisation, _ = Organisation.objects.get_or_create(
        code="0182", defaults={"name": "Nacka kommun", "kind": OrganisationKind.MUNICIPALITY}
    )
    user = User.objects.create_user(
        username=username,
        password="ett-långt-lösenord-för-test",
        first_name="Anna",
        last_name="Mottagare",
        organisation=organisation,
    )
    for code in roles:
        # The roles come from a data migration: the page fixture restores them
        # after the previous browser test's flush.
        user.roles.add(Role.objects.get(code=code))
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def test_vendored_axe_is_the_pinned_version():
    digest = hashlib.sha256(AXE_JS.read_bytes()).hexdigest()
    readme = (AXE_JS.parent / "README.md").read_text()
    assert digest in readme, "axe.min.js changed: update vendor/README.md (version, checksum)"


def test_login_page_passes_axe_at_320_and_1280(page, live_server, settings):
    settings.DEMO = True  # the banner is part of the page axe checks
    page.goto(f"{live_server.url}/konto/logga-in/")
    assert page.locator("h1").inner_text() == "Logga in"
    assert page.locator(".demo-banner").is_visible()
    check_page(page, "login")


def test_accessibility_statement_passes_axe_at_320_and_1280(page, live_server):
    page.goto(f"{live_server.url}/tillganglighet/")
    assert "delvis förenlig" in page.locator("main").inner_text()
    check_page(page, "accessibility-statement")


def test_tab_from_the_top_reaches_skip_link_first_and_it_moves_focus_to_main(page, live_server):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible(), "the focused skip link must be visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_start_page_after_real_login_passes_axe(page, live_server, nacka_receiver):
    # A persona from the root conftest, as other apps' browser tests use them.
    login_as(page, live_server.url, nacka_receiver)
    assert page.locator("h1").inner_text() == "Att göra nu"
    assert page.locator("nav a[aria-current=page]").inner_text() == "Start"
    check_page(page, "start-receiver")


def test_user_without_role_is_told_to_contact_the_administrator(page, live_server):
    user = make_user(username="ny.anvandare")
    login_as(page, live_server.url, user)
    assert "kontakta din administratör" in page.locator("main").inner_text()
    check_page(page, "start-no-role")


def test_language_switch_keeps_the_page_and_shows_english(page, live_server):
    page.goto(f"{live_server.url}/tillganglighet/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/tillganglighet/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Accessibility statement for Samverkan"
    check_page(page, "accessibility-statement-en")


def test_log_in_with_the_keyboard_alone(page, live_server):
    from samverkan.core.testing.browser import BROWSER_TEST_PASSWORD, totp_token_for

    user = make_user(roles=[RoleCode.RECEIVER])
    user.set_password(BROWSER_TEST_PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/konto/logga-in/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "username":
            break
    else:
        raise AssertionError("Tab never reached the user name field")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(BROWSER_TEST_PASSWORD)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "otp_token"
    page.keyboard.type(totp_token_for(user))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Att göra nu"
