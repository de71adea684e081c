"""Test set-up the apps' tests share: organisations by code, users with roles, a fixed clock.

from samverkan.core.testing.people import clock_at, org, user_with_roles

_clock = clock_at("2026-11-25T10:00:00+01:00")  # autouse fixture in a conftest
coordinator = user_with_roles("sodermalm", "0180-sodermalm", RoleCode.COLLABORATION_COORDINATOR)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from samverkan.accounts.models import Role, User
from samverkan.registry.models import Organisation


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def user_with_roles(
    username: str, org_code: str | None, *roles: str, password: str | None = None, **fields: Any
) -> User:
    """A user of the organisation with this code (None: of none) holding `roles`.

    Without `password` the user cannot sign in with one: tests sign in with `force_login`.
    """
    user = User.objects.create_user(
        username=username,
        password=password,
        organisation=org(org_code) if org_code else None,
        **fields,
    )
    for code in roles:
        user.roles.add(Role.objects.get_or_create(code=code)[0])
    return user


def clock_at(instant: str) -> Any:
    """An autouse fixture that stops the clock at `instant` for every test that sees it."""

    @pytest.fixture(autouse=True)
    def _clock() -> Iterator[None]:
        with time_machine.travel(instant, tick=False):
            yield

    return _clock
