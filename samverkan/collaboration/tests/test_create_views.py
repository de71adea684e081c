"""Coordinators create forums, action plans, co-location entries and indicators in the app."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    CoLocation,
    Forum,
    ForumKind,
    Function,
    Indicator,
    IndicatorKind,
    TargetGroup,
)
from samverkan.collaboration.tests.conftest import create_from_listing, org
from samverkan.core.testing.forms import page_after_refusal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def forum_form(**overrides):
    return {
        "district": str(org("0180-farsta").pk),
        "name": "Trygghetsforum Farsta",
        "kind": ForumKind.GENERAL_QUESTIONS,
        "required_per_term": "3",
        "required_functions": [Function.UNIT_MANAGER, Function.SCHOOL_PRINCIPAL],
        "parties": [str(org("polisen-lpo-farsta").pk)],
        "purpose": "",
        **overrides,
    }


def test_coordinator_creates_a_forum_that_appears_in_the_list(
    logged_in_client, collaboration_coordinator
):
    client = logged_in_client(collaboration_coordinator)
    assert client.get(reverse("collaboration:forum_new")).status_code == 200
    response = create_from_listing(
        client, "collaboration:index", "collaboration:forum_new", forum_form()
    )
    forum = Forum.objects.get()
    assert response["Location"] == reverse("collaboration:forum_detail", args=[forum.pk])
    assert forum.district.code == "0180-farsta"
    assert forum.required_per_term == 3
    assert forum.required_functions == [Function.UNIT_MANAGER, Function.SCHOOL_PRINCIPAL]
    assert {p.code for p in forum.parties.all()} == {"0180-farsta", "polisen-lpo-farsta"}
    assert AuditEntry.objects.filter(record_type="collaboration.Forum").exists()
    assert "Trygghetsforum Farsta" in client.get(reverse("collaboration:index")).content.decode()


def test_forum_creation_is_for_the_districts_own_coordinator(
    logged_in_client, nacka_receiver, sodermalm_coordinator, police_coordinator
):
    url = reverse("collaboration:forum_new")
    assert logged_in_client(nacka_receiver).get(url).status_code == 403
    assert logged_in_client(nacka_receiver).post(url, forum_form()).status_code == 403
    assert logged_in_client(police_coordinator).get(url).status_code == 403
    other = logged_in_client(sodermalm_coordinator)
    assert other.get(url).status_code == 200  # for Södermalm's own forums
    assert other.post(url, forum_form()).status_code == 403  # not Farsta's
    assert Forum.objects.count() == 0


def plan_form(**overrides):
    return {
        "district": str(org("0180-farsta").pk),
        "title": "Trygg i Farsta centrum",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "situational_picture": "",
        **overrides,
    }


def test_coordinator_creates_an_action_plan_and_adds_activities(
    logged_in_client, collaboration_coordinator, police_coordinator, children_forum
):
    """The police are a party through Farsta's forum, so they may own an activity."""
    client = logged_in_client(collaboration_coordinator)
    response = create_from_listing(
        client, "collaboration:picture_list", "collaboration:plan_new", plan_form()
    )
    plan = ActionPlan.objects.get()
    assert response["Location"] == reverse("collaboration:plan_detail", args=[plan.pk])
    assert plan.district.code == "0180-farsta"
    assert (
        "Trygg i Farsta centrum"
        in client.get(reverse("collaboration:picture_list")).content.decode()
    )
    response = client.post(
        reverse("collaboration:plan_detail", args=[plan.pk]),
        {
            "title": "Kvällsvandringar vid torget",
            "owner": str(org("polisen-lpo-farsta").pk),
            "target_group": TargetGroup.UNSAFE_PLACES,
            "status": ActivityStatus.ONGOING,
            "due_date": "2027-06-30",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(plan=plan)
    assert activity.owner.code == "polisen-lpo-farsta"
    assert activity.status == ActivityStatus.ONGOING
    # The owning party sees the plan and its activity.
    page = logged_in_client(police_coordinator).get(
        reverse("collaboration:plan_detail", args=[plan.pk])
    )
    assert "Kvällsvandringar vid torget" in page.content.decode()


def colocation_form(**overrides):
    return {
        "district": str(org("0180-farsta").pk),
        "police_unit": str(org("polisen-lpo-farsta").pk),
        "social_worker": "Sara Lind",
        "weekdays": ["1", "3"],
        "valid_from": "2026-11-30",
        "valid_to": "",
        "note": "",
        **overrides,
    }


def test_coordinator_adds_a_colocation_shown_to_both_sides(
    logged_in_client, collaboration_coordinator, police_coordinator
):
    client = logged_in_client(collaboration_coordinator)
    response = create_from_listing(
        client, "collaboration:colocation", "collaboration:colocation_new", colocation_form()
    )
    assert response["Location"] == reverse("collaboration:colocation")
    colocation = CoLocation.objects.get(social_worker="Sara Lind")
    assert colocation.weekdays == [1, 3]
    assert colocation.district.code == "0180-farsta"
    for user in (collaboration_coordinator, police_coordinator):
        page = logged_in_client(user).get(reverse("collaboration:colocation")).content.decode()
        assert "Sara Lind" in page


def test_colocation_errors_keep_the_input(logged_in_client, collaboration_coordinator):
    client = logged_in_client(collaboration_coordinator)
    page = page_after_refusal(
        client,
        reverse("collaboration:colocation_new"),
        colocation_form(weekdays=[], social_worker="Kvar Kvarsson"),
    )
    assert "Välj minst en veckodag." in page and "Kvar Kvarsson" in page
    response = client.post(
        reverse("collaboration:colocation_new"), colocation_form(valid_to="2026-11-01")
    )
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()
    assert not CoLocation.objects.filter(social_worker__in=["Kvar Kvarsson", "Sara Lind"]).exists()


def indicator_form(chosen_forum, **overrides):
    return {
        "district": str(org("0180-farsta").pk),
        "name": "Unga med plan efter allvarssamtal",
        "kind": IndicatorKind.MANUAL,
        "forum": str(chosen_forum.pk),
        "agreement": "",
        "unit": "st",
        "higher_is_better": "on",
        "description": "",
        **overrides,
    }


def test_coordinator_defines_an_indicator_that_appears_in_the_list(
    logged_in_client, collaboration_coordinator, children_forum
):
    client = logged_in_client(collaboration_coordinator)
    response = create_from_listing(
        client,
        "collaboration:indicators",
        "collaboration:indicator_new",
        indicator_form(children_forum),
    )
    assert response["Location"] == reverse("collaboration:indicators")
    indicator = Indicator.objects.get(name="Unga med plan efter allvarssamtal")
    assert indicator.forum == children_forum and indicator.district.code == "0180-farsta"
    page = client.get(reverse("collaboration:indicators")).content.decode()
    assert "Unga med plan efter allvarssamtal" in page
    assert reverse("collaboration:indicator_value", args=[indicator.pk]) in page


@pytest.mark.parametrize(
    ("url_name", "model", "form", "message", "kept"),
    [
        (
            "collaboration:forum_new",
            Forum,
            lambda forum: forum_form(required_per_term="0", name="Mitt forum"),
            "större än eller lika med 1",
            "Mitt forum",
        ),
        (
            "collaboration:plan_new",
            ActionPlan,
            lambda forum: plan_form(period_end="2026-12-31", title="Min plan"),
            "Planens slut kan inte vara före dess början.",
            "Min plan",
        ),
        (
            "collaboration:indicator_new",
            Indicator,
            # an indicator follows up a forum or an agreement: neither is chosen
            lambda forum: indicator_form(forum, forum="", name="Min indikator"),
            "Välj forumet eller avtalet som indikatorn gäller.",
            "Min indikator",
        ),
    ],
    ids=["forum", "plan", "indicator"],
)
def test_form_errors_are_swedish_and_keep_the_input(
    url_name,
    model,
    form,
    message,
    kept,
    logged_in_client,
    collaboration_coordinator,
    children_forum,
):
    before = model.objects.count()
    page = page_after_refusal(
        logged_in_client(collaboration_coordinator), reverse(url_name), form(children_forum)
    )
    assert message in page and kept in page
    assert model.objects.count() == before


@pytest.mark.parametrize(
    ("url_name", "model", "form"),
    [
        ("collaboration:plan_new", ActionPlan, lambda forum: plan_form()),
        ("collaboration:colocation_new", CoLocation, lambda forum: colocation_form()),
        ("collaboration:indicator_new", Indicator, indicator_form),
    ],
)
def test_creation_is_for_the_districts_own_coordinator(
    url_name,
    model,
    form,
    logged_in_client,
    nacka_receiver,
    sodermalm_coordinator,
    police_coordinator,
    children_forum,
):
    """Not for another role, the police's coordinator, or another district's coordinator."""
    url = reverse(url_name)
    before = model.objects.count()
    assert logged_in_client(nacka_receiver).get(url).status_code == 403
    data = form(children_forum)
    assert logged_in_client(police_coordinator).post(url, data).status_code == 403
    assert logged_in_client(sodermalm_coordinator).post(url, data).status_code == 403
    assert model.objects.count() == before
