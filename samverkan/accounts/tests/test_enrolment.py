"""A user allowed to self-enrol registers an authenticator app right after the password."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.demo import DEMO_PASSWORD, current_code

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def new_user(nacka_receiver):
    TOTPDevice.objects.filter(user=nacka_receiver).delete()
    nacka_receiver.can_self_enrol = True
    nacka_receiver.save(update_fields=["can_self_enrol"])
    return nacka_receiver


def start_enrolment(client):
    return client.post(
        "/konto/logga-in/", {"username": "nacka", "password": DEMO_PASSWORD, "otp_token": ""}
    )


def test_password_leads_to_enrolment_with_an_inline_svg_qr_code(client, new_user):
    response = start_enrolment(client)
    assert response["Location"] == "/konto/aktivera-tvafaktor/"

    page = client.get("/konto/aktivera-tvafaktor/")
    body = page.content.decode()

    assert page.status_code == 200
    assert "<svg" in body and "<path" in body
    # The CSP forbids inline scripts and styles: the QR code must use neither.
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert "style=" not in svg and "<script" not in svg
    assert SESSION_KEY not in client.session  # not logged in before the code


def test_right_code_confirms_the_device_and_logs_in(client, new_user):
    with time_machine.travel(START, tick=False):
        start_enrolment(client)
        client.get("/konto/aktivera-tvafaktor/")
        device = TOTPDevice.objects.get(user=new_user)

        response = client.post("/konto/aktivera-tvafaktor/", {"otp_token": current_code(device)})

        assert response.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/").status_code == 200


def test_wrong_code_keeps_the_device_unconfirmed(client, new_user):
    start_enrolment(client)
    client.get("/konto/aktivera-tvafaktor/")

    response = client.post("/konto/aktivera-tvafaktor/", {"otp_token": "000000"})

    assert "Fel engångskod" in response.content.decode()
    assert not TOTPDevice.objects.get(user=new_user).confirmed
    assert client.get("/").status_code == 302


def test_enrolment_page_needs_the_password_first(client, new_user):
    response = client.get("/konto/aktivera-tvafaktor/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_enrolment_expires(client, new_user):
    with time_machine.travel(START, tick=False) as traveller:
        start_enrolment(client)
        traveller.shift(dt.timedelta(minutes=11))

        response = client.get("/konto/aktivera-tvafaktor/")

    assert response["Location"].startswith("/konto/logga-in/")


def test_user_not_allowed_to_self_enrol_is_told_to_contact_admin(client, new_user):
    new_user.can_self_enrol = False
    new_user.save(update_fields=["can_self_enrol"])

    response = start_enrolment(client)

    assert response.status_code == 200
    assert "Kontakta din administratör" in response.content.decode()
