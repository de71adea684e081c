"""Live screens (issue 18.12): the version an open screen polls, and what it must not do.

The hub's queue and a receiver's inbox poll a version (core/live.py): 304 while
nothing changed, a new ETag when a report arrives or is handed over, nothing
about another municipality's reports, and never a longer session.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from samverkan.core.testing.json_requests import send_json
from samverkan.intake.tests.factories import at, hand_over, register
from samverkan.intake.tests.test_api import BODY

pytestmark = pytest.mark.django_db

NOW = "2026-11-24T10:00"  # a Tuesday in office hours
HUB_VERSION = reverse("intake:hub_version")
INBOX_VERSION = reverse("intake:inbox_version")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(at(NOW), tick=False):
        yield


def version(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 204, response.status_code
    return response["ETag"]


def unchanged(client, url: str, etag: str) -> bool:
    """True when the endpoint answers 304 (nothing changed) to a screen showing `etag`."""
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code in (204, 304)
    assert response.content == b""
    return response.status_code == 304


def test_the_hub_version_is_304_until_the_police_post_a_report(
    client, logged_in_client, hub_worker, roc_api_client
):
    hub = logged_in_client(hub_worker)
    shown = version(hub, HUB_VERSION)
    assert unchanged(hub, HUB_VERSION, shown)
    _client, token = roc_api_client
    body = {**BODY, "police_reference": "ROC-2026-LIVE"}
    posted = send_json(
        client, "/api/v1/reports", body, headers={"Authorization": f"Bearer {token}"}
    )
    assert posted.status_code == 201, posted.content
    assert not unchanged(hub, HUB_VERSION, shown)
    # The page the screen fetches then carries the new version, so the poll is quiet again.
    new = version(hub, HUB_VERSION)
    assert new != shown and unchanged(hub, HUB_VERSION, new)
    page = hub.get(reverse("intake:hub_queue")).content.decode()
    assert new.strip('"') in page


def test_the_hub_version_changes_when_a_handover_turns_red_with_time(logged_in_client, hub_worker):
    register(hub_worker, received_at="2026-11-24T09:55")
    hub = logged_in_client(hub_worker)
    shown = version(hub, HUB_VERSION)
    with time_machine.travel(at("2026-11-24T10:20"), tick=False):
        # No event marks the alarm: the clock alone makes the row red on the screen.
        assert not unchanged(hub, HUB_VERSION, shown)


def test_a_handover_changes_the_receivers_inbox_version_and_not_another_municipalitys(
    logged_in_client, hub_worker, nacka_receiver, solna_receiver
):
    report = register(hub_worker, received_at="2026-11-24T09:50").report
    nacka = logged_in_client(nacka_receiver)
    solna = logged_in_client(solna_receiver)
    nacka_shown = version(nacka, INBOX_VERSION)
    solna_shown = version(solna, INBOX_VERSION)
    hand_over(hub_worker, report)
    assert not unchanged(nacka, INBOX_VERSION, nacka_shown)
    # Solna's screen learns nothing of a Nacka report: its version stays as it was.
    assert unchanged(solna, INBOX_VERSION, solna_shown)
    # Nor can Solna read anything from Nacka's version: it is opaque, not a count.
    assert nacka_shown.strip('"').isalnum() and len(nacka_shown) > 20


def test_a_new_report_for_another_municipality_leaves_the_inbox_version(
    logged_in_client, hub_worker, solna_receiver
):
    solna = logged_in_client(solna_receiver)
    shown = version(solna, INBOX_VERSION)
    register(hub_worker, received_at="2026-11-24T09:50")  # a Nacka child
    assert unchanged(solna, INBOX_VERSION, shown)


def test_version_endpoints_are_for_their_own_screens(
    logged_in_client, hub_worker, nacka_receiver, roc_operator, client
):
    assert logged_in_client(nacka_receiver).get(HUB_VERSION).status_code == 403
    assert logged_in_client(hub_worker).get(INBOX_VERSION).status_code == 403
    assert logged_in_client(roc_operator).get(INBOX_VERSION).status_code == 403
    anonymous = client.get(HUB_VERSION)
    assert anonymous.status_code == 302 and "/konto/logga-in/" in anonymous["Location"]


def stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_an_open_screen_does_not_keep_an_unattended_session_alive(
    logged_in_client, hub_worker, nacka_receiver
):
    hub = logged_in_client(hub_worker)
    nacka = logged_in_client(nacka_receiver)
    hub_before, nacka_before = stored(hub), stored(nacka)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        for _ in range(3):
            assert hub.get(HUB_VERSION).status_code == 204
            assert nacka.get(INBOX_VERSION).status_code == 204
        # The inbox's live region refreshes from the page's own address, marked as such.
        refresh = nacka.get(
            reverse("intake:inbox"), headers={"HX-Request": "true", "X-Live-Refresh": "1"}
        )
        assert refresh.status_code == 200
        assert "sessionid" not in refresh.cookies
    assert stored(hub).expire_date == hub_before.expire_date
    assert stored(nacka).expire_date == nacka_before.expire_date
    # Opening the inbox is user activity, and renews it.
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert nacka.get(reverse("intake:inbox")).status_code == 200
    assert stored(nacka).expire_date > nacka_before.expire_date


def test_the_screens_carry_the_poll_and_their_live_regions(
    logged_in_client, hub_worker, nacka_receiver
):
    hub_page = logged_in_client(hub_worker).get(reverse("intake:hub_queue")).content.decode()
    assert f'data-live-poll="{HUB_VERSION}"' in hub_page
    assert hub_page.count('hx-trigger="live-changed from:body, every 60s"') == 2  # queue, alarm
    inbox = logged_in_client(nacka_receiver).get(reverse("intake:inbox")).content.decode()
    assert f'data-live-poll="{INBOX_VERSION}"' in inbox
    assert 'hx-select="#inbox-live"' in inbox
