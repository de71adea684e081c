"""Records declared by the apps move in a merger like the rest (issue 16).

Co-location, indicators, serious talks, routines and homecoming plans were not
moved before; now each app declares them and the merger moves the open ones.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from samverkan.collaboration.models import CoLocation, Forum, Indicator, SeriousTalk
from samverkan.core.calendar import STOCKHOLM
from samverkan.homecoming.models import HomecomingAction, HomecomingPlan, PlanStatus
from samverkan.registry import change_rules as rules
from samverkan.registry.changes import change_apply, change_plan, change_register
from samverkan.registry.models import Organisation, OrganisationKind
from samverkan.registry.reference_data import STOCKHOLM_CODE
from samverkan.routines.models import Routine

pytestmark = pytest.mark.django_db

EFFECTIVE = date(2024, 3, 1)
NOW = datetime(2024, 3, 2, 9, 0, tzinfo=STOCKHOLM)


def _district(code: str, name: str, **extra: Any) -> Organisation:
    return Organisation.objects.create(
        code=code,
        name=name,
        kind=OrganisationKind.DISTRICT,
        parent=Organisation.objects.get(code=STOCKHOLM_CODE),
        **extra,
    )


def _plan(district: Organisation, police: Organisation, status: str) -> HomecomingPlan:
    return HomecomingPlan.objects.create(
        district=district,
        police_unit=police,
        person_id="200601012383",
        birth_date=date(2006, 1, 1),
        name="Test Testsson",
        sis_home="Testgården",
        expected_release=date(2024, 5, 1),
        risk_level="high",
        status=status,
    )


@pytest.fixture
def world(registry_demo: Any, admin_user: Any) -> dict[str, Any]:
    a = _district("0180-test-a", "Testområde A")
    b = _district("0180-test-b", "Testområde B")
    c = _district("0180-test-c", "Testområde C", valid_from=EFFECTIVE)
    police = Organisation.objects.filter(code__startswith="polisen-lpo-").first()
    assert police is not None
    open_plan = _plan(a, police, PlanStatus.RETURNED)
    closed_plan = _plan(a, police, PlanStatus.CLOSED)
    action = HomecomingAction.objects.create(
        plan=open_plan, party=a, text="Skolplacering", owner_name="X", due_date=date(2024, 4, 1)
    )
    routine = Routine.objects.create(
        owner=a, topic="homecoming", title="Hemtagning A", review_date=date(2025, 1, 1)
    )
    routine.parties.set([a, b])
    return {
        "a": a,
        "b": b,
        "c": c,
        "open_plan": open_plan,
        "closed_plan": closed_plan,
        "action": action,
        "routine": routine,
        "colocation": CoLocation.objects.create(
            district=a, police_unit=police, social_worker="S", valid_from=date(2023, 1, 1)
        ),
        "ended_colocation": CoLocation.objects.create(
            district=b,
            police_unit=police,
            social_worker="S",
            valid_from=date(2022, 1, 1),
            valid_to=date(2022, 12, 31),
        ),
        "indicator": Indicator.objects.create(
            district=b,
            name="Andel",
            kind="school_preliminary_within_14_days",
            forum=Forum.objects.create(
                district=b, name="Forum B", kind="general_questions", required_per_term=2
            ),
        ),
        "talk": SeriousTalk.objects.create(
            district=a,
            police_unit=police,
            held_on=date(2024, 1, 10),
            person_id="200801012385",
            social_worker="S",
            police_officer="P",
            recorded_by=admin_user,
        ),
        "admin": admin_user,
    }


def test_the_preview_and_the_merger_move_what_the_apps_declared(world: dict[str, Any]) -> None:
    a, b, c = world["a"], world["b"], world["c"]
    change = change_register(
        actor=world["admin"],
        kind=rules.MERGER,
        effective_date=EFFECTIVE,
        ending=[a, b],
        successors={c.pk: list(rules.RESPONSIBILITIES)},
        now=datetime(2024, 2, 1, 9, 0, tzinfo=STOCKHOLM),
    )
    moving = {(m.candidate.record_type, m.candidate.field) for m in change_plan(change).moves}
    assert {
        ("homecoming.HomecomingPlan", "district"),
        ("homecoming.HomecomingAction", "party"),
        ("routines.Routine", "owner"),
        ("routines.Routine", "parties"),
        ("collaboration.CoLocation", "district"),
        ("collaboration.Indicator", "district"),
        ("collaboration.SeriousTalk", "district"),
    } <= moving

    change_apply(actor=world["admin"], change=change, now=NOW)
    for name in ("open_plan", "colocation", "indicator", "talk"):
        world[name].refresh_from_db()
        assert world[name].district_id == c.pk, name
    world["action"].refresh_from_db()
    assert world["action"].party_id == c.pk
    world["routine"].refresh_from_db()
    assert world["routine"].owner_id == c.pk
    # Both A and B were parties: C is a party once.
    assert list(world["routine"].parties.values_list("pk", flat=True)) == [c.pk]
    # Closed records keep their organisation.
    world["closed_plan"].refresh_from_db()
    assert world["closed_plan"].district_id == a.pk
    world["ended_colocation"].refresh_from_db()
    assert world["ended_colocation"].district_id == b.pk
