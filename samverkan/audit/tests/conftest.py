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
