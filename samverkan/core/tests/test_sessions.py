"""Background requests never write the session, and only user activity renews the idle time."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PREVIEW = {"found_in": "0184", "home_municipality": "0182", "person_id": "20120515-2380"}


def stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_preview_renews_the_idle_time_but_never_rewrites_the_session(logged_in_client, hub_worker):
    client = logged_in_client(hub_worker)
    before = stored(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        response = client.post(reverse("intake:hub_decide"), PREVIEW, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    after = stored(client)
    # A stale copy written back would undo a registration saved meanwhile (the
    # "not eligible" answer, the record of submitted forms).
    assert after.session_data == before.session_data
    assert after.expire_date >= before.expire_date + timedelta(minutes=10)


def test_polling_the_queue_does_not_keep_an_unattended_session_alive(logged_in_client, hub_worker):
    client = logged_in_client(hub_worker)
    before = stored(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        for name in ("intake:hub_queue", "intake:hub_alarm"):
            assert client.get(reverse(name), HTTP_HX_REQUEST="true").status_code == 200
    assert stored(client).expire_date == before.expire_date


def test_a_page_the_user_opens_renews_the_idle_time(logged_in_client, hub_worker):
    client = logged_in_client(hub_worker)
    before = stored(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert client.get(reverse("intake:hub_register")).status_code == 200
    assert stored(client).expire_date >= before.expire_date + timedelta(minutes=10)


def test_a_poll_after_the_session_ended_sends_the_whole_page_to_the_log_in(client):
    response = client.get(
        reverse("intake:hub_queue"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/anmalningar/socialjouren/",
    )
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))
    assert "next=/anmalningar/socialjouren/" in response["HX-Redirect"]
