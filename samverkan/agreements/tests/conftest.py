"""Personas for the agreement tests, built directly until the shared fixtures are merged."""

from __future__ import annotations

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from samverkan.accounts.models import Role, RoleCode, User
from samverkan.agreements.demo import organisation


def make_user(username: str, org_code: str, *roles: str) -> User:
    user = User.objects.create_user(username=username, password="not-used-in-tests-123")
    user.organisation = organisation(org_code)
    user.save()
    for code in roles:
        role, _ = Role.objects.get_or_create(code=code)
        user.roles.add(role)
    return user


@pytest.fixture
def demo(db):
    from samverkan.agreements.demo import load_demo

    load_demo()


@pytest.fixture
def stockholm_admin(db):
    return make_user("avtal-sthlm", "0180", RoleCode.AGREEMENT_ADMIN)


@pytest.fixture
def nacka_admin(db):
    return make_user("avtal-nacka", "0182", RoleCode.AGREEMENT_ADMIN)


@pytest.fixture
def solna_admin(db):
    return make_user("avtal-solna", "0184", RoleCode.AGREEMENT_ADMIN)


@pytest.fixture
def nacka_receiver(db):
    return make_user("mottagare-nacka", "0182", RoleCode.RECEIVER)


@pytest.fixture
def login():
    def do_login(client, user):
        client.force_login(user)
        device = StaticDevice.objects.create(user=user, name="test")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return do_login
