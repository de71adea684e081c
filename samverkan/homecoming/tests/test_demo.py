"""The demo data of issue 11: a routine in two versions on Farsta's forum and a homecoming plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.accounts.demo import load_demo as load_accounts
from samverkan.accounts.models import User
from samverkan.collaboration import demo as collaboration_demo
from samverkan.collaboration.models import Forum
from samverkan.core.identity import parse_person_id
from samverkan.core.startpage import panels_for
from samverkan.homecoming import demo as homecoming_demo
from samverkan.homecoming import selectors
from samverkan.homecoming.models import HomecomingPlan
from samverkan.routines import demo as routines_demo
from samverkan.routines.models import Routine

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded(registry_demo):
    load_accounts()
    collaboration_demo.load_demo()
    for _ in range(2):  # idempotent
        routines_demo.load_demo()
        homecoming_demo.load_demo()


def test_demo_routine_has_two_versions_on_farstas_forum(demo_loaded, logged_in_client):
    routine = Routine.objects.get(title=routines_demo.HOMECOMING_TITLE)
    assert routine.versions.count() == 2 and routine.current_version.number == 2
    forum = Forum.objects.get(name=collaboration_demo.CHILDREN_FORUM)
    assert routine in forum.routines.all()
    farsta = User.objects.get(username="farsta")
    page = logged_in_client(farsta).get(reverse("collaboration:forum_detail", args=[forum.pk]))
    assert routines_demo.HOMECOMING_TITLE in page.content.decode()
    # The secrecy material is past its review date: on the coordinator's start page.
    assert any("se över" in str(p.title) for p in panels_for(farsta))


def test_demo_plan_has_actions_for_social_services_and_police(demo_loaded):
    (plan,) = HomecomingPlan.objects.all()
    assert plan.district.code == "0180-farsta" and plan.sharing_basis == "osl_10_18a"
    assert parse_person_id(plan.person_id).number == plan.person_id
    assert plan.person_id[8:11] == "239"  # Skatteverket's test series
    parties = set(plan.actions.values_list("party__code", flat=True))
    assert parties == {"0180-farsta", "polisen-lpo-farsta"}
    police = User.objects.get(username="polis-farsta")
    farsta = User.objects.get(username="farsta")
    assert [a.overdue for a in selectors.overdue_actions_for(police)] == [True]
    assert [a.overdue for a in selectors.overdue_actions_for(farsta)] == [True]
    assert selectors.plan_view(police, plan.pk).sis_home is None
