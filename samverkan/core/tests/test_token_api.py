"""A police system's call takes the short way through the middleware (issue 20.2) and
is answered as before; a call with a session cookie takes the full way."""

from __future__ import annotations

from typing import Any

import pytest

from samverkan.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

AGREEMENTS = "/api/v1/agreements/"


def test_a_police_systems_call_sets_no_cookie_and_keeps_the_security_headers(
    roc_api_client: Any, client: Any
) -> None:
    _client, token = roc_api_client
    response = client.get(AGREEMENTS, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert not response.cookies
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Content-Language"] == "sv"


def test_a_wrong_token_is_refused_in_the_apis_own_words(client: Any) -> None:
    response = client.get(AGREEMENTS, headers={"Authorization": "Bearer svk_not-a-token"})
    assert response.status_code == 401
    assert "API-nyckel" in response.json()["detail"][0]["msg"]


def test_a_signed_in_user_sending_a_bearer_header_too_is_still_signed_in(
    nacka_receiver: Any, login: Any, client: Any
) -> None:
    login(client, nacka_receiver)
    response = client.get(AGREEMENTS, headers={"Authorization": "Bearer svk_not-a-token"})
    assert response.status_code == 200


def test_a_session_only_operation_refuses_a_token_as_before(
    roc_api_client: Any, client: Any
) -> None:
    _client, token = roc_api_client
    response = client.get("/api/v1/homecoming/plans", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert not AuditEntry.objects.filter(action="refused").exists()
