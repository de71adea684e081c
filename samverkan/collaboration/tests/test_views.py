"""The collaboration pages and API from the outside: who gets what, nothing lost."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from samverkan.collaboration.models import Activity, Meeting
from samverkan.collaboration.tests.conftest import api_send, org
from samverkan.core.testing.api import error_text
from samverkan.core.testing.forms import page_after_refusal
from samverkan.intake import selectors as intake_selectors
from samverkan.intake.models import ConcernReport, SourceChannel
from samverkan.intake.tests.factories import file_school_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

PERSON_ID = "20120515-2380"


def school_form(**overrides):
    return {
        "person_id": PERSON_ID,
        "birth_date": "",
        "registered_municipality": "0180",
        "registered_district": "Farsta",
        "gang_risk": "no",
        "narrative": "Eleven har inte kommit till skolan på tre veckor.",
        "reporter_name": "Karin Björkman",
        "reporter_title": "Rektor",
        "reporter_phone": "",
        "submission": "abc123",
        **overrides,
    }


def test_school_report_is_routed_by_the_pupils_district_not_the_schools(
    logged_in_client, principal, farsta_receiver
):
    assert principal.organisation.school.district.code == "0180-norra-innerstaden"
    client = logged_in_client(principal)
    response = client.post(reverse("collaboration:school_report"), school_form())
    assert response.status_code == 302
    report = ConcernReport.objects.get()
    assert report.source_channel == SourceChannel.SCHOOL
    assert report.controller.code == "0180-farsta"
    assert report.receiving_unit.organisation.code == "0180-farsta"
    assert report.reporting_organisation == principal.organisation
    receipt = client.get(response["Location"])
    assert "Farsta" in receipt.content.decode()
    assert PERSON_ID not in receipt.content.decode()  # status, not content
    # Sent twice (double click, back button): still one report.
    again = client.post(reverse("collaboration:school_report"), school_form())
    assert again.status_code == 302 and ConcernReport.objects.count() == 1
    # Farsta's intake receives it, with the same deadlines.
    (row,) = intake_selectors.receiving_queue(user=farsta_receiver)
    assert row.id == report.pk
    inbox = logged_in_client(farsta_receiver).get(reverse("intake:inbox"))
    assert f"Nr {report.pk}" in inbox.content.decode()


def test_school_report_errors_keep_the_input(logged_in_client, principal):
    client = logged_in_client(principal)
    page = page_after_refusal(
        client,
        reverse("collaboration:school_report"),
        # gang-related risk is asked, never pre-ticked (issue 18.7)
        school_form(gang_risk="", narrative="Min text finns kvar."),
    )
    assert "Svara Ja, Nej eller Vet inte" in page
    assert "Min text finns kvar." in page
    assert ConcernReport.objects.count() == 0


def test_school_report_form_is_for_school_staff_of_a_school(
    logged_in_client, school_staff, collaboration_coordinator
):
    # school_staff here still belongs to a district, not a school unit
    assert (
        logged_in_client(school_staff).get(reverse("collaboration:school_report")).status_code
        == 403
    )
    response = logged_in_client(collaboration_coordinator).get(
        reverse("collaboration:school_report")
    )
    assert response.status_code == 403


def test_coordinator_records_a_meeting_and_compliance_changes(
    logged_in_client, collaboration_coordinator, children_forum
):
    client = logged_in_client(collaboration_coordinator)
    detail = reverse("collaboration:forum_detail", args=[children_forum.pk])
    assert "0 av 3" in client.get(detail).content.decode()
    response = client.post(
        reverse("collaboration:meeting_new", args=[children_forum.pk]),
        {
            "held_on": "2026-11-20",
            "status": "held",
            "agenda": "Lägesbild",
            "functions_present": ["unit_manager", "police_youth_coordinator"],
            "minutes": "Genomgång.",
            "decision_1_text": "Ta fram rutin",
            "decision_1_owner": str(org("polisen-lpo-farsta").pk),
            "decision_1_due": "2026-12-15",
        },
    )
    assert response.status_code == 302, response.content.decode()
    page = client.get(detail).content.decode()
    assert "1 av 3" in page and "Ta fram rutin" in page


def test_a_met_requirement_never_reads_4_av_3(
    logged_in_client, collaboration_coordinator, children_forum
):
    """Issue 19.9: four meetings against three required read "4 (krav 3)" on the forum's
    page and the collaboration overview, never "4 av 3"."""
    for day in (2, 9, 16, 23):
        Meeting.objects.create(
            forum=children_forum, held_on=date(2026, 11, day), recorded_by=collaboration_coordinator
        )
    client = logged_in_client(collaboration_coordinator)
    for url in (
        reverse("collaboration:forum_detail", args=[children_forum.pk]),
        reverse("collaboration:index"),
    ):
        page = client.get(url).content.decode()
        assert "4 (krav 3)" in page, url
        assert "4 av 3" not in page, url


def test_general_minutes_form_refuses_identity_number_and_keeps_the_text(
    logged_in_client, collaboration_coordinator, general_forum
):
    client = logged_in_client(collaboration_coordinator)
    url = reverse("collaboration:meeting_new", args=[general_forum.pk])
    minutes = f"Eleven {PERSON_ID} diskuterades."
    page = page_after_refusal(
        client, url, {"held_on": "2026-11-20", "status": "held", "minutes": minutes}
    )
    assert "personnummer eller samordningsnummer" in page
    assert minutes in page
    assert Meeting.objects.count() == 0
    # A name only warns: confirming saves it.
    data = {"held_on": "2026-11-20", "status": "held", "minutes": "Kalle Svensson höll i mötet."}
    page = client.post(url, data).content.decode()
    assert "bekräfta" in page and "confirm_no_personal_data" in page
    response = client.post(url, {**data, "confirm_no_personal_data": "on"})
    assert response.status_code == 302 and Meeting.objects.count() == 1


@pytest.fixture
def farsta_colocation(registry_demo):
    """Farsta's co-location with its local police, so a consultation there can be recorded."""
    from samverkan.collaboration.models import CoLocation

    return CoLocation.objects.create(
        district=org("0180-farsta"),
        police_unit=org("polisen-lpo-farsta"),
        social_worker="S",
        weekdays=[1],
        valid_from="2026-01-01",
    )


def consultation(question: str) -> dict[str, str]:
    """A consultation at Farsta's co-location asking `question`."""
    return {
        "district": str(org("0180-farsta").pk),
        "police_unit": str(org("polisen-lpo-farsta").pk),
        "held_on": "2026-11-24",
        "question_type": "whether_to_report",
        "question": question,
        "advice": "Ja.",
        "report_followed": "unknown",
    }


def test_consultation_form_refuses_a_name(
    logged_in_client, collaboration_coordinator, farsta_colocation
):
    client = logged_in_client(collaboration_coordinator)
    # The "these are not names" box is shown only once the guard asks for it.
    blank = client.get(reverse("collaboration:consultation_new")).content.decode()
    assert 'name="confirm_no_personal_data"' not in blank
    page = page_after_refusal(
        client,
        reverse("collaboration:consultation_new"),
        consultation("Ska vi anmäla oro för Elias?"),
    )
    assert "”Elias”" in page
    assert 'name="confirm_no_personal_data"' not in page  # a name here is refused, not confirmed
    calendar = client.get(reverse("collaboration:colocation")).content.decode()
    assert "tisdag" in calendar


def test_consultation_form_shows_the_confirm_box_when_the_guard_asks(
    logged_in_client, collaboration_coordinator, farsta_colocation, monkeypatch
):
    """A possible name the writer may confirm brings the box with the refusal."""
    from samverkan.collaboration.colocation import services as colocation_services
    from samverkan.collaboration.common.services import PersonalDataFound

    def ask(**kwargs: object) -> None:
        raise PersonalDataFound(
            "question", "Bekräfta att det inte är namn.", needs_confirmation=True
        )

    monkeypatch.setattr(colocation_services, "consultation_record", ask)
    client = logged_in_client(collaboration_coordinator)
    page = page_after_refusal(
        client, reverse("collaboration:consultation_new"), consultation("Ska vi anmäla oro?")
    )
    assert "Bekräfta att det inte är namn." in page
    assert 'name="confirm_no_personal_data"' in page


def test_outsiders_get_403_or_404(
    logged_in_client, sodermalm_coordinator, police_coordinator, children_forum, plan, hub_worker
):
    outsider = logged_in_client(sodermalm_coordinator)
    assert (
        outsider.get(reverse("collaboration:forum_detail", args=[children_forum.pk])).status_code
        == 404
    )
    assert outsider.get(reverse("collaboration:plan_detail", args=[plan.pk])).status_code == 404
    assert (
        outsider.get(reverse("collaboration:meeting_new", args=[children_forum.pk])).status_code
        == 404
    )
    # A party that does not convene the forum may read it but not record meetings.
    police = logged_in_client(police_coordinator)
    assert (
        police.get(reverse("collaboration:forum_detail", args=[children_forum.pk])).status_code
        == 200
    )
    assert (
        police.get(reverse("collaboration:meeting_new", args=[children_forum.pk])).status_code
        == 403
    )
    district_activity = Activity.objects.get(plan=plan, owner__code="0180-farsta")
    police_activity = Activity.objects.get(plan=plan, owner__code="polisen-lpo-farsta")
    # A joint plan is seen whole; another party's activity is refused with the reason.
    url = reverse("collaboration:activity_update", args=[district_activity.pk])
    refused = police.get(url)
    assert refused.status_code == 403
    assert "Aktiviteten ägs av Farsta." in refused.content.decode()
    page = police.get(reverse("collaboration:plan_detail", args=[plan.pk])).content.decode()
    assert "Insats i centrum" in page and "Kvällsvandringar" in page
    assert reverse("collaboration:activity_update", args=[police_activity.pk]) in page
    assert url not in page
    response = police.post(
        reverse("collaboration:activity_update", args=[police_activity.pk]),
        {"status": "ongoing", "due_date": "2026-12-01", "note": "Påbörjad."},
    )
    assert response.status_code == 302
    # A role without business here: 403.
    assert logged_in_client(hub_worker).get(reverse("collaboration:index")).status_code == 403


def test_pages_render_for_the_coordinator(
    logged_in_client, collaboration_coordinator, children_forum, plan
):
    client = logged_in_client(collaboration_coordinator)
    for name, args in (
        ("collaboration:index", []),
        ("collaboration:colocation", []),
        ("collaboration:consultation_new", []),
        ("collaboration:training_new", []),
        ("collaboration:serious_talks", []),
        ("collaboration:picture_list", []),
        ("collaboration:plan_detail", [plan.pk]),
        ("collaboration:schools", []),
        ("collaboration:indicators", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_situational_picture_suppresses_small_counts_outside_the_district(
    logged_in_client, collaboration_coordinator, police_coordinator, principal, plan
):
    file_school_report(principal, person_id=PERSON_ID)
    client = logged_in_client(collaboration_coordinator)
    response = client.post(
        reverse("collaboration:picture_list"),
        {"title": "Lägesbild", "period_start": "2026-07-01", "period_end": "2026-11-30"},
    )
    assert response.status_code == 302
    picture_url = response["Location"]
    plan.situational_picture_id = int(picture_url.rstrip("/").rsplit("/", 1)[1])
    plan.save()
    inside = client.get(picture_url).content.decode()
    assert "&lt;5" not in inside
    api = logged_in_client(police_coordinator)
    outside = api.get(picture_url).content.decode()
    assert "&lt;5" in outside and "färre än" not in outside  # one wording everywhere
    data = api.get(
        f"/api/v1/collaboration/situational-pictures/{plan.situational_picture_id}"
    ).json()
    assert data["total"] is None and data["suppressed_below"] == 5


def test_api_forums_meetings_and_school_reports(
    logged_in_client, collaboration_coordinator, principal, children_forum
):
    client = logged_in_client(collaboration_coordinator)
    (forum,) = client.get("/api/v1/collaboration/forums").json()
    assert forum["current"]["held"] == 0 and forum["current"]["term"] == "2026-HT"
    response = api_send(
        client,
        f"/forums/{children_forum.pk}/meetings",
        {"held_on": "2026-11-20", "functions_present": ["unit_manager"], "minutes": "x"},
    )
    assert response.status_code == 201
    rows = client.get(f"/api/v1/collaboration/forums/{children_forum.pk}/compliance").json()
    assert rows[0]["held"] == 1 and rows[0]["functions_met"] is False
    response = api_send(
        logged_in_client(principal),
        "/school-reports",
        {
            "person_id": PERSON_ID,
            "registered_municipality": "0182",
            "narrative": "Oro.",
            "reporter_name": "Rektor",
            "gang_risk": "unknown",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["receiver"] == "0182"
    # a receipt to read out on the phone; the school's answer kept (issue 18.7)
    assert response.json()["receipt_number"] == "S-2026-0001"
    assert ConcernReport.objects.get().gang_risk == "unknown"
    refused = api_send(
        logged_in_client(collaboration_coordinator),
        "/consultations",
        {
            "district": "0180-farsta",
            "police_unit": "polisen-lpo-farsta",
            "held_on": "2026-11-24",
            "question_type": "other",
            "question": f"Gäller {PERSON_ID}",
            "advice": "Ja",
        },
    )
    assert refused.status_code == 422 and "personnummer" in error_text(refused)
    assert client.get("/api/v1/collaboration/forums").status_code == 200
    from django.test import Client

    assert Client().get("/api/v1/collaboration/forums").status_code == 401


def test_coordinator_edits_a_meeting_and_attendance(
    logged_in_client, collaboration_coordinator, children_forum
):
    from samverkan.collaboration import selectors, services

    meeting = services.meeting_record(
        actor=collaboration_coordinator,
        forum_id=children_forum.pk,
        data=services.MeetingInput(held_on=date(2026, 11, 20)),
    )
    client = logged_in_client(collaboration_coordinator)
    url = reverse("collaboration:meeting_edit", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Ändra möte" in page
    response = client.post(
        url,
        {
            "held_on": "2026-11-20",
            "status": "held",
            "functions_present": ["unit_manager", "police_youth_coordinator"],
            "minutes": "Kompletterat protokoll.",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Kompletterat protokoll."
    (row,) = selectors.forum_compliance(children_forum, today=date(2026, 11, 25), terms=1)
    assert row.functions_met


def test_api_activities_each_party_its_own(logged_in_client, police_coordinator, plan):
    client = logged_in_client(police_coordinator)
    rows = client.get(f"/api/v1/collaboration/action-plans/{plan.pk}/activities").json()
    assert sorted((r["owner"], r["can_update"]) for r in rows) == [
        ("0180-farsta", False),
        ("polisen-lpo-farsta", True),
    ]
    own = Activity.objects.get(plan=plan, owner__code="polisen-lpo-farsta").pk
    other = Activity.objects.get(plan=plan, owner__code="0180-farsta").pk
    response = api_send(client, f"/activities/{own}", {"status": "ongoing", "note": "Påbörjad."})
    assert response.status_code == 200
    response = api_send(client, f"/activities/{other}", {"status": "done"})
    assert response.status_code == 403
    assert "Aktiviteten ägs av Farsta." in error_text(response)
    assert Activity.objects.get(pk=other).status == "planned"


def test_activity_owners_are_the_plans_parties(
    logged_in_client, collaboration_coordinator, children_forum, plan
):
    """The owner list offers the district and its forums' parties, not every organisation."""
    client = logged_in_client(collaboration_coordinator)
    page = client.get(reverse("collaboration:plan_detail", args=[plan.pk])).content.decode()
    owner_select = page.split('name="owner"', 1)[1].split("</select>", 1)[0]
    offered = set(re.findall(r'<option value="(\d+)"', owner_select))
    expected = {str(org(code).pk) for code in ("0180-farsta", "polisen-lpo-farsta")}
    assert offered == expected
    goteborg = org("1480")
    response = client.post(
        reverse("collaboration:plan_detail", args=[plan.pk]),
        {
            "title": "Utanför planen",
            "owner": str(goteborg.pk),
            "target_group": "unsafe_places",
            "status": "planned",
            "due_date": "2026-12-01",
        },
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    # The API takes any organisation code: the service refuses one outside the plan.
    response = api_send(
        client,
        f"/action-plans/{plan.pk}/activities",
        {
            "title": "Utanför planen",
            "owner": "1480",
            "target_group": "unsafe_places",
            "due_date": "2026-12-01",
        },
    )
    assert response.status_code == 422
    assert "Göteborg" in error_text(response) and "inte part i planen" in error_text(response)
    assert not Activity.objects.filter(title="Utanför planen").exists()
