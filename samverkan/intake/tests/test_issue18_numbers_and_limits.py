"""Issue 18: a child from anywhere in Sweden (13), the right number first in the hub's
pages (4), limits and one form of API timestamps (11)."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from samverkan.intake import services
from samverkan.intake.forms import ClarificationForm
from samverkan.intake.models import ConcernReport, NotEligibleRecord
from samverkan.intake.tests.factories import register
from samverkan.intake.tests.test_api import BODY as API_BODY
from samverkan.intake.tests.test_api import get, post
from samverkan.intake.tests.testdata import NACKA_CHILD_FACTS
from samverkan.registry.models import Unit

pytestmark = pytest.mark.django_db

TUESDAY_10 = "2026-12-08T10:00+01:00"
SATURDAY_NIGHT = "2026-12-05T23:30+01:00"
INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$")

BODY = {**API_BODY, "police_reference": "ROC-2026-0418", "wants_feedback": False}


# --- 13: a child from anywhere in Sweden -------------------------------------------


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_child_from_uppsala_found_in_solna_is_not_covered_and_both_are_named(
    client, roc_api_client, intake_registry
):
    _, token = roc_api_client
    response = post(client, token, {**BODY, "home_municipality": "0380", "found_in": "0184"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "not_eligible"
    decision = body["decision"]
    assert decision["reasons"] == ["no_agreement_in_force"]
    assert decision["responsible_municipality"] == "0380"
    advice = decision["advice"]
    # The home municipality, named; the registry has no number for it.
    assert "Uppsala har inget avtal" in advice
    assert "socialtjänsten i Uppsala (inget nummer i registret)" in advice
    # The acute need: Solna, where the child is, whose intake unit is open on a Tuesday.
    solna = Unit.objects.get(code="0184-mottagning")
    solna_phone = solna.phone_lines.get(purpose="office_hours").number
    assert "Vid akut behov ansvarar vistelsekommunen, där barnet påträffades (Solna" in advice
    assert f"{solna.name}, telefon {solna_phone}" in advice
    # Not covered: no deadlines, no personal data.
    assert decision["protection_assessment_due"] is None
    assert decision["preliminary_assessment_due"] is None
    assert ConcernReport.objects.count() == 0
    assert NotEligibleRecord.objects.get().home_municipality == "0380"


@time_machine.travel(SATURDAY_NIGHT, tick=False)
def test_a_home_municipality_with_a_number_is_given_it_and_the_hub_handles_the_acute_need(
    client, roc_api_client, intake_registry
):
    _, token = roc_api_client
    body = {**BODY, "home_municipality": "1480", "found_in": "0180"}
    decision = post(client, token, body).json()["decision"]
    assert decision["reasons"] == ["no_agreement_in_force"]
    gothenburg = Unit.objects.get(code="1480-socialjour")
    number = gothenburg.phone_lines.get(purpose="handover_24_7").number
    assert (
        f"Ge polisen bosättningskommunens eget nummer: {gothenburg.name}, telefon {number}"
        in (decision["advice"])
    )
    # Found in Stockholm on a Saturday night: the hub is that municipality's own service.
    assert "ni själva, Stockholms stads socialjour" in decision["advice"]
    assert decision["numbers"][0] == {
        "number": number,
        "label": "Dygnet runt",
        "unit": gothenburg.name,
        "answers_now": True,
    }


def test_the_route_command_knows_uppsala(tmp_path, intake_registry):
    path = tmp_path / "report.json"
    path.write_text(json.dumps({**NACKA_CHILD_FACTS, "home_municipality": "0380"}))
    out = StringIO()
    call_command("route", str(path), "--at", "2026-12-05T23:30", stdout=out)
    decision = json.loads(out.getvalue())
    assert decision["eligible"] is False
    assert decision["reasons"] == ["no_agreement_in_force"]
    assert decision["responsible_municipality"] == "0380"


# --- 4: the right number first on the hub's pages -----------------------------------


def test_the_report_page_at_night_lists_the_out_of_hours_number_first(logged_in_client, hub_worker):
    report = register(hub_worker, received_at="2026-12-04T16:00").report  # Nacka's office
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        page = logged_in_client(hub_worker).get(reverse("intake:hub_report", args=[report.pk]))
    text = page.content.decode()
    numbers = text[text.index('class="numbers-to-call"') :]
    sydost = numbers.index("Socialjour Sydost")
    nacka = numbers.index("Nacka, mottagningen barn och unga")
    assert sydost < nacka
    assert "Dygnet runt" in numbers[:nacka] and "Reservnummer" in numbers[:nacka]
    assert "Kontorstid" in numbers[nacka:]
    hub_numbers = Unit.objects.get(is_hub=True).phone_lines.values_list("number", flat=True)
    assert not any(f'href="tel:{n.replace(" ", "")}"' in numbers for n in hub_numbers)


def test_the_alarm_row_in_the_queue_lists_the_out_of_hours_number_first(
    logged_in_client, hub_worker
):
    register(hub_worker, received_at="2026-12-04T16:00")  # Nacka, not accepted since
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        text = logged_in_client(hub_worker).get(reverse("intake:hub_queue")).content.decode()
    alarm = text[text.index('class="fallbacks"') :]
    first = alarm[alarm.index("<li") : alarm.index("</li>")]
    assert "Socialjour Sydost" in first and "Dygnet runt" in first and "svarar nu" in first
    assert alarm.index("Reservnummer") < alarm.index("Kontorstid")


def test_the_hub_is_not_told_to_call_itself_for_a_stockholm_district_at_night(
    logged_in_client, hub_worker
):
    facts = {"home_municipality": "0180", "home_district": "Farsta"}
    report = register(hub_worker, received_at="2026-12-05T23:00", **facts).report
    assert report.receiving_unit.is_hub
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        text = (
            logged_in_client(hub_worker)
            .get(reverse("intake:hub_report", args=[report.pk]))
            .content.decode()
        )
    for number in Unit.objects.get(is_hub=True).phone_lines.values_list("number", flat=True):
        assert f'href="tel:{number.replace(" ", "")}"' not in text
    assert "Farsta, mottagningen barn och unga" in text  # for the morning


# --- 11: limits and one form of API timestamps --------------------------------------


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_narrative_past_its_limit_is_refused_in_swedish(client, roc_api_client):
    _, token = roc_api_client
    response = post(client, token, {**BODY, "narrative": "x" * 5001})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "narrative"
    assert error["msg"] == "Får vara högst 5000 tecken lång."
    assert ConcernReport.objects.count() == 0


def test_the_forms_state_the_limit_and_refuse_past_it(logged_in_client, hub_worker):
    page = logged_in_client(hub_worker).get(reverse("intake:hub_register")).content.decode()
    assert re.search(r'<textarea[^>]*name="narrative"[^>]*maxlength="5000"', page) or re.search(
        r'<textarea[^>]*maxlength="5000"[^>]*name="narrative"', page
    )
    assert "Högst 5\u00a0000 tecken." in page
    form = ClarificationForm({"contact": "ROC", "added": "x" * 2001})
    assert not form.is_valid()
    assert form.errors["added"] == ["Får vara högst 2000 tecken lång (nu 2001)."]


def test_every_api_timestamp_has_one_form_and_the_status_carries_the_reference(
    client, roc_api_client, nacka_receiver
):
    _, token = roc_api_client
    with time_machine.travel("2026-11-24T02:10:07.654321+01:00", tick=False):
        registered = post(client, token, BODY).json()
    assert registered["decision"]["received_at"] == "2026-11-24T02:10:07+01:00"
    report = ConcernReport.objects.get(public_id=registered["id"])
    with time_machine.travel("2026-11-24T02:20:31.5+01:00", tick=False):
        services.handover_accept(actor=nacka_receiver, report_id=report.pk)
        status = get(client, token, registered["id"]).json()
    assert status["police_reference"] == "ROC-2026-0418"
    assert status["received_at"] == "2026-11-24T02:10:07+01:00"
    assert status["accepted_at"] == "2026-11-24T02:20:31+01:00"
    assert INSTANT.match(status["handed_over_at"])
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "ISO 8601" in schema["StatusOut"]["properties"]["received_at"]["description"]
