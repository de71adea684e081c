"""Organisations, users and a signed-in client for the audit tests.

The project-wide persona fixtures are written elsewhere; these are small and local.
"""

from __future__ import annotations

import pytest

from samverkan.core.testing.people import user_with_roles


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


@pytest.fixture
def nacka_auditor(make_user):
    return make_user("nacka.granskare", "0182", "auditor", first_name="Nina", last_name="Granskare")


@pytest.fixture
def solna_auditor(make_user):
    return make_user("solna.granskare", "0184", "auditor")


@pytest.fixture
def nacka_receiver(make_user):
    return make_user("nacka.mottagare", "0182", "receiver", first_name="Maja", last_name="Mottag")


@pytest.fixture
def stockholm_auditor(make_user):
    return make_user("sthlm.granskare", "0180", "auditor")


@pytest.fixture
def signed_in(client, login):
    """Sign a user in with a passed second factor; returns the client."""

    def sign_in(user):
        login(client, user)
        return client

    return sign_in
