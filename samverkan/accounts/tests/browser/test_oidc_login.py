"""Log-in through OpenID Connect in Chromium against a real OpenID provider (issue 21.4).

The provider is panva's certified `oidc-provider` (npm) on 127.0.0.1, with its
own log-in and consent pages (tests/oidc-provider/server.mjs). Its accounts say
who the person is (`preferred_username`, e-mail) and how strongly they logged
in (`acr`): Sweden Connect's LoA 3 is strong enough for Samverkan, LoA 2 is not.
Samverkan maps the person to its own existing user, whose organisation and
role decide what they see.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.sessions.models import Session

from samverkan.accounts.access import role_codes
from samverkan.audit.models import AuditAction, AuditEntry
from samverkan.core.navigation import nav_links
from samverkan.core.testing.browser import SCREENSHOT_DIR, check_page
from samverkan.core.testing.oidc import (
    CALLBACK_PATH,
    OidcProvider,
    ProviderAccount,
    enable_oidc,
    start_provider,
)

pytestmark = pytest.mark.browser

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
PASSWORD = "Legitimering-test-2026"
NACKA_CLAIMS = {
    "preferred_username": "nacka",
    "email": "nacka@demo.samverkan.invalid",
    "email_verified": True,
    "name": "Nils Bergendahl",
}
ACCOUNTS = [
    ProviderAccount("nils.stark", PASSWORD, LOA3, NACKA_CLAIMS),
    ProviderAccount("nils.svag", PASSWORD, LOA2, NACKA_CLAIMS),
    ProviderAccount(
        "okand.person",
        PASSWORD,
        LOA3,
        {"preferred_username": "okand", "email": "okand@example.invalid"},
    ),
]
PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="module")
def oidc_provider(live_server: Any) -> Iterator[OidcProvider]:
    provider = start_provider(redirect_uri=f"{live_server.url}{CALLBACK_PATH}", accounts=ACCOUNTS)
    yield provider
    provider.stop()


@pytest.fixture
def oidc_site(settings: Any, oidc_provider: OidcProvider) -> OidcProvider:
    """The live server's Samverkan with OIDC log-in pointed at the provider."""
    enable_oidc(settings, **oidc_provider.settings())
    return oidc_provider


def log_in_at_provider(page: Any, live_server_url: str, login: str) -> None:
    page.goto(f"{live_server_url}/konto/logga-in/")
    page.get_by_role("link", name="Logga in med organisationens inloggningstjänst").click()
    page.wait_for_url(lambda url: "/interaction/" in url)
    assert page.locator("h1").inner_text() == "Logga in till Samverkan"
    page.get_by_label("Användarnamn").fill(login)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    # First log-in of this account: the provider asks to share the person's details.
    page.get_by_role("button", name="Godkänn").click()
    page.wait_for_url(lambda url: url.startswith(live_server_url) and CALLBACK_PATH not in url)


def screenshots(page: Any, name: str) -> None:
    """At a phone's 375 px and at 1280 px (check_page adds 320 px for our own pages)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for viewport in (PHONE, {"width": 1280, "height": 900}):
        page.set_viewport_size(viewport)
        page.screenshot(
            path=str(SCREENSHOT_DIR / f"{name}-{viewport['width']}.png"), full_page=True
        )
    page.set_viewport_size(original)


def test_strong_log_in_lands_as_the_mapped_user_with_their_role(
    page, live_server, oidc_site, nacka_receiver
):
    log_in_at_provider(page, live_server.url, "nils.stark")

    assert page.locator("h1").inner_text() == "Att göra nu"
    assert " ".join(page.locator(".who").inner_text().split()) == (
        "Inloggad som Nils Bergendahl, Nacka"
    )
    # The menu of a receiver (Nacka's user has that role here; the IdP said nothing of it).
    menu = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link")
    assert menu.all_inner_texts() == [
        str(link.label) for link in nav_links(role_codes(nacka_receiver), "/")
    ]
    assert "Inkommande anmälningar" in menu.all_inner_texts()
    check_page(page, "oidc-logged-in")
    screenshots(page, "oidc-logged-in")

    login = AuditEntry.objects.filter(action=AuditAction.LOGIN, actor_user=nacka_receiver).get()
    assert login.detail == {"method": "oidc"}
    assert login.controller == "0182"


def test_too_weak_acr_is_refused_in_swedish_without_a_session(
    page, live_server, oidc_site, nacka_receiver
):
    log_in_at_provider(page, live_server.url, "nils.svag")

    assert page.url == f"{live_server.url}/konto/logga-in/"
    assert "var inte stark nog" in page.locator(".messages").inner_text()
    assert page.locator(".who").count() == 0
    check_page(page, "oidc-too-weak")
    screenshots(page, "oidc-too-weak")
    page.goto(f"{live_server.url}/")
    assert "/konto/logga-in/" in page.url
    assert not [s for s in Session.objects.all() if "_auth_user_id" in s.get_decoded()]

    refused = AuditEntry.objects.get(action=AuditAction.REFUSED, actor_user=nacka_receiver)
    assert refused.detail == {"method": "oidc", "acr": LOA2}
    assert "inte stark nog" in refused.reason
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_a_person_without_an_account_here_is_refused(page, live_server, oidc_site, nacka_receiver):
    log_in_at_provider(page, live_server.url, "okand.person")

    assert page.url == f"{live_server.url}/konto/logga-in/"
    assert "Kontakta din administratör" in page.locator(".messages").inner_text()
    assert page.locator(".who").count() == 0


def test_wrong_password_at_the_provider_stays_there(page, live_server, oidc_site, db):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_role("link", name="Logga in med organisationens inloggningstjänst").click()
    page.get_by_label("Användarnamn").fill("nils.stark")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()

    assert page.get_by_role("alert").inner_text() == "Fel användarnamn eller lösenord."
    assert page.url.startswith(oidc_site.issuer)
    screenshots(page, "oidc-provider-login")
