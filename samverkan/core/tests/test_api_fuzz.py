"""Fuzzing the HTTP API (issue 9, part 5) with schemathesis.

Every operation in ``/api/v1/openapi.json`` is called in-process through the
WSGI application (no network) with generated — valid and invalid — input,
signed in the way that operation expects: the ROC's bearer token for the
police endpoints, a session past the second factor (with a CSRF token) of the
persona who works with that part of the API otherwise. Each response must be
free of server errors and conform to the schema (status code documented,
body valid, content type as declared).

The number of examples per operation is kept small so the whole run stays
well under a minute on either database engine; run with
``SAMVERKAN_FUZZ_EXAMPLES=200`` for a deeper search.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = int(os.environ.get("SAMVERKAN_FUZZ_EXAMPLES", "5"))
PHASES = os.environ.get("SAMVERKAN_FUZZ_PHASES", "examples,fuzzing").split(",")
# No server error; the status code, content type, headers and body as the
# schema documents them; and a request without valid credentials refused.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]

# Which persona works with which part of the API (path prefix -> conftest fixture).
SESSION_PERSONA = {
    "/api/v1/agreements": "agreement_admin",
    "/api/v1/defectors": "defector_coordinator",
    "/api/v1/collaboration": "collaboration_coordinator",
}
TOKEN_PREFIXES = ("/api/v1/reports", "/api/v1/webhooks")


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    """Keep the test's database connection open across in-process WSGI requests.

    Django's own test client takes `close_old_connections` off
    `request_started` and `request_finished`; calling the WSGI application directly needs the same,
    or the first response would close the connection the test's transaction
    lives on.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Loaded from the running application's own endpoint, as a client would.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
schema.config.phases.update(phases=PHASES)
schema.config.generation.update(
    max_examples=MAX_EXAMPLES,
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    deterministic=True,
    database="none",
)


# The credentials of the running test, per path prefix; `_PersonaAuth` puts them
# on every generated case (so schemathesis knows them as the real ones, and its
# `ignored_auth` check probes the operation without them and with false ones).
_CREDENTIALS: dict[str, dict[str, Any]] = {}


@pytest.fixture(autouse=True)
def credentials(
    request: pytest.FixtureRequest,
    logged_in_client: Any,
    roc_api_client: tuple[Any, str],
) -> Iterator[None]:
    """A token, or a session past the second factor with a CSRF token, per path prefix."""
    csrf = secrets.token_hex(16)  # 32 characters, what Django's CSRF check takes
    for prefix, fixture in SESSION_PERSONA.items():
        client = logged_in_client(request.getfixturevalue(fixture))
        _CREDENTIALS[prefix] = {
            "headers": {"X-CSRFToken": csrf},
            "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        }
    _, token = roc_api_client
    for prefix in TOKEN_PREFIXES:
        _CREDENTIALS[prefix] = {"headers": {"Authorization": f"Bearer {token}"}, "cookies": {}}
    yield
    _CREDENTIALS.clear()


@schema.auth(refresh_interval=None)
class _PersonaAuth:
    def get(self, case: Any, context: Any) -> dict[str, Any] | None:
        path = case.operation.path
        if not path.startswith("/api/v1/"):
            path = "/api/v1" + path
        return next((v for prefix, v in _CREDENTIALS.items() if path.startswith(prefix)), None)

    def set(self, case: Any, data: dict[str, Any], context: Any) -> None:
        case.headers = {**(case.headers or {}), **data["headers"]}
        case.cookies = {**(case.cookies or {}), **data["cookies"]}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_never_fails_and_answers_as_documented(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500, response.text[:2000]
    case.validate_response(response, checks=CHECKS)
