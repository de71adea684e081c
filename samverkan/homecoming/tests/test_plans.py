"""Homecoming plans from the outside: who sees what, by basis; overdue lists; audit; access."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.core.startpage import panels_for
from samverkan.core.testing.api import error_text
from samverkan.core.testing.forms import page_after_refusal
from samverkan.core.testing.json_requests import send_json
from samverkan.homecoming import access, rules, selectors, services
from samverkan.homecoming.models import ActionStatus, HomecomingAction, SharingBasis
from samverkan.homecoming.tests.conftest import (
    API_PLAN,
    OVER_21,
    add_action,
    add_contact,
    consent_plan_with_police_visit,
    make_plan,
    org,
    stop_sharing_with_the_police,
)
from samverkan.intake.demo import demo_person_id

pytestmark = pytest.mark.django_db

YOUNG_NAME = "Elias Exempelsson"  # make_plan's name

HIDDEN_FROM_POLICE_UNDER_OSL = (
    "Hemlighemmet SiS",  # placement
    "Socialtjänstens interna bedömning",  # risk assessment
    "Socialtjänstens hemliga åtgärd",  # another party's action
    "Intern anteckning om grunden",  # basis note
)


def views_of(plan_id: int) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action="view", record_type="homecoming.HomecomingPlan", record_id=str(plan_id)
        ).order_by("id")
    )


# --- the police party sees only what the recorded basis allows ---------------------------------


def test_police_under_osl_see_identity_release_risk_own_actions_and_contacts(
    plan, farsta_police, logged_in_client
):
    view = selectors.plan_view(farsta_police, plan.pk)
    assert view is not None and view.viewer_party == "police"
    assert view.person_id == plan.person_id and view.name == "Elias Exempelsson"
    assert view.expected_release == date(2026, 12, 16)
    assert view.concrete_risk.startswith("Konkret risk")
    assert view.sis_home is None and view.risk_assessment is None and view.basis_note is None
    assert view.follow_ups is None
    assert [a.text for a in view.actions] == ["Polisens åtgärd", "Polisens senare åtgärd"]
    assert [c.name for c in view.contacts] == ["Ungdomssamordnaren"]

    client = logged_in_client(farsta_police)
    page = client.get(reverse("homecoming:detail", args=[plan.pk])).content.decode()
    data = client.get(f"/api/v1/homecoming/plans/{plan.pk}").json()
    listing = client.get("/api/v1/homecoming/plans").content.decode()
    for secret in HIDDEN_FROM_POLICE_UNDER_OSL:
        assert secret not in page
        assert secret not in json.dumps(data, ensure_ascii=False)
        assert secret not in listing
    assert "Elias Exempelsson" in page and "Polisens åtgärd" in page
    assert data["sis_home"] is None and data["risk_assessment"] is None
    assert data["follow_ups"] is None
    assert data["sections"] == ["concrete_risk", "contacts", "identity", "own_actions", "release"]


def test_police_with_consent_see_the_plan_but_not_the_documentation_of_consent(
    collaboration_coordinator, farsta_police
):
    plan = make_plan(collaboration_coordinator, basis=SharingBasis.CONSENT)
    add_action(
        collaboration_coordinator,
        plan,
        "0180-farsta",
        "Socialtjänstens åtgärd",
        date(2026, 12, 1),
        owner_name="Socialsekreterare",
    )
    view = selectors.plan_view(farsta_police, plan.pk)
    assert view.sis_home == "Hemlighemmet SiS"
    assert view.risk_assessment.startswith("Socialtjänstens interna")
    assert [a.text for a in view.actions] == ["Socialtjänstens åtgärd"]
    assert view.follow_ups == []
    assert view.basis_note is None


def test_without_a_basis_the_police_see_nothing_and_get_no_actions(
    collaboration_coordinator, farsta_police, logged_in_client
):
    plan = make_plan(collaboration_coordinator, basis=SharingBasis.NONE, concrete_risk="")
    assert selectors.plan_view(farsta_police, plan.pk) is None
    client = logged_in_client(farsta_police)
    assert client.get(reverse("homecoming:detail", args=[plan.pk])).status_code == 404
    assert client.get(f"/api/v1/homecoming/plans/{plan.pk}").status_code == 404
    with pytest.raises(services.InvalidInput, match="18 a §"):
        add_action(
            collaboration_coordinator,
            plan,
            "polisen-lpo-farsta",
            "Polisens åtgärd",
            date(2026, 12, 1),
            owner_name="Ungdomssamordnare",
        )


def test_withdrawing_the_basis_takes_the_plan_and_its_actions_from_the_police(
    plan, collaboration_coordinator, farsta_police
):
    assert selectors.overdue_actions_for(farsta_police)
    services.basis_record(
        actor=collaboration_coordinator,
        plan_id=plan.pk,
        sharing_basis=SharingBasis.NONE,
        confirm_police_loss=True,
    )
    assert selectors.plan_view(farsta_police, plan.pk) is None
    assert selectors.overdue_actions_for(farsta_police) == []
    assert not access.actions_visible_to(farsta_police).exists()


def test_osl_basis_needs_someone_under_21_and_a_concrete_risk(collaboration_coordinator):
    with pytest.raises(services.InvalidInput, match="fyllt 21"):
        make_plan(collaboration_coordinator, person_id=OVER_21)
    with pytest.raises(services.InvalidInput, match="konkreta risken") as error:
        make_plan(collaboration_coordinator, concrete_risk="")
    assert error.value.field == "concrete_risk"
    with pytest.raises(services.InvalidInput) as error:
        make_plan(collaboration_coordinator, basis=SharingBasis.CONSENT, basis_note="")
    assert error.value.field == "basis_note"
    # Over 21, consent is the only way to share.
    assert make_plan(collaboration_coordinator, person_id=OVER_21, basis=SharingBasis.CONSENT)


def test_the_osl_basis_lapses_for_the_police_when_the_young_person_turns_21(
    collaboration_coordinator, farsta_police, time_machine
):
    # Turns 21 on 2 December 2026.
    plan = make_plan(collaboration_coordinator, person_id=demo_person_id(date(2005, 12, 2)))
    assert selectors.plan_view(farsta_police, plan.pk) is not None
    time_machine.move_to("2026-12-02T09:00:00+01:00", tick=False)
    assert selectors.plan_view(farsta_police, plan.pk) is None
    assert selectors.plan_view(collaboration_coordinator, plan.pk).sharing_basis == "none"


# --- the overdue lists on each party's start page ----------------------------------------------


def test_each_party_sees_its_own_overdue_actions(
    plan, collaboration_coordinator, farsta_police, farsta_receiver
):
    police = selectors.overdue_actions_for(farsta_police)
    assert [a.text for a in police] == ["Polisens åtgärd"]
    assert police[0].overdue and police[0].plan_reference == f"H-{plan.pk}"
    district = selectors.overdue_actions_for(collaboration_coordinator)
    assert [a.text for a in district] == ["Socialtjänstens hemliga åtgärd"]
    assert [a.text for a in selectors.overdue_actions_for(farsta_receiver)] == [
        "Socialtjänstens hemliga åtgärd"
    ]
    # Due within 30 days as well, not overdue.
    soon = selectors.overdue_actions_for(farsta_police, soon_days=30)
    assert [(a.text, a.overdue) for a in soon] == [
        ("Polisens åtgärd", True),
        ("Polisens senare åtgärd", False),
    ]


def test_start_page_panel_shows_overdue_actions_without_personal_data(plan, farsta_police):
    (panel,) = [p for p in panels_for(farsta_police) if "hemtagningsplaner" in str(p.title)]
    assert [i.urgent for i in panel.items] == [True]
    assert f"H-{plan.pk}" in str(panel.items[0].text)
    assert "Elias" not in str(panel.items[0].text) and plan.person_id not in str(panel.items)


def test_done_actions_and_closed_plans_leave_the_overdue_list(
    plan, collaboration_coordinator, farsta_police
):
    action = HomecomingAction.objects.get(text="Polisens åtgärd")
    services.action_update(actor=farsta_police, action_id=action.pk, status=ActionStatus.DONE)
    assert selectors.overdue_actions_for(farsta_police) == []
    assert selectors.overdue_actions_for(collaboration_coordinator)
    services.plan_close(actor=collaboration_coordinator, plan_id=plan.pk)
    assert selectors.overdue_actions_for(collaboration_coordinator) == []


def test_api_lists_the_callers_due_actions(plan, farsta_police, logged_in_client):
    data = logged_in_client(farsta_police).get("/api/v1/homecoming/due-actions").json()
    assert [a["text"] for a in data] == ["Polisens åtgärd"]


# --- access: only the parties ------------------------------------------------------------------


def test_non_parties_get_404_everywhere(
    plan, nacka_receiver, sodermalm_coordinator, school_staff, logged_in_client
):
    action = HomecomingAction.objects.filter(plan=plan).first()
    for user in (nacka_receiver, sodermalm_coordinator):
        client = logged_in_client(user)
        for url in (
            reverse("homecoming:detail", args=[plan.pk]),
            reverse("homecoming:action_update", args=[plan.pk, action.pk]),
            reverse("homecoming:contact_new", args=[plan.pk]),
            f"/api/v1/homecoming/plans/{plan.pk}",
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert client.get("/api/v1/homecoming/plans").json() == []
        response = send_json(client, f"/api/v1/homecoming/actions/{action.pk}", {"status": "done"})
        assert response.status_code == 404
    assert (
        AuditEntry.objects.filter(
            action="view", actor_user__in=[nacka_receiver, sodermalm_coordinator]
        ).count()
        == 0
    )
    # School staff of a school that is not a party: nothing either.
    assert (
        logged_in_client(school_staff).get(reverse("homecoming:detail", args=[plan.pk])).status_code
        == 404
    )


def test_police_cannot_write_the_plan_or_others_actions(plan, farsta_police, logged_in_client):
    client = logged_in_client(farsta_police)
    assert client.get(reverse("homecoming:basis", args=[plan.pk])).status_code == 403
    assert client.get(reverse("homecoming:action_new", args=[plan.pk])).status_code == 403
    district_action = HomecomingAction.objects.get(text="Socialtjänstens hemliga åtgärd")
    assert (
        client.get(
            reverse("homecoming:action_update", args=[plan.pk, district_action.pk])
        ).status_code
        == 404
    )
    with pytest.raises(services.NotFound):
        services.action_update(
            actor=farsta_police, action_id=district_action.pk, status=ActionStatus.DONE
        )
    response = send_json(
        client,
        f"/api/v1/homecoming/plans/{plan.pk}/basis",
        {"sharing_basis": "consent", "basis_note": "x"},
    )
    assert response.status_code == 403


def test_police_update_their_own_action_and_add_their_own_contact(
    plan, farsta_police, logged_in_client
):
    client = logged_in_client(farsta_police)
    action = HomecomingAction.objects.get(text="Polisens åtgärd")
    url = reverse("homecoming:action_update", args=[plan.pk, action.pk])
    # The page names the action and its form posts back here, with a way back to the plan.
    form_page = client.get(url).content.decode()
    assert "Polisens åtgärd" in form_page
    assert f'<form method="post" action="{url}"' in form_page
    assert f'<a href="{reverse("homecoming:detail", args=[plan.pk])}">Avbryt</a>' in form_page
    response = client.post(
        reverse("homecoming:action_update", args=[plan.pk, action.pk]),
        {"status": "done", "note": "Områdespoliserna är informerade."},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == date(2026, 11, 25)
    with pytest.raises(services.NotAllowed):
        add_contact(farsta_police, plan, "0180-farsta", "Någon", "Socialsekreterare")


# --- audit of every view -----------------------------------------------------------------------


def test_every_view_of_a_plan_is_audited_with_party_and_basis(
    plan, collaboration_coordinator, farsta_police, logged_in_client
):
    before = len(views_of(plan.pk))
    police = logged_in_client(farsta_police)
    police.get(reverse("homecoming:detail", args=[plan.pk]))
    police.get(reverse("homecoming:index"))
    police.get(f"/api/v1/homecoming/plans/{plan.pk}")
    police.get(reverse("homecoming:contact_new", args=[plan.pk]))
    district = logged_in_client(collaboration_coordinator)
    district.get(reverse("homecoming:detail", args=[plan.pk]))
    district.get(reverse("homecoming:basis", args=[plan.pk]))
    entries = views_of(plan.pk)[before:]
    assert len(entries) == 6
    assert [e.actor_user_id for e in entries] == [farsta_police.pk] * 4 + [
        collaboration_coordinator.pk
    ] * 2
    assert all(e.controller == "0180-farsta" for e in entries)
    assert entries[0].detail["party"] == "police" and entries[0].detail["basis"] == "osl_10_18a"
    assert "risk_assessment" not in entries[0].detail["sections"]
    assert entries[-1].detail["party"] == "district"


# --- the district's side -----------------------------------------------------------------------


def test_return_and_follow_up(plan, collaboration_coordinator, farsta_police):
    with pytest.raises(services.InvalidInput, match="kommit hem"):
        services.follow_up_add(
            actor=collaboration_coordinator, plan_id=plan.pk, held_on=date(2026, 11, 25), text="x"
        )
    services.return_record(
        actor=collaboration_coordinator, plan_id=plan.pk, released_on=date(2026, 11, 24)
    )
    services.follow_up_add(
        actor=collaboration_coordinator,
        plan_id=plan.pk,
        held_on=date(2026, 11, 25),
        text="Första dagen i skolan gick bra.",
    )
    district = selectors.plan_view(collaboration_coordinator, plan.pk)
    assert district.status == "returned" and len(district.follow_ups) == 1
    police = selectors.plan_view(farsta_police, plan.pk)
    assert police.released_on == date(2026, 11, 24) and police.follow_ups is None


def test_create_plan_through_the_form(collaboration_coordinator, logged_in_client):
    client = logged_in_client(collaboration_coordinator)
    form = {
        "district": str(org("0180-farsta").pk),
        "person_id": "20090412-2397",
        "name": "Elias Exempelsson",
        "sis_home": "Demohemmet",
        "expected_release": "2026-12-16",
        "police_unit": str(org("polisen-lpo-farsta").pk),
        "school": "",
        "risk_level": "high",
        "concrete_risk": "",
        "risk_assessment": "",
        "sharing_basis": "osl_10_18a",
        "basis_note": "",
    }
    page = page_after_refusal(client, reverse("homecoming:new"), form)
    assert "konkreta risken" in page
    assert "Elias Exempelsson" in page  # nothing lost
    form["concrete_risk"] = "Nätverket har sökt kontakt."
    response = client.post(reverse("homecoming:new"), form)
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "20090412-2397" in detail and "10 kap. 18 a § OSL" in detail


def test_api_create_share_and_act(collaboration_coordinator, farsta_police, logged_in_client):
    client = logged_in_client(collaboration_coordinator)
    response = send_json(client, "/api/v1/homecoming/plans", API_PLAN)
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    police = logged_in_client(farsta_police)
    assert police.get(f"/api/v1/homecoming/plans/{plan_id}").status_code == 404
    refused = send_json(
        client, f"/api/v1/homecoming/plans/{plan_id}/basis", {"sharing_basis": "osl_10_18a"}
    )
    assert refused.status_code == 422 and "konkreta risken" in error_text(refused)
    shared = send_json(
        client,
        f"/api/v1/homecoming/plans/{plan_id}/basis",
        {"sharing_basis": "osl_10_18a", "concrete_risk": "Nätverket söker kontakt."},
    )
    assert shared.status_code == 200
    action = send_json(
        client,
        f"/api/v1/homecoming/plans/{plan_id}/actions",
        {
            "party": "polisen-lpo-farsta",
            "text": "Kontakt första veckan",
            "owner_name": "Ungdomssamordnaren",
            "due_date": "2026-12-20",
        },
    )
    assert action.status_code == 201
    data = police.get(f"/api/v1/homecoming/plans/{plan_id}").json()
    assert [a["text"] for a in data["actions"]] == ["Kontakt första veckan"]
    assert data["sis_home"] is None
    done = send_json(
        police, f"/api/v1/homecoming/actions/{action.json()['id']}", {"status": "done"}
    )
    assert done.status_code == 200
    assert client.post(f"/api/v1/homecoming/plans/{plan_id}/close").json()["status"] == "closed"


# --- what the police see, said exactly, and a change of basis that takes it away --------------


def test_help_text_lists_exactly_what_the_police_see_under_osl(
    plan, farsta_police, logged_in_client
):
    """The help text comes from the same table the pages obey: what is shown is named
    (school and risk level included), what is hidden is named as hidden."""
    shown, hidden = (
        rules.basis_help_text()
        .split("10 kap. 18 a § OSL (under 21 år, konkret risk)")[1]
        .split(" – inte ")
    )
    for seen in ("skolan", "risknivån", "den konkreta risken", "sina egna åtgärder", "kontakterna"):
        assert seen in shown
    for unseen in ("SiS-hem", "riskbedömning", "andra parternas åtgärder", "uppföljningen"):
        assert unseen in hidden and unseen not in shown
    page = logged_in_client(farsta_police).get(reverse("homecoming:detail", args=[plan.pk]))
    assert "den konkreta risken för fortsatt brottslighet och risknivån" in page.content.decode()


def test_a_basis_change_that_hides_part_of_the_plan_warns_then_tells_the_police(
    collaboration_coordinator, farsta_police, mailoutbox, django_capture_on_commit_callbacks
):
    plan = consent_plan_with_police_visit(
        collaboration_coordinator, farsta_police, "polis-farsta@example.test"
    )
    with pytest.raises(services.InvalidInput) as refused:
        services.basis_record(
            actor=collaboration_coordinator,
            plan_id=plan.pk,
            sharing_basis=SharingBasis.OSL_10_18A,
            basis_note="",
        )
    warning = refused.value.message
    assert "vilket SiS-hem" in warning and "socialtjänstens riskbedömning" in warning
    plan.refresh_from_db()
    assert plan.sharing_basis == SharingBasis.CONSENT  # nothing changed before confirming
    assert not panels_titled(farsta_police, "Ändrad grund")

    stop_sharing_with_the_police(
        collaboration_coordinator, plan, django_capture_on_commit_callbacks
    )
    (panel,) = panels_titled(farsta_police, "Ändrad grund")
    (item,) = panel.items
    assert plan.reference in str(item.text) and "sina egna åtgärder" in str(item.detail)
    assert YOUNG_NAME not in str(item.text) + str(item.detail)
    (mail,) = mailoutbox
    assert farsta_police.email in mail.to
    assert plan.reference in mail.subject and "sina egna åtgärder" in mail.body
    assert YOUNG_NAME not in mail.body


def test_the_police_own_actions_are_named_before_they_disappear(
    plan, collaboration_coordinator, logged_in_client
):
    client = logged_in_client(collaboration_coordinator)
    url = reverse("homecoming:basis", args=[plan.pk])
    page = client.post(url, {"sharing_basis": "none", "confirm_police_loss": "False"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Polisens egna åtgärder försvinner ur deras vy: Polisens åtgärd; Polisens senare" in text
    assert 'type="checkbox" name="confirm_police_loss"' in text
    done = client.post(url, {"sharing_basis": "none", "confirm_police_loss": "on"})
    assert done.status_code == 302
    detail = client.get(reverse("homecoming:detail", args=[plan.pk])).content.decode()
    assert "polisen fick besked" in detail


def test_a_basis_that_shows_more_needs_no_confirmation(
    collaboration_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    plan = make_plan(collaboration_coordinator, basis=SharingBasis.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        services.basis_record(
            actor=collaboration_coordinator,
            plan_id=plan.pk,
            sharing_basis=SharingBasis.CONSENT,
            basis_note="Samtycke 2026-11-24.",
        )
    assert mailoutbox == []


def panels_titled(user, start):
    return [p for p in panels_for(user) if str(p.title).startswith(start)]
