"""Collaboration fixtures on top of the project-wide personas (top-level conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from samverkan.accounts.models import Role, RoleCode, User
from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    Forum,
    ForumKind,
    Function,
    TargetGroup,
)
from samverkan.core.testing.json_requests import send_json
from samverkan.registry.models import Organisation, OrganisationKind, School, SchoolOperator

API = "/api/v1/collaboration"
# The tests' "now": a Wednesday in the autumn term of 2026.
NOW = "2026-11-25T10:00:00+01:00"


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def api_send(client: Any, path: str, payload: Any, method: str = "post") -> Any:
    """A JSON request to the collaboration API (`path` after /api/v1/collaboration)."""
    return send_json(client, f"{API}{path}", payload, method)


def create_from_listing(client: Any, listing: str, new: str, data: dict[str, Any]) -> Any:
    """The listing links to the form `new`, and posting `data` there creates: a redirect."""
    assert reverse(new) in client.get(reverse(listing)).content.decode()
    response = client.post(reverse(new), data)
    assert response.status_code == 302
    return response


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def make_user(username: str, code: str, *roles: str) -> User:
    user = User.objects.create_user(
        username=username, password="x", first_name="Test", last_name=username.title()
    )
    user.organisation = org(code)
    user.save()
    user.roles.add(*[Role.objects.get_or_create(code=r)[0] for r in roles])
    return user


@pytest.fixture
def police_coordinator(registry_demo: Any) -> User:
    return make_user("lpo-farsta", "polisen-lpo-farsta", RoleCode.COLLABORATION_COORDINATOR)


@pytest.fixture
def sodermalm_coordinator(registry_demo: Any) -> User:
    return make_user("sodermalm", "0180-sodermalm", RoleCode.COLLABORATION_COORDINATOR)


def farsta_forum(name: str, kind: str, per_term: int, functions: list[str]) -> Forum:
    """A forum Farsta convenes with its local police as the other party."""
    forum = Forum.objects.create(
        district=org("0180-farsta"),
        name=name,
        kind=kind,
        required_per_term=per_term,
        required_functions=functions,
    )
    forum.parties.set([org("0180-farsta"), org("polisen-lpo-farsta")])
    return forum


@pytest.fixture
def children_forum(registry_demo: Any) -> Forum:
    return farsta_forum(
        "Barn och unga med polisen",
        ForumKind.CHILDREN_AT_RISK,
        3,
        [Function.UNIT_MANAGER, Function.POLICE_YOUTH_COORDINATOR],
    )


@pytest.fixture
def general_forum(registry_demo: Any) -> Forum:
    return farsta_forum(
        "Generella frågor Farsta",
        ForumKind.GENERAL_QUESTIONS,
        1,
        [Function.DEPARTMENT_HEAD, Function.SCHOOL_PRINCIPAL],
    )


@pytest.fixture
def plan(registry_demo: Any) -> ActionPlan:
    plan = ActionPlan.objects.create(
        district=org("0180-farsta"),
        title="Åtgärdsplan",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    for title, owner in (
        ("Kvällsvandringar", "0180-farsta"),
        ("Insats i centrum", "polisen-lpo-farsta"),
    ):
        Activity.objects.create(
            plan=plan,
            title=title,
            owner=org(owner),
            target_group=TargetGroup.UNSAFE_PLACES,
            due_date=date(2026, 12, 1),
        )
    return plan


@pytest.fixture
def city_school(registry_demo: Any) -> Organisation:
    """A municipal school in Norra innerstaden."""
    school, _ = Organisation.objects.get_or_create(
        code="99998001",
        defaults={
            "name": "Testskolan Norr (demo)",
            "kind": OrganisationKind.SCHOOL,
            "parent": org("0180-norra-innerstaden"),
        },
    )
    School.objects.get_or_create(
        organisation=school,
        defaults={
            "operator": SchoolOperator.MUNICIPAL,
            "has_compulsory": True,
            "district": org("0180-norra-innerstaden"),
        },
    )
    return school


@pytest.fixture
def principal(school_staff: User, city_school: Organisation) -> User:
    school_staff.organisation = city_school
    school_staff.save(update_fields=["organisation"])
    return school_staff
