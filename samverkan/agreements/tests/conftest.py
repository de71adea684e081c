"""Personas for the agreement tests, built directly until the shared fixtures are merged."""

from __future__ import annotations

import pytest

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


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
