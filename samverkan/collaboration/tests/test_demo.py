"""The demo data (issue 6): what the issue asks for, loaded twice without duplicates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.accounts.demo import load_demo as load_accounts
from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement, AgreementTypeCode
from samverkan.collaboration import demo
from samverkan.collaboration.models import (
    ActionPlan,
    CoLocation,
    Forum,
    ForumKind,
    Indicator,
    Meeting,
)
from samverkan.intake.models import ConcernReport, SourceChannel
from samverkan.registry.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded(registry_demo):
    load_accounts()
    demo.load_demo()
    demo.load_demo()  # idempotent


def test_demo_has_what_the_issue_asks_for(demo_loaded):
    colocations = CoLocation.objects.filter(district__code="0180-farsta")
    assert sorted(len(c.weekdays) for c in colocations) == [1, 2]
    assert {c.police_unit.code for c in colocations} == {"polisen-lpo-farsta"}
    children = Forum.objects.get(kind=ForumKind.CHILDREN_AT_RISK, district__code="0180-farsta")
    assert children.required_per_term == 3
    assert Forum.objects.filter(kind=ForumKind.GENERAL_QUESTIONS).count() == 1
    (plan,) = ActionPlan.objects.all()
    assert plan.activities.count() == 6
    assert plan.activities.values("owner").distinct().count() == 4
    assert plan.situational_picture is not None
    schools = School.objects.filter(district__code="0180-norra-innerstaden")
    compulsory = schools.filter(has_compulsory=True)
    upper = schools.filter(has_upper_secondary=True)
    assert (compulsory.count(), compulsory.filter(operator="independent").count()) == (14, 6)
    assert (upper.count(), upper.filter(operator="independent").count()) == (16, 15)
    assert all(s.organisation.code.startswith("9999") for s in schools)
    assert all("(demo)" in s.organisation.name for s in schools)
    agreements = Agreement.objects.filter(type__code=AgreementTypeCode.SCHOOL_COLLABORATION)
    assert 0 < agreements.count() < schools.count()
    skola = User.objects.get(username="skola")
    assert skola.organisation.school.district.code == "0180-norra-innerstaden"
    school_reports = ConcernReport.objects.filter(source_channel=SourceChannel.SCHOOL)
    assert school_reports.count() == 3
    assert {r.controller.code for r in school_reports} == {"0180-farsta"}
    assert 7 <= Meeting.objects.count() <= 8  # the third meeting this term once it is past
    assert Indicator.objects.count() == 5


def test_demo_pages_render(demo_loaded, logged_in_client):
    coordinator = User.objects.get(username="farsta")
    client = logged_in_client(coordinator)
    pages = [
        reverse("collaboration:index"),
        reverse("collaboration:colocation"),
        reverse("collaboration:serious_talks"),
        reverse("collaboration:picture_list"),
        reverse("collaboration:schools") + "?omrade=0180-norra-innerstaden",
        reverse("collaboration:indicators"),
        reverse("collaboration:plan_detail", args=[ActionPlan.objects.get().pk]),
        reverse(
            "collaboration:picture_detail", args=[ActionPlan.objects.get().situational_picture_id]
        ),
        "/",
    ]
    pages += [reverse("collaboration:forum_detail", args=[f.pk]) for f in Forum.objects.all()]
    pages += [reverse("collaboration:meeting_detail", args=[m.pk]) for m in Meeting.objects.all()]
    pages += [reverse("collaboration:meeting_edit", args=[Meeting.objects.first().pk])]
    for url in pages:
        assert client.get(url).status_code == 200, url
    school = logged_in_client(User.objects.get(username="skola"))
    for url in ("/", reverse("collaboration:school_report"), reverse("collaboration:index")):
        assert school.get(url).status_code == 200, url


def test_admin_lists_the_standing_set_up(demo_loaded, admin_client):
    for model in ("forum", "colocation", "actionplan", "indicator"):
        assert admin_client.get(f"/admin/collaboration/{model}/").status_code == 200, model
    forum = Forum.objects.first()
    assert admin_client.get(f"/admin/collaboration/forum/{forum.pk}/change/").status_code == 200


def test_demo_police_coordinator_updates_only_the_police_activities(demo_loaded, logged_in_client):
    from samverkan.collaboration.access import can_update_activity
    from samverkan.collaboration.models import Activity

    police = User.objects.get(username="polis-farsta")
    plan = ActionPlan.objects.get()
    mine = [a for a in Activity.objects.filter(plan=plan) if can_update_activity(police, a)]
    assert mine and {a.owner.code for a in mine} == {"polisen-lpo-farsta"}
    page = logged_in_client(police).get(reverse("collaboration:plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    assert mine[0].title in page.content.decode()


def test_schools_page_links_only_the_agreements_the_user_may_open(demo_loaded, logged_in_client):
    """The crawl (issue 9) found links from the school register to agreements answering 404."""
    reference = (
        Agreement.objects.filter(type__code=AgreementTypeCode.SCHOOL_COLLABORATION)
        .order_by("pk")
        .first()
    )
    url = reverse("agreements:detail", args=[reference.pk])
    for username, may_open in (("nacka", False), ("skola", True)):
        client = logged_in_client(User.objects.get(username=username))
        page = client.get(reverse("collaboration:schools")).content.decode()
        assert reference.reference in page
        assert (f'href="{url}"' in page) is may_open, username
        assert client.get(url).status_code == (200 if may_open else 404), username
