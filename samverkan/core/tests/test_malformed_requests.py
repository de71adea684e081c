"""Oversized and malformed requests get a clear 4xx, never a stack trace (issue 9, part 5).

Huge and invalid JSON, the wrong content type, an oversized upload and very
long query strings, against the police API (token), a session API and a web
form. The answer is a 4xx with a Swedish message — JSON from the API — and
nothing that looks like a traceback.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.core.testing.api import error_text

REPORTS = "/api/v1/reports"
INFORMATION_REQUESTS = "/api/v1/reports/information-requests"
TRAININGS = "/api/v1/collaboration/trainings"
NOT_JSON = "Begärans innehåll kunde inte läsas: skicka giltig JSON."
QUESTION = "Finns en aktuell riskbedömning? (felformade anrop)"


def assert_clear_json_refusal(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert error_text(response)
    text = json.dumps(body, ensure_ascii=False)
    assert "Traceback" not in text and 'File "' not in text


@pytest.fixture
def roc_information_request(registry_demo, roc_api_client, hub_worker, nacka_receiver):
    """A question from Nacka to the ROC on an accepted demo report (the demo's DEMO-0004)."""
    from samverkan.agreements.demo import load_demo as load_agreements
    from samverkan.intake import services
    from samverkan.intake.demo import load_demo as load_reports
    from samverkan.intake.models import ConcernReport

    load_agreements()
    load_reports()
    report = ConcernReport.objects.get(police_reference="DEMO-0004")
    return services.information_request_send(
        actor=nacka_receiver, report_id=report.pk, kind="risk_assessment", question=QUESTION
    )


@pytest.fixture
def police(client, roc_api_client):
    _, token = roc_api_client
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def test_huge_json_body_is_413_in_swedish(police):
    body = json.dumps({"narrative": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = police.post(REPORTS, body, content_type="application/json")
    assert_clear_json_refusal(response, 413)
    assert "för stor" in error_text(response)


@pytest.mark.parametrize("body", ["{", "not json", '{"a": }', "\x00\xff", "[1, 2"])
def test_invalid_json_is_400_in_swedish(police, body):
    response = police.post(REPORTS, body, content_type="application/json")
    assert_clear_json_refusal(response, 400)
    assert "JSON" in error_text(response)


def test_json_of_the_wrong_shape_is_422_naming_each_missing_field(police):
    response = police.post(REPORTS, "[1, 2, 3]", content_type="application/json")
    assert_clear_json_refusal(response, 422)
    missing = {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}
    for field in ("found_in", "police_reference", "narrative", "reporting_officer"):
        assert missing.get(field) == "Uppgiften saknas.", (field, missing)


@pytest.mark.parametrize(
    "content_type,body",
    [
        ("text/plain", "police_reference=1"),
        ("application/x-www-form-urlencoded", "police_reference=1&narrative=x"),
        ("application/xml", "<report/>"),
    ],
)
def test_wrong_content_type_is_a_clear_4xx(police, content_type, body):
    response = police.post(REPORTS, body, content_type=content_type)
    assert_clear_json_refusal(response, 400)
    assert error_text(response) == NOT_JSON


def test_a_very_long_unknown_query_parameter_is_ignored(police, roc_information_request):
    # The operation takes no query parameters: the answer is the same as without one.
    plain = police.get(INFORMATION_REQUESTS)
    response = police.get(INFORMATION_REQUESTS + "?x=" + "y" * 100_000)
    assert response.status_code == plain.status_code == 200
    assert response.json() == plain.json()
    assert [item["question"] for item in response.json()] == [QUESTION]


def test_too_many_unknown_query_fields_are_ignored(police, roc_information_request):
    query = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10))
    response = police.get(INFORMATION_REQUESTS + "?" + query)
    assert response.status_code == 200
    assert [item["question"] for item in response.json()] == [QUESTION]


def test_unauthenticated_api_call_is_401_in_swedish(client, db):
    response = client.post(REPORTS, "{}", content_type="application/json")
    assert_clear_json_refusal(response, 401)
    assert "Inloggning" in error_text(response)


def test_session_api_invalid_json_is_400(logged_in_client, collaboration_coordinator):
    client = logged_in_client(collaboration_coordinator)
    response = client.post(TRAININGS, "{oops", content_type="application/json")
    assert_clear_json_refusal(response, 400)
    assert error_text(response) == NOT_JSON


def test_path_parameter_of_the_wrong_type_is_422(logged_in_client, collaboration_coordinator):
    client = logged_in_client(collaboration_coordinator)
    response = client.get("/api/v1/collaboration/situational-pictures/not-a-number")
    assert_clear_json_refusal(response, 422)
    assert response.json()["detail"] == [
        {"type": "int_parsing", "loc": ["path", "picture_id"], "msg": "Ska vara ett heltal."}
    ]


def test_oversized_upload_is_refused_in_swedish_on_the_web_form(
    client, login, agreement_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from samverkan.agreements.demo import load_demo
    from samverkan.agreements.models import Agreement

    load_demo()
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    agreement = Agreement.objects.get(reference="SN-ROC-0192")
    party = agreement.parties.get(organisation__code="0192")
    login(client, agreement_admin)
    response = client.post(
        f"/avtal/{agreement.pk}/beslut/",
        {
            "party": party.pk,
            "body_kind": "political_committee",
            "body_name": "Socialnämnden",
            "decided_on": "2026-11-24",
            "reference": "§ 12",
            "document": SimpleUploadedFile("beslut.pdf", b"%PDF-1.4\n" + b"x" * 1024 * 1024),
        },
    )
    assert response.status_code == 400  # the form again, with the reason
    assert "för stor (högst 1 MB)" in response.content.decode()
    assert not agreement.decisions.filter(party=party, reference="§ 12").exists()


def test_upload_over_the_request_limit_is_a_clear_4xx_not_a_crash(
    client, login, agreement_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from samverkan.agreements.demo import load_demo
    from samverkan.agreements.models import Agreement

    load_demo()
    agreement = Agreement.objects.get(reference="SN-ROC-0192")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    login(client, agreement_admin)
    decisions = agreement.decisions.count()
    response = client.post(
        f"/avtal/{agreement.pk}/beslut/",
        {"reference": "x" * 4096, "document": SimpleUploadedFile("b.pdf", b"%PDF-" * 1000)},
    )
    # Django refuses the request before any view runs: our Swedish 400 page, not its own.
    assert response.status_code == 400
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "Begäran kunde inte tas emot" in body and "inget har sparats" in body
    assert "Bad Request" not in body and "Traceback" not in body
    assert agreement.decisions.count() == decisions
