"""The accounts demo loader: idempotent, every demo user can log in with the shown code."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.api_auth import client_for_token
from samverkan.accounts.demo import (
    DEMO_API_TOKEN,
    DEMO_PASSWORD,
    DEMO_USERS,
    demo_logins,
    legacy_demo_totp_key,
    load_demo,
)
from samverkan.accounts.models import ApiClient, RoleCode, User


def test_load_demo_is_idempotent(registry_demo):
    load_demo()
    load_demo()

    assert User.objects.filter(username__in=[s.username for s in DEMO_USERS]).count() == len(
        DEMO_USERS
    )
    assert TOTPDevice.objects.filter(name="demo", confirmed=True).count() == len(DEMO_USERS)
    assert ApiClient.objects.count() == 1


def test_demo_users_have_their_organisation_and_role(registry_demo):
    load_demo()

    expected = {
        "socialjour": ("0180", RoleCode.HUB_WORKER),
        "nacka": ("0182", RoleCode.RECEIVER),
        "solna": ("0184", RoleCode.RECEIVER),
        "roc": ("polisen-roc", RoleCode.POLICE_OPERATOR),
        "avhopp-gbg": ("1480", RoleCode.DEFECTOR_COORDINATOR),
        "farsta": ("0180-farsta", RoleCode.COLLABORATION_COORDINATOR),
        "skola": ("0180-norra-innerstaden", RoleCode.SCHOOL_STAFF),
    }
    for username, (code, role) in expected.items():
        user = User.objects.get(username=username)
        assert user.organisation.code == code
        assert list(user.roles.values_list("code", flat=True)) == [role]
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.organisation is None


def test_demo_keys_are_random_per_instance_not_computable_from_the_name(registry_demo):
    load_demo()
    first = TOTPDevice.objects.get(user__username="nacka", name="demo").key
    load_demo()  # running the demo again keeps the instance's key: codes stay valid
    assert TOTPDevice.objects.get(user__username="nacka", name="demo").key == first
    assert first != legacy_demo_totp_key("nacka")

    # Another instance (the device made anew) gets another key.
    TOTPDevice.objects.filter(user__username="nacka", name="demo").delete()
    load_demo()
    assert TOTPDevice.objects.get(user__username="nacka", name="demo").key != first


def test_a_key_derived_from_the_name_by_an_earlier_version_is_replaced(registry_demo):
    load_demo()
    TOTPDevice.objects.filter(user__username="solna", name="demo").update(
        key=legacy_demo_totp_key("solna")
    )
    load_demo()
    key = TOTPDevice.objects.get(user__username="solna", name="demo").key
    assert key != legacy_demo_totp_key("solna") and len(key) == 40


def test_every_demo_user_logs_in_with_the_listed_code(registry_demo):
    load_demo()
    start = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        rows = demo_logins()
        assert [row.username for row in rows] == [spec.username for spec in DEMO_USERS]
        for row in rows:
            client = Client()
            response = client.post(
                "/konto/logga-in/",
                {"username": row.username, "password": DEMO_PASSWORD, "otp_token": row.code},
            )
            assert response.status_code == 302, row.username


def test_demo_api_token_authenticates_the_roc_client(registry_demo):
    load_demo()

    client = client_for_token(DEMO_API_TOKEN)

    assert client is not None and client.organisation.code == "polisen-roc"
    assert ApiClient.objects.get().token_hash != DEMO_API_TOKEN


def test_setup_demo_runs_the_accounts_loader(registry_demo):
    call_command("setup_demo", stdout=None)

    assert User.objects.filter(username="socialjour").exists()


def test_setup_demo_refuses_with_production_settings(registry_demo, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production settings"):
        call_command("setup_demo", stdout=None)
    assert not User.objects.filter(username="socialjour").exists()


def test_setup_demo_refuses_beside_a_user_who_is_not_a_demo_user(registry_demo):
    User.objects.create_user(username="anna.real", email="anna@nacka.se")
    with pytest.raises(CommandError, match="anna.real"):
        call_command("setup_demo", stdout=None)
    assert not User.objects.filter(username="socialjour").exists()


def test_a_real_user_with_a_demo_name_is_not_taken_for_a_demo_user(registry_demo):
    # An administrator's own "nacka": without the demo's .invalid address it is real,
    # and setup_demo must not give it the public demo password.
    real = User.objects.create_user(
        username="nacka", email="nils@nacka.se", password="Egen-2026-x!"
    )
    with pytest.raises(CommandError, match="nacka"):
        call_command("setup_demo", stdout=None)
    real.refresh_from_db()
    assert real.check_password("Egen-2026-x!")


def test_setup_demo_runs_again_on_its_own_demo_database(registry_demo):
    call_command("setup_demo", stdout=None)
    call_command("setup_demo", stdout=None)  # only demo users: allowed
    assert User.objects.filter(username="socialjour").count() == 1
