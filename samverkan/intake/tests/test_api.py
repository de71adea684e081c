"""The police API: POST /api/v1/reports and GET /api/v1/reports/{id} (issue 4)."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine

from samverkan.core.testing.json_requests import send_json
from samverkan.intake import services
from samverkan.intake.models import ConcernReport, NotEligibleRecord
from samverkan.intake.tests.factories import assess, register
from samverkan.intake.tests.testdata import NACKA_CHILD_FACTS

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports"
NIGHT = "2026-11-24T02:10+01:00"

BODY = {
    **NACKA_CHILD_FACTS,
    "police_reference": "ROC-2026-0001",
    "reporting_officer": {"name": "Polis Testsson", "unit": "ROC", "phone": "08-465 004 99"},
    "narrative": "Påträffad vid tunnelbanan.",
    "risk_information": "Hot från rivaliserande nätverk.",
    "wants_feedback": True,
}


def post(client, token, body):
    return send_json(client, URL, body, headers={"Authorization": f"Bearer {token}"})


def get(client, token, report_id):
    return client.get(f"{URL}/{report_id}", headers={"Authorization": f"Bearer {token}"})


@time_machine.travel(NIGHT, tick=False)
def test_post_registers_and_answers_the_decision(client, roc_api_client):
    _, token = roc_api_client
    response = post(client, token, BODY)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received"
    decision = body["decision"]
    assert decision["eligible"] is True
    assert decision["receiving_unit"]["covers"] == ["0182", "0120", "0138"]
    assert decision["protection_assessment_due"] == "2026-11-24T23:59:59+01:00"
    assert decision["preliminary_assessment_due"] == "2026-12-08"
    assert "Socialjour Sydost" in decision["advice"]
    report = ConcernReport.objects.get(public_id=body["id"])
    assert report.police_reference == "ROC-2026-0001"
    assert report.source_channel == "police_api"


@time_machine.travel(NIGHT, tick=False)
def test_retried_post_creates_no_duplicate(client, roc_api_client):
    _, token = roc_api_client
    first = post(client, token, BODY)
    second = post(client, token, BODY)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert ConcernReport.objects.count() == 1


@time_machine.travel(NIGHT, tick=False)
def test_not_eligible_keeps_no_personal_data_and_a_retry_no_duplicate(client, roc_api_client):
    _, token = roc_api_client
    body = {**BODY, "home_municipality": "0188", "police_reference": "ROC-NE-1"}
    first = post(client, token, body)
    second = post(client, token, body)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["status"] == "not_eligible"
    assert first.json()["decision"]["reasons"] == ["no_agreement_in_force"]
    assert "Spara inga personuppgifter" in first.json()["decision"]["advice"]
    assert first.json()["id"] == second.json()["id"]
    assert ConcernReport.objects.count() == 0
    assert NotEligibleRecord.objects.count() == 1
    status = get(client, token, first.json()["id"])
    assert status.status_code == 200 and status.json()["status"] == "not_eligible"


@pytest.mark.parametrize(
    "other_child",
    [
        {"person_id": "201001012382"},
        {"person_id": None, "birth_date": "2011-06-01"},
        {"home_municipality": "0120"},
    ],
)
@time_machine.travel(NIGHT, tick=False)
def test_a_reused_reference_never_swallows_another_child(client, roc_api_client, other_child):
    _, token = roc_api_client
    first = post(client, token, BODY)
    assert first.status_code == 201
    report = ConcernReport.objects.get()
    reused = post(client, token, {**BODY, **other_child})
    assert reused.status_code == 409, reused.content
    error = reused.json()["detail"][0]
    assert error["type"] == "conflict"
    assert "ROC-2026-0001" in error["msg"] and first.json()["id"] in error["msg"]
    assert f"nr {report.pk}" in error["msg"]
    assert ConcernReport.objects.count() == 1 and NotEligibleRecord.objects.count() == 0
    report.refresh_from_db()
    assert report.person_id == "201205152380" and report.home_municipality.code == "0182"
    again = post(client, token, BODY)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


@time_machine.travel(NIGHT, tick=False)
def test_a_reused_reference_of_a_not_eligible_report_is_a_conflict(client, roc_api_client):
    _, token = roc_api_client
    body = {**BODY, "home_municipality": "0188", "police_reference": "ROC-NE-2"}
    assert post(client, token, body).status_code == 201
    reused = post(client, token, {**body, "home_municipality": "0182"})
    assert reused.status_code == 409
    assert ConcernReport.objects.count() == 0 and NotEligibleRecord.objects.count() == 1


@time_machine.travel(NIGHT, tick=False)
def test_a_report_the_hub_took_by_phone_is_found_not_doubled(client, roc_api_client, hub_worker):
    from samverkan.intake.models import EventKind

    _, token = roc_api_client
    by_phone = register(hub_worker, police_reference="ROC-2026-0001").report
    response = post(client, token, BODY)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(by_phone.public_id)
    assert ConcernReport.objects.count() == 1
    by_phone.refresh_from_db()
    assert by_phone.also_via_api_at is not None
    assert by_phone.events.filter(kind=EventKind.ALSO_VIA_API).count() == 1
    retry = post(client, token, BODY)
    assert retry.status_code == 200 and retry.json()["id"] == str(by_phone.public_id)
    assert by_phone.events.filter(kind=EventKind.ALSO_VIA_API).count() == 1
    assert get(client, token, response.json()["id"]).status_code == 200
    other = post(client, token, {**BODY, "person_id": "201001012382"})
    assert other.status_code == 409 and ConcernReport.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person_id": "201205152381"}, "person_id"),
        ({"person_id": "12345"}, "person_id"),
        ({"found_in": "9999"}, "found_in"),
        ({"home_municipality": "0000"}, "home_municipality"),
        ({"home_municipality": "0180", "home_district": "Gamla stan"}, "home_district"),
        ({"gang_related": "kanske"}, "gang_related"),
        ({"police_reference": ""}, "police_reference"),
        ({"person_id": None, "birth_date": None}, "birth_date"),
        # issue 18: an input error, never "not covered" that sends the police elsewhere
        ({"person_id": None, "birth_date": "2099-01-01"}, "birth_date"),
        ({"person_id": None, "birth_date": "2012-02-30"}, "birth_date"),
        ({"reporting_officer": {"unit": "ROC"}}, "name"),
    ],
)
def test_malformed_input_names_the_field(client, roc_api_client, change, field):
    _, token = roc_api_client
    response = post(client, token, {**BODY, **change})
    assert response.status_code == 422, response.content
    errors = response.json()["detail"]
    assert field in errors[0]["loc"]
    assert errors[0]["msg"]
    assert ConcernReport.objects.count() == 0
    assert NotEligibleRecord.objects.count() == 0


# The legal basis is never assumed: a police system must say true or false (issue 18).
@pytest.mark.parametrize(
    "missing", ["found_in", "person_id", "narrative", "reporting_officer", "gang_related"]
)
def test_missing_field_is_named(client, roc_api_client, missing):
    _, token = roc_api_client
    body = {k: v for k, v in BODY.items() if k != missing}
    response = post(client, token, body)
    assert response.status_code == 422
    assert missing in response.json()["detail"][0]["loc"]


def test_without_a_valid_token_nothing_happens(client, intake_registry):
    assert post(client, "wrong", BODY).status_code == 401
    assert send_json(client, URL, BODY).status_code == 401
    assert ConcernReport.objects.count() == 0


@time_machine.travel(NIGHT, tick=False)
def test_status_only_and_another_clients_report_is_404(
    client, roc_api_client, other_police_api_client, nacka_receiver
):
    _, token = roc_api_client
    _, other_token = other_police_api_client
    report_id = post(client, token, BODY).json()["id"]
    response = get(client, token, report_id)
    assert response.status_code == 200
    status = response.json()
    assert status["status"] == "received"
    assert set(status) == {
        "id",
        "status",
        "police_reference",
        "received_at",
        "handed_over_at",
        "accepted_at",
        "reasons",
        "feedback",
    }
    assert get(client, other_token, report_id).status_code == 404
    assert get(client, token, "not-a-uuid").status_code == 404
    assert get(client, token, "00000000-0000-0000-0000-000000000000").status_code == 404


def test_status_follows_acceptance_and_feedback(client, roc_api_client, nacka_receiver):
    _, token = roc_api_client
    with time_machine.travel(NIGHT, tick=False):
        report_id = post(client, token, BODY).json()["id"]
    report = ConcernReport.objects.get(public_id=report_id)
    with time_machine.travel("2026-11-24T02:20+01:00", tick=False):
        services.handover_accept(actor=nacka_receiver, report_id=report.pk)
        assert get(client, token, report_id).json()["status"] == "accepted"
    with time_machine.travel("2026-11-25T10:00+01:00", tick=False):
        assess(
            nacka_receiver,
            report,
            immediate=True,
            decision="not_opened",
            decided_on=date(2026, 11, 25),
        )
        status = get(client, token, report_id).json()
        assert status["feedback"] is None  # not yet given
        assert "immediate" not in json.dumps(status)
    with time_machine.travel("2026-12-02T09:00+01:00", tick=False):
        services.feedback_deliver(actor=nacka_receiver, report_id=report.pk)
        status = get(client, token, report_id).json()
    assert status["feedback"]["investigation_opened"] is False
    assert status["feedback"]["decided_on"] == "2026-11-25"
    assert "not_opened" not in json.dumps(status)


def test_openapi_describes_the_reports_endpoints(client, intake_registry):
    schema = client.get("/api/v1/openapi.json").json()
    assert "post" in schema["paths"]["/api/v1/reports"]
    assert "get" in schema["paths"]["/api/v1/reports/{report_id}"]
    components = schema["components"]["schemas"]
    assert "police_reference" in components["ReportIn"]["properties"]
    assert set(components["StatusOut"]["properties"]["status"]["enum"]) == {
        "received",
        "handed_over",
        "accepted",
        "not_eligible",
    }


def test_police_system_lists_and_answers_information_requests(
    client, roc_api_client, other_police_api_client, hub_worker, nacka_receiver
):

    _, token = roc_api_client
    _, other_token = other_police_api_client
    report = register(roc_api_client[0], police_reference="IR-1").report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    request = services.information_request_send(
        actor=nacka_receiver, report_id=report.pk, kind="risk_assessment", question="Hotbild?"
    )
    auth = {"Authorization": f"Bearer {token}"}
    listed = client.get(f"{URL}/information-requests", headers=auth).json()
    assert [r["id"] for r in listed] == [request.pk]
    assert listed[0]["report_id"] == str(report.public_id)
    other = {"Authorization": f"Bearer {other_token}"}
    assert client.get(f"{URL}/information-requests", headers=other).json() == []
    url = f"{URL}/information-requests/{request.pk}/answer"
    assert send_json(client, url, {"answer": "x"}, headers=other).status_code == 404
    answered = send_json(client, url, {"answer": "Konkret hot."}, headers=auth)
    assert answered.status_code == 200 and answered.json()["answered_at"]
    again = send_json(client, url, {"answer": "Igen."}, headers=auth)
    assert again.status_code == 409
    request.refresh_from_db()
    assert request.answered_by_client == roc_api_client[0]


@time_machine.travel(NIGHT, tick=False)
def test_a_status_read_is_logged_as_a_disclosure_and_a_refused_one_as_an_attempt(
    client, roc_api_client, other_police_api_client
):
    from samverkan.audit.models import AuditEntry

    roc, token = roc_api_client
    other, other_token = other_police_api_client
    report_id = post(client, token, BODY).json()["id"]
    report = ConcernReport.objects.get(public_id=report_id)
    assert get(client, token, report_id).status_code == 200
    disclosed = AuditEntry.objects.get(
        action="disclose", record_type="intake.ConcernReport", record_id=str(report.pk)
    )
    assert disclosed.actor_client == roc
    assert disclosed.controller == "0182"
    assert disclosed.detail["shown"] == ["Status och tider för anmälan"]
    assert disclosed.detail["to"] == [roc.organisation.name]
    assert get(client, other_token, report_id).status_code == 404
    attempt = AuditEntry.objects.get(action="refused", actor_client=other)
    assert attempt.record_id == report_id
    assert attempt.actor_organisation == other.organisation.code
    assert not AuditEntry.objects.filter(action="disclose", actor_client=other).exists()
