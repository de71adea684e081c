"""OpenID Connect log-in: maps existing users only; strong only when the IdP says so.

The identity provider is mocked (no network): the backend's token exchange,
token verification and userinfo calls are patched. The same log-in against a
real OpenID provider, in Chromium: accounts/tests/browser/test_oidc_login.py.
"""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import NoReverseMatch, reverse

from samverkan.accounts.models import User
from samverkan.accounts.oidc import SamverkanOIDCBackend, is_strong_authentication
from samverkan.audit.models import AuditAction, AuditEntry
from samverkan.core.testing.oidc import enable_oidc

STRONG = "http://id.elegnamnden.se/loa/1.0/loa3"
WEAK = "http://id.elegnamnden.se/loa/1.0/loa2"


@pytest.fixture
def oidc(settings):
    return enable_oidc(
        settings,
        OIDC_RP_CLIENT_ID="samverkan",
        OIDC_RP_CLIENT_SECRET="hemligt",
        OIDC_RP_SIGN_ALGO="HS256",
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://idp.example.invalid/authorize",
        OIDC_OP_TOKEN_ENDPOINT="https://idp.example.invalid/token",
        OIDC_OP_USER_ENDPOINT="https://idp.example.invalid/userinfo",
    )


def idp_says(claims: dict, acr: str | None = STRONG):
    """Patch the backend's three calls to the IdP."""
    payload = {"sub": "abc", **({"acr": acr} if acr else {})}
    return mock.patch.multiple(
        SamverkanOIDCBackend,
        get_token=mock.Mock(return_value={"id_token": "id", "access_token": "at"}),
        verify_token=mock.Mock(return_value=payload),
        get_userinfo=mock.Mock(return_value=claims),
    )


def callback(client, state: str = "state-1"):
    session = client.session
    session["oidc_states"] = {
        state: {"nonce": "nonce-1", "code_verifier": None, "added_on": time.time()}
    }
    session.save()
    return client.get(
        reverse("accounts:oidc_authentication_callback"), {"code": "c", "state": state}
    )


class TestBackend:
    def backend(self):
        return SamverkanOIDCBackend()

    def test_maps_preferred_username_to_the_existing_user(self, oidc, nacka_receiver):
        users = self.backend().filter_users_by_claims({"preferred_username": "NACKA"})

        assert list(users) == [nacka_receiver]

    def test_maps_email_when_no_user_name_matches(self, oidc, nacka_receiver):
        users = self.backend().filter_users_by_claims(
            {"preferred_username": "n.bergendahl", "email": "nacka@demo.samverkan.invalid"}
        )

        assert list(users) == [nacka_receiver]

    def test_unverified_email_is_not_used(self, oidc, nacka_receiver):
        users = self.backend().filter_users_by_claims(
            {"email": "nacka@demo.samverkan.invalid", "email_verified": False}
        )

        assert not users.exists()

    def test_refuses_unknown_people_and_never_creates_users(self, oidc, nacka_receiver):
        before = User.objects.count()
        claims = {"preferred_username": "okand", "email": "okand@example.invalid"}
        request = mock.Mock(GET={"code": "c", "state": "s"})
        with idp_says(claims):
            user = self.backend().authenticate(request, nonce="n")

        assert user is None
        assert User.objects.count() == before

    def test_inactive_user_is_refused(self, oidc, nacka_receiver):
        nacka_receiver.is_active = False
        nacka_receiver.save()

        assert not self.backend().filter_users_by_claims({"preferred_username": "nacka"}).exists()

    def test_strong_acr_marks_the_user(self, oidc, nacka_receiver):
        request = mock.Mock(GET={"code": "c", "state": "s"})
        with idp_says({"preferred_username": "nacka"}, acr=STRONG):
            user = self.backend().authenticate(request, nonce="n")

        assert user == nacka_receiver
        assert user.oidc_strong is True

    def test_weak_or_missing_acr_is_not_strong(self, oidc, nacka_receiver):
        request = mock.Mock(GET={"code": "c", "state": "s"})
        for acr in (WEAK, None):
            with idp_says({"preferred_username": "nacka"}, acr=acr):
                user = self.backend().authenticate(request, nonce="n")
            assert user.oidc_strong is False


def test_acr_claim_name_and_values_are_configurable(settings):
    settings.OIDC_ACR_CLAIM = "amr"
    settings.OIDC_STRONG_ACR_VALUES = ["mfa"]

    assert is_strong_authentication({"amr": ["pwd", "mfa"]})
    assert not is_strong_authentication({"amr": ["pwd"]})
    assert not is_strong_authentication({"acr": STRONG})


class TestCallback:
    def test_strong_log_in_passes_the_second_factor_middleware(self, oidc, client, nacka_receiver):
        with idp_says({"preferred_username": "nacka"}, acr=STRONG):
            response = callback(client)

        assert response.status_code == 302
        assert client.session[SESSION_KEY] == str(nacka_receiver.pk)
        page = client.get("/")
        assert page.status_code == 200
        assert page.wsgi_request.user.is_verified()

    def test_weak_log_in_is_refused_with_a_swedish_message(self, oidc, client, nacka_receiver):
        with idp_says({"preferred_username": "nacka"}, acr=WEAK):
            response = callback(client)

        assert response["Location"] == "/konto/logga-in/"
        assert SESSION_KEY not in client.session
        page = client.get("/konto/logga-in/").content.decode()
        assert "inte stark nog" in page

    def test_weak_log_in_is_an_attempt_in_the_access_log(self, oidc, client, nacka_receiver):
        with idp_says({"preferred_username": "nacka"}, acr=WEAK):
            callback(client)

        refused = AuditEntry.objects.get(action=AuditAction.REFUSED)
        assert refused.actor_user == nacka_receiver
        assert refused.controller == "0182"
        assert refused.detail == {"method": "oidc", "acr": WEAK}
        assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()

    def test_strong_log_in_is_a_log_in_in_the_access_log(self, oidc, client, nacka_receiver):
        with idp_says({"preferred_username": "nacka"}, acr=STRONG):
            callback(client)

        login = AuditEntry.objects.get(action=AuditAction.LOGIN)
        assert login.actor_user == nacka_receiver
        assert login.detail == {"method": "oidc"}

    def test_unknown_person_is_refused_with_a_swedish_message(self, oidc, client, nacka_receiver):
        with idp_says({"preferred_username": "okand"}):
            response = callback(client)

        assert response["Location"] == "/konto/logga-in/"
        assert SESSION_KEY not in client.session
        assert "Kontakta din administratör" in client.get("/konto/logga-in/").content.decode()

    def test_log_in_page_offers_oidc_and_it_redirects_to_the_idp(self, oidc, client, db):
        page = client.get("/konto/logga-in/").content.decode()
        assert "/konto/oidc/authenticate/" in page

        response = client.get("/konto/oidc/authenticate/")

        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("https://idp.example.invalid/authorize?")
        assert "konto%2Foidc%2Fcallback%2F" in location
        # Asks for a strong log-in, with PKCE.
        assert "acr_values=http%3A%2F%2Fid.elegnamnden.se%2Floa%2F1.0%2Floa3" in location
        assert "code_challenge_method=S256" in location


def test_oidc_urls_are_not_mounted_when_disabled(db):
    with pytest.raises(NoReverseMatch):
        reverse("accounts:oidc_authentication_init")
