"""Log-in with password and TOTP code, lockout, session expiry, demo log-ins."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.demo import DEMO_PASSWORD, current_code
from samverkan.accounts.forms import MESSAGES

LOGIN_URL = "/konto/logga-in/"
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def demo_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, name="demo")


def post_login(
    client: Client,
    username: str,
    password: str,
    code: str,
    next_url: str = "",
    address: str = "127.0.0.1",
):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "otp_token": code, "next": next_url},
        REMOTE_ADDR=address,
    )


GENERIC = "Fel användarnamn, lösenord eller engångskod"


def alert_text(response) -> str:
    """The form's error text only (the page around it is the same either way)."""
    body = response.content.decode()
    start = body.index('role="alert"')
    return body[start : body.index("</", start)]


def is_logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_right_password_and_code_logs_in_and_reaches_start_page(client, nacka_receiver, frozen):
    code = current_code(demo_device(nacka_receiver))

    response = post_login(client, "nacka", DEMO_PASSWORD, code)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert is_logged_in(client)


def test_code_may_be_typed_with_a_space(client, nacka_receiver, frozen):
    code = current_code(demo_device(nacka_receiver))

    post_login(client, "nacka", DEMO_PASSWORD, f"{code[:3]} {code[3:]}")

    assert client.get("/").status_code == 200


def test_log_in_returns_to_the_page_asked_for_but_never_off_site(client, nacka_receiver, frozen):
    code = current_code(demo_device(nacka_receiver))
    response = post_login(client, "nacka", DEMO_PASSWORD, code, next_url="https://evil.example/")
    assert response["Location"] == "/"

    client.post("/konto/logga-ut/")
    frozen.shift(dt.timedelta(seconds=30))
    code = current_code(demo_device(nacka_receiver))
    response = post_login(client, "nacka", DEMO_PASSWORD, code, next_url="/tillganglighet/")
    assert response["Location"] == "/tillganglighet/"


def test_wrong_password_says_so_in_swedish_and_keeps_the_user_name(client, nacka_receiver, frozen):
    code = current_code(demo_device(nacka_receiver))

    response = post_login(client, "nacka", "fel-lösenord", code)

    assert response.status_code == 200
    body = response.content.decode()
    assert GENERIC in body
    assert 'value="nacka"' in body
    assert not is_logged_in(client)


def test_wrong_code_says_so_in_swedish_and_does_not_log_in(client, nacka_receiver, frozen):
    code = current_code(demo_device(nacka_receiver))
    wrong = str((int(code) + 1) % 1_000_000).zfill(6)

    response = post_login(client, "nacka", DEMO_PASSWORD, wrong)

    assert response.status_code == 200
    assert GENERIC in response.content.decode()
    assert not is_logged_in(client)
    assert client.get("/").status_code == 302


def test_wrong_password_wrong_code_and_unknown_name_get_the_identical_message(
    client, nacka_receiver, frozen
):
    """Nothing in the answer tells which part was right: a right password is not confirmable."""
    code = current_code(demo_device(nacka_receiver))
    wrong = str((int(code) + 1) % 1_000_000).zfill(6)

    answers = [
        post_login(Client(), "nacka", "fel-lösenord", code, address="10.0.0.1"),
        post_login(Client(), "nacka", DEMO_PASSWORD, wrong, address="10.0.0.2"),
        post_login(Client(), "finns-inte", DEMO_PASSWORD, code, address="10.0.0.3"),
        post_login(Client(), "nacka", DEMO_PASSWORD, "", address="10.0.0.4"),
    ]

    texts = {alert_text(response) for response in answers}
    assert len(texts) == 1, texts
    assert GENERIC in texts.pop()
    assert str(MESSAGES["invalid_login"]) == GENERIC


def test_missing_code_is_refused_like_a_wrong_one(client, nacka_receiver, frozen):
    # Adapted: it used to ask for the code, which confirmed the password was right.
    response = post_login(client, "nacka", DEMO_PASSWORD, "")

    assert GENERIC in response.content.decode()
    assert not is_logged_in(client)


def test_a_used_code_cannot_be_replayed(client, nacka_receiver, frozen):
    code = current_code(demo_device(nacka_receiver))
    post_login(client, "nacka", DEMO_PASSWORD, code)
    client.post("/konto/logga-ut/")

    response = post_login(Client(), "nacka", DEMO_PASSWORD, code)

    assert GENERIC in response.content.decode()


def test_user_without_second_factor_cannot_log_in_and_is_told_to_contact_admin(
    client, nacka_receiver
):
    TOTPDevice.objects.filter(user=nacka_receiver).delete()

    response = post_login(client, "nacka", DEMO_PASSWORD, "123456")

    assert "Kontakta din administratör" in response.content.decode()
    assert not is_logged_in(client)


def test_lockout_after_the_failure_limit_even_with_the_right_password(
    client, nacka_receiver, frozen
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = post_login(client, "nacka", "fel-lösenord", "000000")
        assert response.status_code == 200

    response = post_login(client, "nacka", "fel-lösenord", "000000")
    assert response.status_code == 429
    assert "Kontot är tillfälligt låst" in response.content.decode()

    frozen.shift(dt.timedelta(minutes=1))
    code = current_code(demo_device(nacka_receiver))
    response = post_login(Client(), "nacka", DEMO_PASSWORD, code)
    assert response.status_code == 429
    assert "Kontot är tillfälligt låst" in response.content.decode()


def test_wrong_codes_count_towards_the_lockout(client, nacka_receiver, frozen):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        frozen.shift(dt.timedelta(minutes=5))  # past django-otp's own throttling
        response = post_login(client, "nacka", DEMO_PASSWORD, "000000")
        assert GENERIC in response.content.decode()

    frozen.shift(dt.timedelta(minutes=5))
    response = post_login(client, "nacka", DEMO_PASSWORD, "000000")

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_lockout_ends_after_the_cool_off(client, nacka_receiver, frozen):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "nacka", "fel-lösenord", "000000")

    frozen.shift(dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1))
    code = current_code(demo_device(nacka_receiver))
    response = post_login(client, "nacka", DEMO_PASSWORD, code)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_other_accounts_are_not_locked_by_one_users_failures(
    client, nacka_receiver, solna_receiver, frozen
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "nacka", "fel-lösenord", "000000")

    code = current_code(demo_device(solna_receiver))
    response = post_login(Client(), "solna", DEMO_PASSWORD, code)

    assert response.status_code == 302


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(
    client, nacka_receiver, frozen
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(Client(), "nacka", "fel-lösenord", "000000", address="203.0.113.7")

    frozen.shift(dt.timedelta(minutes=1))
    code = current_code(demo_device(nacka_receiver))
    at_attacker = post_login(Client(), "nacka", DEMO_PASSWORD, code, address="203.0.113.7")
    assert at_attacker.status_code == 429
    assert "Kontot är tillfälligt låst" in at_attacker.content.decode()

    response = post_login(client, "nacka", DEMO_PASSWORD, code, address="192.0.2.10")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_forwarded_for_header_does_not_choose_the_counted_address(nacka_receiver, frozen):
    """A client cannot escape its lockout by writing X-Forwarded-For itself."""
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            LOGIN_URL,
            {"username": "nacka", "password": "fel-lösenord", "otp_token": "000000"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )

    response = Client().post(
        LOGIN_URL,
        {"username": "nacka", "password": "fel-lösenord", "otp_token": "000000"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429


def test_session_expires_after_inactivity_but_not_while_in_use(logged_in_client, nacka_receiver):
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(START, tick=False) as traveller:
        browser = logged_in_client(nacka_receiver)
        assert browser.get("/").status_code == 200

        # Active use keeps the session alive well past one idle period.
        for _step in range(3):
            traveller.shift(idle - dt.timedelta(minutes=1))
            assert browser.get("/").status_code == 200

        traveller.shift(idle + dt.timedelta(minutes=1))
        response = browser.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_signed_in_without_second_factor_is_logged_out_by_the_middleware(client, nacka_receiver):
    client.force_login(nacka_receiver)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert not is_logged_in(client)


def test_unverified_session_cannot_use_the_api_either(client, nacka_receiver):
    client.force_login(nacka_receiver)

    client.get("/api/v1/openapi.json")

    assert not is_logged_in(client)


def test_logged_in_client_fixture_passes_the_middleware(logged_in_client, hub_worker):
    assert logged_in_client(hub_worker).get("/").status_code == 200


def test_logout_ends_the_session(logged_in_client, hub_worker):
    browser = logged_in_client(hub_worker)

    browser.post("/konto/logga-ut/")

    assert browser.get("/").status_code == 302


def test_admin_log_in_goes_through_our_two_factor_log_in(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_admin_edits_users_organisation_and_roles_in_swedish(
    logged_in_client, admin_user, nacka_receiver
):
    browser = logged_in_client(admin_user)

    listing = browser.get("/admin/accounts/user/").content.decode()
    page = browser.get(f"/admin/accounts/user/{nacka_receiver.pk}/change/").content.decode()

    assert "Nacka" in listing and "Mottagande socialsekreterare" in listing
    assert "Organisation och roller" in page
    assert "får själv aktivera tvåfaktorsinloggning" in page.lower()


class TestDemoLogins:
    def test_demo_instance_lists_users_password_and_current_codes(
        self, client, settings, hub_worker, roc_operator, frozen
    ):
        settings.DEMO = True

        body = client.get(LOGIN_URL).content.decode()

        assert "socialjour" in body
        assert roc_operator.organisation.name in body
        assert "Polisoperatör (ROC)" in body
        assert DEMO_PASSWORD in body
        assert current_code(demo_device(hub_worker)) in body
        assert current_code(demo_device(roc_operator)) in body

    def test_a_listed_demo_code_logs_in(self, client, settings, hub_worker, frozen):
        settings.DEMO = True
        client.get(LOGIN_URL)

        response = post_login(
            client, "socialjour", DEMO_PASSWORD, current_code(demo_device(hub_worker))
        )

        assert response.status_code == 302

    def test_production_shows_no_demo_users_password_or_codes(
        self, client, settings, hub_worker, frozen
    ):
        settings.DEMO = False

        body = client.get(LOGIN_URL).content.decode()

        assert "socialjour" not in body
        assert DEMO_PASSWORD not in body
        assert current_code(demo_device(hub_worker)) not in body
        assert "Demoinloggningar" not in body


def test_signed_in_user_opening_the_log_in_page_goes_to_the_start_page(
    logged_in_client, hub_worker
):
    response = logged_in_client(hub_worker).get(LOGIN_URL)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_administrator_has_an_administration_link(logged_in_client, admin_user, hub_worker):
    assert 'href="/admin/"' in logged_in_client(admin_user).get("/").content.decode()
    assert 'href="/admin/"' not in logged_in_client(hub_worker).get("/").content.decode()


def test_a_completed_log_in_is_in_the_access_log(client, nacka_receiver, frozen):
    from samverkan.audit.models import AuditEntry

    post_login(client, "nacka", DEMO_PASSWORD, current_code(demo_device(nacka_receiver)))

    entry = AuditEntry.objects.get(action="login")
    assert entry.actor_user_id == nacka_receiver.pk
    assert entry.record_id == str(nacka_receiver.pk)
    assert entry.controller == "0182"


def test_a_failed_log_in_writes_no_log_in_entry(client, nacka_receiver, frozen):
    from samverkan.audit.models import AuditEntry

    post_login(client, "nacka", DEMO_PASSWORD, "000000")

    assert not AuditEntry.objects.filter(action="login").exists()


def test_behind_a_proxy_only_the_configured_header_gives_the_address(
    settings, client, nacka_receiver, frozen
):
    """All requests come from the proxy; the proxy's header tells the colleagues apart."""
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    proxy = "10.1.1.1"
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            LOGIN_URL,
            {"username": "nacka", "password": "fel-lösenord", "otp_token": "000000"},
            REMOTE_ADDR=proxy,
            HTTP_X_REAL_IP="203.0.113.7",
            HTTP_X_FORWARDED_FOR="192.0.2.10",
        )

    code = current_code(demo_device(nacka_receiver))
    # The stranger is locked even when it writes another X-Forwarded-For ...
    locked = Client().post(
        LOGIN_URL,
        {"username": "nacka", "password": DEMO_PASSWORD, "otp_token": code},
        REMOTE_ADDR=proxy,
        HTTP_X_REAL_IP="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert locked.status_code == 429
    # ... while the colleague, through the same proxy, still logs in.
    response = client.post(
        LOGIN_URL,
        {"username": "nacka", "password": DEMO_PASSWORD, "otp_token": code},
        REMOTE_ADDR=proxy,
        HTTP_X_REAL_IP="192.0.2.10",
    )
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_list_valued_trusted_header_uses_the_entry_our_proxy_appended(rf, settings):
    from samverkan.accounts.client_ip import client_ip

    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"
    settings.CLIENT_IP_HEADER = ""
    assert client_ip(request) == "10.1.1.1"
