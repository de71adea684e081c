"""Routines fixtures on top of the project-wide personas (top-level conftest.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from samverkan.accounts.models import RoleCode, User
from samverkan.collaboration.models import Forum, ForumKind
from samverkan.core.testing.people import clock_at, org, user_with_roles
from samverkan.routines import services
from samverkan.routines.models import Routine, RoutineTopic

__all__ = ["make_routine", "org"]

_clock = clock_at("2026-11-25T10:00:00+01:00")


def make_routine(actor: User, **overrides: Any) -> Routine:
    """Farsta's routine (any field may be overridden), written by `actor`."""
    data: dict[str, Any] = {
        "owner": org("0180-farsta"),
        "title": "Rutin för hemtagning",
        "body": "Första versionen: planen upprättas sex veckor före utskrivning.",
        "topic": RoutineTopic.HOMECOMING,
        "review_date": date(2027, 6, 1),
    }
    return services.routine_create(actor=actor, **(data | overrides))


@pytest.fixture
def sodermalm_coordinator(registry_demo: Any) -> User:
    return user_with_roles(
        "sodermalm",
        "0180-sodermalm",
        RoleCode.COLLABORATION_COORDINATOR,
        email="sodermalm@example.invalid",
    )


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
    return make_routine(collaboration_coordinator, forums=[forum])
