from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.agreements.models import Agreement
from samverkan.core.calendar import STOCKHOLM
from samverkan.core.testing.api import error_text
from samverkan.core.testing.json_requests import send_json

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STOCKHOLM)
BASE = "/api/v1/agreements"


def agreement(code):
    return Agreement.objects.get(reference=f"SN-ROC-{code}")


@time_machine.travel(NOW)
def test_party_reads_its_agreements_with_status(demo, nacka_receiver, login, client):
    login(client, nacka_receiver)
    response = client.get(f"{BASE}/")
    assert response.status_code == 200
    data = response.json()
    assert [a["reference"] for a in data] == ["SN-ROC-0182"]
    assert data[0]["status"]["reason"] == "in_force"
    assert data[0]["status"]["last_day"] == "2026-12-31"
    assert client.get(f"{BASE}/{agreement('0184').pk}").status_code == 404


@time_machine.travel(NOW)
def test_status_at_an_instant(demo, agreement_admin, login, client):
    login(client, agreement_admin)
    pk = agreement("0120").pk
    data = client.get(f"{BASE}/", {"at": "2026-04-01T12:00:00+02:00"}).json()
    varmdo = next(a for a in data if a["id"] == pk)
    assert varmdo["status"]["reason"] == "notice_given"
    assert varmdo["status"]["last_day"] == "2026-06-10"


def test_anonymous_gets_401(demo, client):
    assert client.get(f"{BASE}/").status_code == 401


@time_machine.travel(NOW)
def test_api_client_reads_its_organisations_agreements_only(demo, api_client_for, client):
    _client, token = api_client_for("0182", name="Nackas system")
    response = client.get(f"{BASE}/", headers={"Authorization": f"Bearer {token}"})
    assert [a["reference"] for a in response.json()] == ["SN-ROC-0182"]
    nacka = agreement("0182")
    party = "0182"
    write = client.post(
        f"{BASE}/{nacka.pk}/notice",
        {"party": party, "given_on": "2026-11-25"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert write.status_code == 401


@time_machine.travel(NOW)
def test_admin_gives_notice_through_the_api(demo, nacka_agreement_admin, login, client):
    login(client, nacka_agreement_admin)
    nacka = agreement("0182")
    missing = client.post(f"{BASE}/{nacka.pk}/notice", {"party": "0182", "given_on": "2026-11-25"})
    assert missing.status_code == 422 and "skriftlig" in error_text(missing)
    response = client.post(
        f"{BASE}/{nacka.pk}/notice",
        {
            "party": "0182",
            "given_on": "2026-11-25",
            "document": SimpleUploadedFile("u.pdf", b"%PDF-1.4\n"),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["last_day"] == "2027-02-25"
    detail = client.get(f"{BASE}/{nacka.pk}").json()
    task = detail["notifications"][0]
    assert task["recipient"] == "polisen-roc" and task["acknowledged_at"] is None
    assert detail["notices"][0]["registered"] == "registrerat av Axel Strandberg (Nacka)"
    # The party cannot tick the notification off: only ROC acknowledges it.
    tick = client.post(f"{BASE}/notifications/{task['id']}/acknowledge")
    assert tick.status_code == 403


@time_machine.travel(NOW)
def test_non_admin_and_other_admin_cannot_write(demo, nacka_receiver, login, client):
    from samverkan.agreements.tests.conftest import make_user

    nacka = agreement("0182")
    login(client, nacka_receiver)
    body = {"summary": "x", "effective_date": "2027-01-01"}
    assert send_json(client, f"{BASE}/{nacka.pk}/amendments", body).status_code == 403
    login(client, make_user("avtal-solna", "0184", "agreement_admin"))
    assert send_json(client, f"{BASE}/{nacka.pk}/amendments", body).status_code == 404
    assert not nacka.amendments.exists()


@time_machine.travel(NOW)
def test_admin_records_decision_and_amendment(demo, agreement_admin, login, client):
    login(client, agreement_admin)
    nynashamn = agreement("0192")
    decision = {
        "party": "0192",
        "body_kind": "political_committee",
        "body_name": "Socialnämnden",
        "decided_on": "2026-11-24",
        "reference": "§ 3",
    }
    response = client.post(f"{BASE}/{nynashamn.pk}/decisions", decision)
    # Stockholm registers Nynäshamn's decision on its behalf: only with the signed decision.
    assert response.status_code == 422 and "undertecknade beslut" in error_text(response)
    assert not nynashamn.decisions.filter(party__organisation__code="0192").exists()
    response = client.post(
        f"{BASE}/{nynashamn.pk}/decisions",
        {**decision, "document": SimpleUploadedFile("beslut.pdf", b"%PDF-1.4\n")},
    )
    assert response.status_code == 201, response.content
    assert response.json()["on_behalf"] is True
    assert response.json()["registered"].startswith("registrerat av Stockholm för Nynäshamn")
    status = client.get(f"{BASE}/{nynashamn.pk}").json()["status"]
    assert status["reason"] == "in_force"
    amendment = send_json(
        client,
        f"{BASE}/{nynashamn.pk}/amendments",
        {"summary": "Nytt nummer", "effective_date": "2027-01-01"},
    )
    assert amendment.status_code == 201 and amendment.json()["number"] == 1
