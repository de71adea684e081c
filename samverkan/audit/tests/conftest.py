"""Organisations, users and a signed-in client for the audit tests.

The project-wide persona fixtures are written elsewhere; these are small and local.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from samverkan.audit import triggers
from samverkan.audit.models import AuditEntry
from samverkan.core.testing.people import user_with_roles


@contextmanager
def triggers_off() -> Iterator[None]:
    """What an attacker with DDL rights would do: take the guard away, then tamper."""
    triggers.remove(connection)
    try:
        yield
    finally:
        triggers.install(connection)


@pytest.fixture
def empty_audit_log(db: None) -> None:
    """The test starts from an empty chain, whatever another folder loaded for the session.

    The intake tests load the demo agreements once per session, which writes audit
    entries; tests that count the chain or list a whole organisation's log would
    otherwise depend on the order the suite runs in. The deletion is rolled back
    with the test.
    """
    with triggers_off():
        AuditEntry.objects.all().delete()


@pytest.fixture
def organisations(registry_demo):
    """The reference organisations (loaded by the registry's migration and demo)."""
    return registry_demo


@pytest.fixture
def make_user(organisations):
    def make(username, org_code, *roles, **fields):
        return user_with_roles(
            username, org_code, *roles, password="a-long-test-password-1", **fields
        )

    return make


def _user(username, org_code, role, **names):
    """A fixture for one user of the organisation with this code, holding `role`."""

    @pytest.fixture
    def fixture(make_user):
        return make_user(username, org_code, role, **names)

    return fixture


nacka_auditor = _user(
    "nacka.granskare", "0182", "auditor", first_name="Nina", last_name="Granskare"
)
solna_auditor = _user("solna.granskare", "0184", "auditor")
nacka_receiver = _user("nacka.mottagare", "0182", "receiver", first_name="Maja", last_name="Mottag")
stockholm_auditor = _user("sthlm.granskare", "0180", "auditor")


@pytest.fixture
def signed_in(client, login):
    """Sign a user in with a passed second factor; returns the client."""

    def sign_in(user):
        login(client, user)
        return client

    return sign_in
