"""Organisations, users and a signed-in client for the audit tests.

The project-wide persona fixtures are written elsewhere; these are small and local.
"""

from __future__ import annotations

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.models import Role, User
from samverkan.registry.models import Organisation


@pytest.fixture
def organisations(db):
    stockholm = Organisation.objects.create(code="0180", name="Stockholm", kind="municipality")
    return {
        "0180": stockholm,
        "0180-farsta": Organisation.objects.create(
            code="0180-farsta", name="Farsta", kind="district", parent=stockholm
        ),
        "0182": Organisation.objects.create(code="0182", name="Nacka", kind="municipality"),
        "0184": Organisation.objects.create(code="0184", name="Solna", kind="municipality"),
        "polisen-roc": Organisation.objects.create(
            code="polisen-roc", name="Polisen ROC", kind="police_unit"
        ),
    }


@pytest.fixture
def make_user(organisations):
    def make(username, org_code, *roles, first_name="", last_name="", **extra):
        user = User.objects.create_user(
            username=username,
            password="a-long-test-password-1",
            organisation=organisations[org_code] if org_code else None,
            first_name=first_name,
            last_name=last_name,
            **extra,
        )
        for code in roles:
            user.roles.add(Role.objects.get_or_create(code=code)[0])
        return user

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
def signed_in(client):
    """Sign a user in with a passed second factor; returns the client."""

    def sign_in(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return sign_in
