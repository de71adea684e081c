"""The administrator's start page shows accounts without a second factor and locked ones."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice


def test_administrator_sees_users_without_second_factor_and_locked_accounts(
    logged_in_client, admin_user, nacka_receiver, solna_receiver
):
    TOTPDevice.objects.filter(user=nacka_receiver).delete()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            "/konto/logga-in/", {"username": "solna", "password": "fel", "otp_token": "1"}
        )

    body = logged_in_client(admin_user).get("/").content.decode()

    assert "Konton som behöver åtgärd" in body
    assert "nacka saknar tvåfaktorsinloggning" in body
    assert "solna är låst" in body


def test_other_roles_do_not_see_the_accounts_panel(logged_in_client, nacka_receiver):
    body = logged_in_client(nacka_receiver).get("/").content.decode()

    assert "Konton som behöver åtgärd" not in body


def test_all_well_says_so(logged_in_client, admin_user):
    body = logged_in_client(admin_user).get("/").content.decode()

    assert "Alla konton har tvåfaktorsinloggning och inget konto är låst." in body
