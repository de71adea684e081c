"""Administrators register endpoints for a client and read every delivery's attempts."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.messages import get_messages

from samverkan.webhooks.models import WebhookDelivery, WebhookEndpoint
from samverkan.webhooks.services import deliveries_send_due
from samverkan.webhooks.tests.test_delivery import NIGHT, post_report

pytestmark = pytest.mark.django_db


def test_admin_registers_an_endpoint_and_gets_its_secret_once(admin_client, roc_api_client):
    roc, _ = roc_api_client
    response = admin_client.post(
        "/admin/webhooks/webhookendpoint/add/",
        {
            "client": roc.pk,
            "url": "https://polis.example/samverkan",
            "events": ["report.accepted", "report.feedback_given"],
            "contact_email": "drift@polis.example",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.client == roc
    assert endpoint.events == ["report.accepted", "report.feedback_given"]
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert [m for m in shown if endpoint.secret in m]
    admin_client.get("/admin/webhooks/webhookendpoint/")  # the message, shown once
    page = admin_client.get(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/")
    assert page.status_code == 200 and endpoint.secret not in page.content.decode()


def test_admin_refuses_a_plain_http_receiver_in_production(admin_client, roc_api_client, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = False
    roc, _ = roc_api_client
    response = admin_client.post(
        "/admin/webhooks/webhookendpoint/add/",
        {
            "client": roc.pk,
            "url": "http://127.0.0.1:8080/hook",
            "events": ["report.accepted"],
            "contact_email": "drift@polis.example",
        },
    )
    assert response.status_code == 200
    assert "Adressen måste börja med https://." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@time_machine.travel(NIGHT, tick=False)
def test_admin_sees_each_attempt_of_a_delivery(admin_client, client, roc_api_client, receiver):
    from samverkan.webhooks.tests.test_delivery import register_endpoint

    _, token = roc_api_client
    register_endpoint(client, token, receiver)
    receiver.answers = [502]
    post_report(client, token)
    deliveries_send_due()
    delivery = WebhookDelivery.objects.get()
    listing = admin_client.get("/admin/webhooks/webhookdelivery/")
    assert delivery.message_id in listing.content.decode()
    page = admin_client.get(f"/admin/webhooks/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert "HTTP 502" in page.content.decode()


def test_admin_pauses_and_resumes_an_endpoint(admin_client, roc_api_client):
    from samverkan.webhooks.services import endpoint_register

    roc, _ = roc_api_client
    endpoint, _secret = endpoint_register(
        actor=roc, client=roc, url="https://polis.example/x", contact_email="drift@polis.example"
    )
    url = "/admin/webhooks/webhookendpoint/"
    admin_client.post(url, {"action": "pause", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.paused_at is not None
    admin_client.post(url, {"action": "resume", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.paused_at is None
