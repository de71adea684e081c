"""Routines fixtures on top of the project-wide personas (top-level conftest.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from samverkan.accounts.models import Role, RoleCode, User
from samverkan.collaboration.models import Forum, ForumKind
from samverkan.registry.models import Organisation
from samverkan.routines import services
from samverkan.routines.models import Routine, RoutineTopic


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel("2026-11-25T10:00:00+01:00", tick=False):
        yield


@pytest.fixture
def sodermalm_coordinator(registry_demo: Any) -> User:
    user = User.objects.create_user(
        username="sodermalm", password="x", email="sodermalm@example.invalid"
    )
    user.organisation = org("0180-sodermalm")
    user.save()
    user.roles.add(Role.objects.get_or_create(code=RoleCode.COLLABORATION_COORDINATOR)[0])
    return user


@pytest.fixture
def forum(registry_demo: Any) -> Forum:
    forum = Forum.objects.create(
        district=org("0180-farsta"),
        name="Barn och unga med polisen",
        kind=ForumKind.CHILDREN_AT_RISK,
        required_per_term=3,
    )
    forum.parties.set([org("0180-farsta"), org("polisen-lpo-farsta")])
    return forum


@pytest.fixture
def routine(collaboration_coordinator: User, forum: Forum) -> Routine:
    return services.routine_create(
        actor=collaboration_coordinator,
        owner=org("0180-farsta"),
        title="Rutin för hemtagning",
        body="Första versionen: planen upprättas sex veckor före utskrivning.",
        topic=RoutineTopic.HOMECOMING,
        review_date=date(2027, 6, 1),
        forums=[forum],
    )
