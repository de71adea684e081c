"""Homecoming fixtures on top of the project-wide personas (top-level conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from samverkan.accounts.demo import ensure_demo_user
from samverkan.accounts.models import RoleCode, User
from samverkan.core.testing.people import clock_at, org, user_with_roles
from samverkan.homecoming import services
from samverkan.homecoming.models import (
    HomecomingAction,
    HomecomingContact,
    HomecomingPlan,
    RiskLevel,
    SharingBasis,
)
from samverkan.intake.demo import demo_person_id

__all__ = [
    "API_PLAN",
    "OVER_21",
    "add_action",
    "add_contact",
    "consent_plan_with_police_visit",
    "make_plan",
    "org",
    "stop_sharing_with_the_police",
]

TODAY = date(2026, 11, 25)
YOUNG = demo_person_id(date(2009, 4, 12), female=False)  # 17 on TODAY
OVER_21 = demo_person_id(date(2004, 1, 10), female=True)  # 22 on TODAY


# A plan as a case system posts it to the API: the fields it must give, no more.
API_PLAN = {
    "district": "0180-farsta",
    "police_unit": "polisen-lpo-farsta",
    "person_id": "20090412-2397",
    "name": "Elias Exempelsson",
    "sis_home": "Demohemmet",
    "expected_release": "2026-12-16",
    "risk_level": "high",
}


_clock = clock_at("2026-11-25T10:00:00+01:00")


@pytest.fixture
def farsta_police(registry_demo: Any) -> User:
    """The demo persona `polis-farsta`: the local police's coordinator in Farsta."""
    return ensure_demo_user("polis-farsta")


@pytest.fixture
def sodermalm_coordinator(registry_demo: Any) -> User:
    return user_with_roles("sodermalm", "0180-sodermalm", RoleCode.COLLABORATION_COORDINATOR)


def make_plan(
    actor: User, *, basis: str = SharingBasis.OSL_10_18A, **overrides: Any
) -> HomecomingPlan:
    data: dict[str, Any] = {
        "district": org("0180-farsta"),
        "police_unit": org("polisen-lpo-farsta"),
        "person_id": YOUNG,
        "name": "Elias Exempelsson",
        "sis_home": "Hemlighemmet SiS",
        "expected_release": date(2026, 12, 16),
        "risk_level": RiskLevel.HIGH,
        "concrete_risk": "Konkret risk: kontakt med nätverket under placeringen.",
        "risk_assessment": "Socialtjänstens interna bedömning av skyddsfaktorer.",
        "sharing_basis": basis,
        "basis_note": "Samtycke från den unge och mamman 2026-11-20, se akten."
        if basis == SharingBasis.CONSENT
        else "Intern anteckning om grunden.",
    }
    data.update(overrides)
    return services.plan_create(actor=actor, **data)


def add_action(
    actor: User, plan: HomecomingPlan, party_code: str, text: str, due: date, **extra: Any
) -> HomecomingAction:
    """An action of the party with this code, given by `actor` (social services)."""
    return services.action_add(
        actor=actor,
        plan_id=plan.pk,
        party=org(party_code),
        text=text,
        owner_name=extra.pop("owner_name", "Ansvarig"),
        due_date=due,
        **extra,
    )


def add_contact(
    actor: User, plan: HomecomingPlan, org_code: str, name: str, title: str, phone: str = ""
) -> HomecomingContact:
    """A contact of the party with this code, added by `actor`."""
    return services.contact_add(
        actor=actor,
        plan_id=plan.pk,
        organisation=org(org_code),
        name=name,
        title=title,
        phone=phone,
    )


def consent_plan_with_police_visit(
    coordinator: User, police: User, police_email: str
) -> HomecomingPlan:
    """A plan shared with the police by consent, with a home visit as the police's action;
    the police's coordinator is reached by mail at `police_email`."""
    police.email = police_email
    police.save(update_fields=["email"])
    plan = make_plan(coordinator, basis=SharingBasis.CONSENT)
    add_action(coordinator, plan, "polisen-lpo-farsta", "Hembesök", date(2026, 12, 1))
    return plan


def stop_sharing_with_the_police(
    coordinator: User, plan: HomecomingPlan, capture_on_commit: Callable[..., Any]
) -> None:
    """`coordinator` takes away the basis for sharing, confirming that the police lose what
    they saw; what the commit sends (the police's mail) is sent."""
    with capture_on_commit(execute=True):
        services.basis_record(
            actor=coordinator,
            plan_id=plan.pk,
            sharing_basis=SharingBasis.NONE,
            confirm_police_loss=True,
        )


@pytest.fixture
def plan(collaboration_coordinator: User) -> HomecomingPlan:
    """A plan shared with the police under 10 kap. 18 a § OSL, with actions for both parties."""
    plan = make_plan(collaboration_coordinator)
    for party, text, due in (
        ("0180-farsta", "Socialtjänstens hemliga åtgärd", date(2026, 11, 20)),
        ("polisen-lpo-farsta", "Polisens åtgärd", date(2026, 11, 24)),
        ("polisen-lpo-farsta", "Polisens senare åtgärd", date(2026, 12, 20)),
    ):
        add_action(collaboration_coordinator, plan, party, text, due)
    add_contact(
        collaboration_coordinator,
        plan,
        "polisen-lpo-farsta",
        "Ungdomssamordnaren",
        "Polisens ungdomssamordnare",
        phone="070-174 06 10",
    )
    return plan
