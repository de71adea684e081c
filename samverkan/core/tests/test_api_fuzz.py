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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from samverkan.core.testing.access_matrix import (
    ANONYMOUS,
    API_PERSONAS,
    PERSONAS,
    USER_PERSONAS,
    api_operations,
)
from samverkan.core.tests.test_access_matrix import TABLE, route_of

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

# Each operation is called as a persona who may use it — the first of its allowed
# personas in the access matrix (core/tests/test_access_matrix.py, which every new
# operation must join) — so generated input reaches the handler, not only the
# authentication. An operation nobody may use is called as the persona the matrix
# expects to be turned away by the handler (e.g. 404), or else without credentials.
MATRIX_OPERATIONS = api_operations()


def _persona_of(operation_id: str) -> str | None:
    rows = [row for key, row in TABLE.items() if route_of(key) == f"api:{operation_id}"]
    for row in rows:
        for persona in PERSONAS:
            if persona in row.allowed and persona != ANONYMOUS:
                return persona
    for row in rows:
        for persona in PERSONAS:
            if persona in row.expect:
                return persona
    return None


PERSONA_OF: dict[tuple[str, str], str | None] = {
    (operation.method, operation.path): _persona_of(operation_id)
    for operation_id, operation in MATRIX_OPERATIONS.items()
}


def _operation_key(case: Any) -> tuple[str, str]:
    path = case.operation.path
    if not path.startswith("/api/v1/"):
        path = "/api/v1" + path
    return case.operation.method.upper(), path


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


class Credentials:
    """A persona's credentials, made in the running test's transaction when first asked."""

    def __init__(self, logged_in_client: Any) -> None:
        self.logged_in_client = logged_in_client
        self.made: dict[str, dict[str, Any]] = {}

    def of(self, persona: str) -> dict[str, Any]:
        if persona not in self.made:
            self.made[persona] = self._make(persona)
        return self.made[persona]

    def _make(self, persona: str) -> dict[str, Any]:
        from samverkan.accounts.api_auth import api_client_create
        from samverkan.accounts.demo import ensure_demo_api_client, ensure_demo_user
        from samverkan.registry.models import Organisation

        if persona in API_PERSONAS:
            if persona == "roc_api_client":
                _, token = ensure_demo_api_client()
            else:
                bops = Organisation.objects.get(code="polisen-bops")
                _, token = api_client_create(organisation=bops, name="BOPS fuzz")
            return {"headers": {"Authorization": f"Bearer {token}"}, "cookies": {}}
        client = self.logged_in_client(ensure_demo_user(USER_PERSONAS[persona]))
        csrf = secrets.token_hex(16)  # 32 characters, what Django's CSRF check takes
        return {
            "headers": {"X-CSRFToken": csrf},
            "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        }


# The running test's credentials; `_PersonaAuth` puts them on every generated case (so
# schemathesis knows them as the real ones, and its `ignored_auth` check probes the
# operation without them and with false ones).
_CURRENT: dict[str, Credentials] = {}


@pytest.fixture(autouse=True)
def credentials(registry_demo: Any, logged_in_client: Any) -> Iterator[None]:
    _CURRENT["test"] = Credentials(logged_in_client)
    yield
    _CURRENT.clear()


@schema.auth(refresh_interval=None)
class _PersonaAuth:
    def get(self, case: Any, context: Any) -> dict[str, Any] | None:
        current = _CURRENT.get("test")
        persona = PERSONA_OF.get(_operation_key(case))
        # Asked while the tests are collected, too: no credentials (nor database) then.
        return current.of(persona) if current is not None and persona else None

    def set(self, case: Any, data: dict[str, Any], context: Any) -> None:
        case.headers = {**(case.headers or {}), **data["headers"]}
        case.cookies = {**(case.cookies or {}), **data["cookies"]}


def test_every_operation_is_fuzzed_as_a_persona_who_may_use_it() -> None:
    # Without credentials every call of an operation is 401/403 and its handler never
    # runs (the homecoming and routines operations were fuzzed so, issue 17).
    nobody = sorted(
        f"{method} {path}" for (method, path), persona in PERSONA_OF.items() if persona is None
    )
    assert nobody == [], "give these operations a row with allowed personas in the access matrix"
    homecoming = {k: p for k, p in PERSONA_OF.items() if "/homecoming" in k[1]}
    routines = {k: p for k, p in PERSONA_OF.items() if "/routines" in k[1]}
    assert homecoming and routines
    assert set(homecoming.values()) | set(routines.values()) <= set(USER_PERSONAS)


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


def test_fuzzed_report_intake_registers_reports() -> None:
    """Fuzzing `POST /api/v1/reports` as the ROC gets at least one report registered (201)."""
    operation = next(
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().method.upper() == "POST" and result.ok().path.endswith("/reports")
    )
    statuses: list[int] = []
    strategies = [*operation.get_strategies_from_examples(), operation.as_strategy()]

    @settings(
        max_examples=max(MAX_EXAMPLES, 10),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def call(case: Any) -> None:
        _PersonaAuth().set(case, _CURRENT["test"].of("roc_api_client"), None)
        response = case.call()
        statuses.append(response.status_code)
        assert response.status_code < 500, response.text[:2000]

    call()
    assert 201 in statuses, statuses
