"""The accounts demo loader: idempotent, every demo user can log in with the shown code."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.api_auth import client_for_token
from samverkan.accounts.demo import (
    DEMO_API_TOKEN,
    DEMO_PASSWORD,
    DEMO_USERS,
    demo_logins,
    demo_totp_key,
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


def test_demo_keys_are_fixed_per_user(registry_demo):
    load_demo()

    device = TOTPDevice.objects.get(user__username="nacka", name="demo")
    assert device.key == demo_totp_key("nacka")
    assert demo_totp_key("nacka") != demo_totp_key("solna")


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
