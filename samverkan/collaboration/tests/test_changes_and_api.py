"""Coordinators change forums and co-location in the app, and create everything through the API."""

from __future__ import annotations

from datetime import date

import pytest

from samverkan.audit.models import AuditEntry
from samverkan.collaboration import selectors, services
from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    CoLocation,
    Forum,
    Indicator,
    PictureContribution,
    SeriousTalk,
    SituationalPicture,
)
from samverkan.collaboration.tests.conftest import api_send, org
from samverkan.core.errors import InvalidInput, NotFound
from samverkan.core.testing.api import error_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def one_day_a_week(collaboration_coordinator):
    return services.colocation_create(
        actor=collaboration_coordinator,
        district=org("0180-farsta"),
        police_unit=org("polisen-lpo-farsta"),
        social_worker="Socialsekreterare A",
        weekdays=[1],
        valid_from=date(2026, 9, 1),
    )


def stationed_on(day: date) -> list[str]:
    (entry,) = selectors.colocation_calendar(list(CoLocation.objects.all()), day, days=1)
    return [c.social_worker for c in entry.stationed]


def test_extending_to_two_days_keeps_the_weeks_already_past(
    collaboration_coordinator, one_day_a_week
):
    new = services.colocation_change(
        actor=collaboration_coordinator,
        colocation_id=one_day_a_week.pk,
        weekdays=[1, 3],
        effective_from=date(2026, 12, 1),
    )
    one_day_a_week.refresh_from_db()
    assert one_day_a_week.valid_to == date(2026, 11, 30)
    assert new.pk != one_day_a_week.pk and new.valid_from == date(2026, 12, 1)
    assert stationed_on(date(2026, 11, 26)) == []  # a Thursday before the change
    assert stationed_on(date(2026, 12, 3)) == ["Socialsekreterare A"]  # Thursday after
    assert stationed_on(date(2026, 11, 24)) == ["Socialsekreterare A"]  # Tuesdays throughout


def test_ending_a_stationing_and_refusing_a_date_after_it_ended(
    collaboration_coordinator, one_day_a_week
):
    same = services.colocation_change(
        actor=collaboration_coordinator,
        colocation_id=one_day_a_week.pk,
        weekdays=[1],
        effective_from=date(2026, 11, 25),
        valid_to=date(2026, 12, 31),
    )
    assert same.pk == one_day_a_week.pk and same.valid_to == date(2026, 12, 31)
    assert CoLocation.objects.count() == 1
    with pytest.raises(InvalidInput) as refused:
        services.colocation_change(
            actor=collaboration_coordinator,
            colocation_id=one_day_a_week.pk,
            weekdays=[2],
            effective_from=date(2027, 2, 1),
        )
    assert refused.value.field == "effective_from"


def test_another_districts_coordinator_cannot_change_the_schedule(
    sodermalm_coordinator, one_day_a_week
):
    with pytest.raises(NotFound):
        services.colocation_change(
            actor=sodermalm_coordinator,
            colocation_id=one_day_a_week.pk,
            weekdays=[1, 2],
            effective_from=date(2026, 12, 1),
        )


def test_colocation_edit_page_changes_the_days(
    logged_in_client, collaboration_coordinator, one_day_a_week
):
    client = logged_in_client(collaboration_coordinator)
    listing = client.get("/samverkan/samlokalisering/").content.decode()
    assert f"/samverkan/samlokalisering/{one_day_a_week.pk}/andra/" in listing
    response = client.post(
        f"/samverkan/samlokalisering/{one_day_a_week.pk}/andra/",
        {"weekdays": ["1", "3"], "effective_from": "2026-12-01", "valid_to": ""},
    )
    assert response.status_code == 302
    assert sorted(c.weekdays for c in CoLocation.objects.all()) == [[1], [1, 3]]


def test_colocation_edit_page_keeps_input_on_error(
    logged_in_client, collaboration_coordinator, one_day_a_week
):
    response = logged_in_client(collaboration_coordinator).post(
        f"/samverkan/samlokalisering/{one_day_a_week.pk}/andra/",
        {"weekdays": ["1"], "effective_from": "2026-12-01", "valid_to": "2026-11-01"},
    )
    assert response.status_code == 200
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()
    assert CoLocation.objects.get().valid_to is None


def test_forum_edit_page_changes_requirements_and_parties_not_the_kind(
    logged_in_client, collaboration_coordinator, children_forum
):
    client = logged_in_client(collaboration_coordinator)
    page = client.get(f"/samverkan/forum/{children_forum.pk}/andra/")
    assert page.status_code == 200 and 'name="kind"' not in page.content.decode()
    response = client.post(
        f"/samverkan/forum/{children_forum.pk}/andra/",
        {
            "name": "Barn och unga – polis och skola",
            "required_per_term": "4",
            "required_functions": ["unit_manager", "school_principal"],
            "parties": [str(org("polisen-lpo-farsta").pk)],
            "purpose": "Samordna insatser.",
            "kind": "general_questions",
        },
    )
    assert response.status_code == 302
    forum = Forum.objects.get(pk=children_forum.pk)
    assert forum.name == "Barn och unga – polis och skola"
    assert forum.kind == children_forum.kind
    assert forum.required_per_term == 4
    assert forum.required_functions == ["unit_manager", "school_principal"]
    assert {p.code for p in forum.parties.all()} == {"0180-farsta", "polisen-lpo-farsta"}
    assert selectors.forum_compliance(forum, today=date(2026, 11, 25), terms=1)[0].required == 4
    assert AuditEntry.objects.filter(
        record_type="collaboration.Forum", record_id=str(forum.pk), action="change"
    ).exists()


def test_a_party_that_does_not_convene_the_forum_cannot_edit_it(
    logged_in_client, police_coordinator, children_forum
):
    client = logged_in_client(police_coordinator)
    assert client.get(f"/samverkan/forum/{children_forum.pk}/andra/").status_code == 403
    response = api_send(
        client,
        f"/forums/{children_forum.pk}",
        {"name": "Kapat", "required_per_term": 1},
        method="put",
    )
    assert response.status_code == 403
    assert Forum.objects.get(pk=children_forum.pk).name == children_forum.name


def test_api_creates_forum_colocation_picture_plan_activity_and_indicator(
    logged_in_client, collaboration_coordinator
):
    client = logged_in_client(collaboration_coordinator)
    forum = api_send(
        client,
        "/forums",
        {
            "district": "0180-farsta",
            "name": "Trygghetsforum",
            "kind": "general_questions",
            "required_per_term": 2,
            "required_functions": ["unit_manager"],
            "parties": ["polisen-lpo-farsta"],
        },
    )
    assert forum.status_code == 201, forum.content
    forum_id = forum.json()["id"]
    assert {p.code for p in Forum.objects.get(pk=forum_id).parties.all()} == {
        "0180-farsta",
        "polisen-lpo-farsta",
    }
    stationing = api_send(
        client,
        "/colocations",
        {
            "district": "0180-farsta",
            "police_unit": "polisen-lpo-farsta",
            "social_worker": "Socialsekreterare B",
            "weekdays": [0],
            "valid_from": "2026-11-23",
        },
    )
    assert stationing.status_code == 201
    changed = api_send(
        client,
        f"/colocations/{stationing.json()['id']}/changes",
        {"weekdays": [0, 2], "effective_from": "2026-12-01"},
    )
    assert changed.status_code == 200 and changed.json()["id"] != stationing.json()["id"]
    picture = api_send(
        client,
        "/situational-pictures",
        {
            "district": "0180-farsta",
            "title": "Lägesbild hösten 2026",
            "period_start": "2026-07-01",
            "period_end": "2026-11-24",
        },
    )
    assert picture.status_code == 201
    picture_id = picture.json()["id"]
    text = api_send(
        client, f"/situational-pictures/{picture_id}/texts", {"text": "Oro kring torget."}
    )
    assert text.status_code == 201
    assert PictureContribution.objects.get().picture_id == picture_id
    plan = api_send(
        client,
        "/action-plans",
        {
            "district": "0180-farsta",
            "title": "Åtgärdsplan 2027",
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
            "situational_picture": picture_id,
        },
    )
    assert plan.status_code == 201
    assert ActionPlan.objects.get(pk=plan.json()["id"]).situational_picture_id == picture_id
    activity = api_send(
        client,
        f"/action-plans/{plan.json()['id']}/activities",
        {
            "title": "Ökad närvaro vid centrum kvällstid",
            "owner": "polisen-lpo-farsta",
            "target_group": "unsafe_places",
            "due_date": "2027-03-31",
        },
    )
    assert activity.status_code == 201, activity.content
    assert Activity.objects.get(pk=activity.json()["id"]).owner.code == "polisen-lpo-farsta"
    indicator = api_send(
        client,
        "/indicators",
        {
            "district": "0180-farsta",
            "name": "Återkommande anmälningar",
            "kind": "recurrence_six_months",
            "forum": forum_id,
            "higher_is_better": False,
        },
    )
    assert indicator.status_code == 201
    assert Indicator.objects.get(pk=indicator.json()["id"]).forum_id == forum_id


def test_api_refusals_are_clear_and_write_nothing(
    logged_in_client, collaboration_coordinator, sodermalm_coordinator
):
    client = logged_in_client(collaboration_coordinator)
    bad_days = api_send(
        client,
        "/colocations",
        {
            "district": "0180-farsta",
            "police_unit": "polisen-lpo-farsta",
            "social_worker": "X",
            "weekdays": [5],
            "valid_from": "2026-11-23",
        },
    )
    assert bad_days.status_code == 422
    assert "måndag till fredag" in error_text(bad_days)
    unknown = api_send(
        client,
        "/situational-pictures",
        {
            "district": "0180-okand",
            "title": "x",
            "period_start": "2026-01-01",
            "period_end": "2026-02-01",
        },
    )
    assert unknown.status_code == 422 and "Okänd organisation" in error_text(unknown)
    other = api_send(
        logged_in_client(sodermalm_coordinator),
        "/action-plans",
        {
            "district": "0180-farsta",
            "title": "x",
            "period_start": "2026-01-01",
            "period_end": "2026-02-01",
        },
    )
    assert other.status_code == 403
    assert not CoLocation.objects.exists()
    assert not SituationalPicture.objects.exists() and not ActionPlan.objects.exists()


def test_api_serious_talk_is_on_the_districts_record(logged_in_client, collaboration_coordinator):
    payload = {
        "district": "0180-farsta",
        "police_unit": "polisen-lpo-farsta",
        "held_on": "2026-11-20",
        "person_id": "20120515-2380",
        "social_worker": "Socialsekreterare A",
        "police_officer": "Polis B",
        "plan_agreed": True,
    }
    client = logged_in_client(collaboration_coordinator)
    assert (
        api_send(client, "/serious-talks", {**payload, "person_id": "20120515-2381"}).status_code
        == 422
    )
    response = api_send(client, "/serious-talks", payload)
    assert response.status_code == 201
    talk = SeriousTalk.objects.get(pk=response.json()["id"])
    assert talk.person_id == "201205152380" and talk.district.code == "0180-farsta"


def test_an_analyst_reads_no_case_minutes_and_changes_no_activity(
    logged_in_client, analyst, collaboration_coordinator, children_forum, general_forum, plan
):
    """Found by the access matrix: the city's analyst could update Farsta's activities."""
    meetings = {
        forum.kind: services.meeting_record(
            actor=collaboration_coordinator,
            forum_id=forum.pk,
            data=services.MeetingInput(held_on=date(2026, 11, 20), minutes="Protokoll."),
        )
        for forum in (children_forum, general_forum)
    }
    client = logged_in_client(analyst)
    assert client.get(f"/samverkan/moten/{meetings['children_at_risk'].pk}/").status_code == 403
    assert client.get(f"/samverkan/moten/{meetings['general_questions'].pk}/").status_code == 200
    activity = plan.activities.get(owner__code="0180-farsta")
    response = api_send(client, f"/activities/{activity.pk}", {"status": "done", "note": "Klart."})
    assert response.status_code in (403, 404)
    activity.refresh_from_db()
    assert activity.status != "done" and not activity.notes.exists()
    mine = logged_in_client(collaboration_coordinator)
    assert api_send(mine, f"/activities/{activity.pk}", {"status": "done"}).status_code == 200
