import io
from datetime import date

import pytest
from pypdf import PdfReader

from samverkan.core.testing.api import error_text
from samverkan.core.testing.json_requests import send_json
from samverkan.defectors import rules, services

from .conftest import (
    GOTHENBURG,
    STOCKHOLM,
    accepted,
    book,
    catalogue_intervention,
    confirm_all,
    draft,
    reconcile,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/defectors"


def _act(client, pk, action, **extra):
    """Take a lifecycle action over the API."""
    return send_json(client, f"{API}/assignments/{pk}/transitions", {"action": action, **extra})


def test_an_unknown_receiving_municipality_is_invalid_input(agreement, stockholm, logged_in_client):
    refused = logged_in_client(stockholm).post(
        f"{API}/assignments",
        {"agreement": agreement.pk, "receiving_municipality": "9999", "person_alias": "Klient"},
        content_type="application/json",
    )
    assert refused.status_code == 422  # the body names it wrongly; the agreement exists
    assert "Okänd organisation i receiving_municipality: '9999'." in error_text(refused)


def test_full_flow_over_the_api(agreement, stockholm, gothenburg, org, logged_in_client):
    home = logged_in_client(stockholm)
    receiving = logged_in_client(gothenburg)
    created = send_json(
        home,
        f"{API}/assignments",
        {
            "agreement": agreement.pk,
            "receiving_municipality": GOTHENBURG,
            "person_alias": "Klient API",
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert len(created.json()["missing_preconditions"]) == len(rules.PreconditionKind)
    assert _act(home, pk, "consultation").status_code == 200
    refused = _act(home, pk, "request")
    assert refused.status_code == 409  # the assignment is not ready: a state, not input
    assert "Bekräfta att personen är motiverad" in error_text(refused)
    from samverkan.defectors.models import Assignment

    confirm_all(stockholm, Assignment.objects.get(pk=pk))
    assert _act(home, pk, "request").status_code == 200
    wrong_side = _act(home, pk, "accept")
    assert wrong_side.status_code == 403  # only the receiving side accepts
    ok = _act(receiving, pk, "accept")
    assert ok.json()["state"] == "accepted"
    intervention = send_json(
        home,
        f"{API}/assignments/{pk}/interventions",
        {"kind": "catalogue", "catalogue_code": "budget_debt_counselling"},
    ).json()
    housing = send_json(home, f"{API}/assignments/{pk}/interventions", {"kind": "housing"}).json()
    assert housing["bearer"] == "home"
    blocked = send_json(
        receiving,
        f"{API}/assignments/{pk}/costs",
        {"intervention": housing["id"], "incurred_on": "2024-02-01", "amount": "9000.00"},
    )
    assert blocked.status_code == 422  # the intervention is not this side's to book
    assert "aldrig bokas på den mottagande kommunen" in error_text(blocked)
    cost = send_json(
        receiving,
        f"{API}/assignments/{pk}/costs",
        {"intervention": intervention["id"], "incurred_on": "2024-02-01", "amount": "20000.10"},
    )
    assert cost.status_code == 201
    assert cost.json()["amount"] == "20000.10"
    rec = send_json(
        home,
        f"{API}/agreements/{agreement.pk}/reconciliations",
        {"period": "2024-H1", "other_party": GOTHENBURG},
    ).json()
    assert rec["equalisation"] == "10000.05"
    assert rec["payer"] == STOCKHOLM and rec["payee"] == GOTHENBURG
    home.post(f"{API}/reconciliations/{rec['id']}/approve")
    approved = receiving.post(f"{API}/reconciliations/{rec['id']}/approve").json()
    assert approved["locked"] is True
    balance = home.get(f"{API}/agreements/{agreement.pk}/balance").json()
    assert {
        "party": STOCKHOLM,
        "sent": 1,
        "received": 0,
        "max_sent": 1,
        "max_received": 1,
    } in balance


def test_third_municipality_gets_404_over_api(
    agreement, stockholm, gothenburg, malmo, org, logged_in_client
):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    client = logged_in_client(malmo)
    assert client.get(f"{API}/assignments").json() == []
    assert client.get(f"{API}/assignments/{assignment.pk}").status_code == 404
    assert client.get(f"{API}/assignments/{assignment.pk}/costs").status_code == 404
    assert _act(client, assignment.pk, "end", reason="x").status_code == 404


def test_other_roles_get_403_and_anonymous_401(
    agreement, stockholm, hub_worker, org, logged_in_client, client
):
    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    assert logged_in_client(hub_worker).get(f"{API}/assignments/{assignment.pk}").status_code == 403
    assert client.get(f"{API}/assignments").status_code == 401


def test_police_api_token_has_no_access(roc_api_client, client):
    _, token = roc_api_client
    response = client.get(f"{API}/assignments", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_evaluation_report_pdf(agreement, stockholm, gothenburg, org, logged_in_client):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    services.assignment_activate(
        actor=stockholm, assignment=assignment, started_on=date(2024, 1, 20)
    )
    intervention = catalogue_intervention(stockholm, assignment, "kriminalitet_som_livsstil")
    book(gothenburg, assignment, intervention, "25000.00")
    services.followup_record(
        actor=stockholm,
        assignment=assignment,
        held_on=date(2024, 3, 1),
        motivation="Fortsatt hög motivation",
        next_step="Arbetsträning",
    )
    services.lesson_save(
        actor=stockholm, agreement=agreement, text="Tidigt samråd med polisen var avgörande."
    )
    services.lesson_save(actor=gothenburg, agreement=agreement, text="Lotsen behövde mer tid.")
    r = reconcile(stockholm, agreement, org[GOTHENBURG])
    services.reconciliation_approve(actor=stockholm, reconciliation=r)
    services.reconciliation_approve(actor=gothenburg, reconciliation=r)
    response = logged_in_client(stockholm).get(f"/avhoppare/avtal/{agreement.pk}/utvardering.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Gemensam utvärderingsrapport" in flat
    assert assignment.reference in flat
    assert "Kriminalitet som livsstil" in flat
    assert "25 000,00" in flat
    assert "Stockholm betalar 12 500,00 kr till Göteborg" in flat
    assert "Fortsatt hög motivation" in flat
    assert "Tidigt samråd med polisen var avgörande." in flat
    assert "Lotsen behövde mer tid." in flat
    api = logged_in_client(gothenburg).get(f"{API}/agreements/{agreement.pk}/evaluation.pdf")
    assert api.status_code == 200 and api.content.startswith(b"%PDF")


def test_a_draft_over_the_api_is_edited_withdrawn_and_never_shown_to_the_receiver(
    agreement, stockholm, gothenburg, org, logged_in_client
):
    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    receiver = logged_in_client(gothenburg)
    assert receiver.get(f"{API}/assignments/{assignment.pk}").status_code == 404
    assert [a["id"] for a in receiver.get(f"{API}/assignments").json()] == []
    home = logged_in_client(stockholm)
    edited = send_json(
        home,
        f"{API}/assignments/{assignment.pk}",
        {"receiving_municipality": GOTHENBURG, "person_alias": "Klient Ny", "summary": ""},
        method="put",
    )
    assert edited.status_code == 200 and edited.json()["person_alias"] == "Klient Ny"
    refused = _act(home, assignment.pk, "withdraw")
    assert refused.status_code == 422 and "skäl" in error_text(refused)
    withdrawn = _act(home, assignment.pk, "withdraw", reason="Personen stannar.")
    assert withdrawn.json()["state"] == "withdrawn"
    assert withdrawn.json()["events"][-1]["reason"] == "Personen stannar."
    late = send_json(
        home,
        f"{API}/assignments/{assignment.pk}",
        {"receiving_municipality": GOTHENBURG, "person_alias": "Klient X"},
        method="put",
    )
    assert late.status_code == 409 and "Bara ett utkast" in error_text(late)
