"""Collaboration fixtures on top of the project-wide personas (top-level conftest.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from samverkan.accounts.models import Role, RoleCode, User
from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    Forum,
    ForumKind,
    Function,
    TargetGroup,
)
from samverkan.registry.models import Organisation, OrganisationKind, School, SchoolOperator


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


@pytest.fixture
def children_forum(registry_demo: Any) -> Forum:
    forum = Forum.objects.create(
        district=org("0180-farsta"),
        name="Barn och unga med polisen",
        kind=ForumKind.CHILDREN_AT_RISK,
        required_per_term=3,
        required_functions=[Function.UNIT_MANAGER, Function.POLICE_YOUTH_COORDINATOR],
    )
    forum.parties.set([org("0180-farsta"), org("polisen-lpo-farsta")])
    return forum


@pytest.fixture
def general_forum(registry_demo: Any) -> Forum:
    forum = Forum.objects.create(
        district=org("0180-farsta"),
        name="Generella frågor Farsta",
        kind=ForumKind.GENERAL_QUESTIONS,
        required_per_term=1,
        required_functions=[Function.DEPARTMENT_HEAD, Function.SCHOOL_PRINCIPAL],
    )
    forum.parties.set([org("0180-farsta"), org("polisen-lpo-farsta")])
    return forum


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
