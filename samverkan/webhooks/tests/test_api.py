"""/api/v1/webhooks: a police system registers, lists, reads the log of, resumes and
deletes its own receivers, and no one else's (issue 21.1)."""

from __future__ import annotations

import pytest

from samverkan.audit.models import AuditEntry
from samverkan.core.testing.json_requests import send_json
from samverkan.webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks"
BODY = {"url": "https://polis.example/samverkan", "contact_email": "drift@polis.example"}


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_secret_is_shown_once_and_the_endpoint_follows_every_event(client, roc_api_client):
    roc, token = roc_api_client
    created = send_json(client, URL, BODY, headers=_auth(token))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"][0] == "report.received" and len(body["events"]) == 7
    listed = client.get(URL, headers=_auth(token)).json()
    assert [e["id"] for e in listed] == [body["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in client.get(f"{URL}/{body['id']}", headers=_auth(token)).json()
    assert AuditEntry.objects.filter(
        record_type="webhooks.WebhookEndpoint", record_id=str(body["id"]), actor_client=roc
    ).exists()


def test_unsafe_or_unknown_input_is_refused_in_swedish(client, roc_api_client, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = False
    settings.WEBHOOK_PUBLIC_TARGETS_ONLY = True
    _, token = roc_api_client
    cases = [
        ({**BODY, "url": "http://polis.example/hook"}, "url", "https://"),
        ({**BODY, "url": "https://192.168.1.10/hook"}, "url", "intern"),
        ({**BODY, "url": "http://127.0.0.1:9/hook"}, "url", "https://"),
        ({**BODY, "contact_email": "inte en adress"}, "contact_email", "e-post"),
    ]
    for body, field, words in cases:
        response = send_json(client, URL, body, headers=_auth(token))
        assert response.status_code == 422, response.content
        [error] = response.json()["detail"]
        assert error["loc"][-1] == field and words in error["msg"]
    unknown = send_json(client, URL, {**BODY, "events": ["report.deleted"]}, headers=_auth(token))
    assert unknown.status_code == 422
    assert not WebhookEndpoint.objects.exists()


def test_another_clients_endpoint_is_not_found(client, roc_api_client, other_police_api_client):
    _, token = roc_api_client
    _, other = other_police_api_client
    endpoint = send_json(client, URL, BODY, headers=_auth(token)).json()
    for method, path in [
        ("get", f"{URL}/{endpoint['id']}"),
        ("get", f"{URL}/{endpoint['id']}/deliveries"),
        ("delete", f"{URL}/{endpoint['id']}"),
        ("post", f"{URL}/{endpoint['id']}/resume"),
    ]:
        if method == "get":
            response = client.get(path, headers=_auth(other))
        else:
            response = send_json(client, path, {}, method, headers=_auth(other))
        assert response.status_code == 404, (method, path)
    assert client.get(URL, headers=_auth(other)).json() == []
    assert WebhookEndpoint.objects.count() == 1


def test_deleting_removes_the_endpoint(client, roc_api_client):
    _, token = roc_api_client
    endpoint = send_json(client, URL, BODY, headers=_auth(token)).json()
    response = send_json(client, f"{URL}/{endpoint['id']}", {}, "delete", headers=_auth(token))
    assert response.status_code == 204
    assert not WebhookEndpoint.objects.exists()
    assert client.get(f"{URL}/{endpoint['id']}", headers=_auth(token)).status_code == 404


def test_a_malformed_address_is_refused(client, roc_api_client):
    _, token = roc_api_client
    for url in ("https://polis.example/a b", "https://", "polis.example/hook"):
        response = send_json(client, URL, {**BODY, "url": url}, headers=_auth(token))
        assert response.status_code == 422, url
        assert response.json()["detail"][0]["loc"][-1] == "url"
