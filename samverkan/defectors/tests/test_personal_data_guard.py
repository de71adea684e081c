"""Defector aliases and background texts are listed to the other municipality and printed
in the joint evaluation PDF: the one personal-data guard keeps identity numbers out of
them, on the page and over the API (issue 17, point 4)."""

import pytest

from samverkan.core.testing.api import error_text
from samverkan.core.testing.json_requests import send_json
from samverkan.defectors.models import Assignment

from .conftest import GOTHENBURG, draft

pytestmark = pytest.mark.django_db
API = "/api/v1/defectors"


def _create_page(client, agreement, org, **fields):
    data = {"agreement": agreement.pk, "receiving_municipality": org[GOTHENBURG].pk}
    return client.post("/avhoppare/nytt/", {**data, **fields})


@pytest.mark.parametrize(
    "fields",
    [
        {"person_alias": "120515-2380"},
        {"person_alias": "Klient 2012\u201305\u201315\u20132380"},
        {"person_alias": "Klient B", "summary": "Pojken (２０１２０５１５２３８０) har hotats."},
        {"person_alias": "Klient B", "summary": "Gäller 1205\u200b15 2380 enligt polisen."},
    ],
)
def test_the_page_refuses_an_identity_number_in_alias_or_background(
    agreement, stockholm, org, logged_in_client, fields
):
    client = logged_in_client(stockholm)
    refused = _create_page(client, agreement, org, **fields, confirm_no_personal_data="on")
    assert refused.status_code == 200  # the form again, with the refusal beside the field
    body = refused.content.decode()
    assert "innehåller ett personnummer eller samordningsnummer" in body
    assert not Assignment.objects.exists()


def test_the_page_warns_of_a_name_and_saves_once_the_writer_confirms(
    agreement, stockholm, org, logged_in_client
):
    client = logged_in_client(stockholm)
    warned = _create_page(client, agreement, org, person_alias="Kalle Svensson")
    assert warned.status_code == 200
    body = warned.content.decode()
    assert "”Kalle Svensson”" in body
    assert 'type="checkbox" name="confirm_no_personal_data"' in body  # the box appears
    assert not Assignment.objects.exists()
    saved = _create_page(
        client, agreement, org, person_alias="Kalle Svensson", confirm_no_personal_data="on"
    )
    assert saved.status_code == 302
    assert Assignment.objects.get().person_alias == "Kalle Svensson"


def test_a_clean_alias_shows_no_confirmation_box(agreement, stockholm, org, logged_in_client):
    page = logged_in_client(stockholm).get("/avhoppare/nytt/").content.decode()
    assert 'type="hidden" name="confirm_no_personal_data"' in page
    assert 'type="checkbox" name="confirm_no_personal_data"' not in page
    saved = _create_page(logged_in_client(stockholm), agreement, org, person_alias="Klient Ö")
    assert saved.status_code == 302


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("person_alias", "Klient 120515\u22122380"),
        ("summary", "Bakgrund: 2012.05.15-2380, hotad av gänget."),
    ],
)
def test_the_api_refuses_an_identity_number_in_alias_or_background(
    agreement, stockholm, logged_in_client, field, value
):
    payload = {
        "agreement": agreement.pk,
        "receiving_municipality": GOTHENBURG,
        "person_alias": "Klient API",
        field: value,
        "confirmed_no_personal_data": True,
    }
    refused = send_json(logged_in_client(stockholm), f"{API}/assignments", payload)
    assert refused.status_code == 422, refused.content
    assert refused.json()["detail"][0]["loc"] == ["body", "payload", field]
    assert "personnummer eller samordningsnummer" in error_text(refused)
    assert not Assignment.objects.exists()


def test_the_api_asks_for_confirmation_of_a_wrong_check_digit(
    agreement, stockholm, logged_in_client
):
    payload = {
        "agreement": agreement.pk,
        "receiving_municipality": GOTHENBURG,
        "person_alias": "Klient API",
        "summary": "Uppgav 120515-2383.",
    }
    client = logged_in_client(stockholm)
    warned = send_json(client, f"{API}/assignments", payload)
    assert warned.status_code == 422
    assert "liknar ett personnummer" in error_text(warned)
    confirmed = send_json(
        client, f"{API}/assignments", {**payload, "confirmed_no_personal_data": True}
    )
    assert confirmed.status_code == 201, confirmed.content


def test_other_defector_texts_refuse_identity_numbers_too(
    agreement, stockholm, gothenburg, org, logged_in_client
):
    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    client = logged_in_client(stockholm)
    page = client.post(
        f"/avhoppare/{assignment.pk}/hotbild/",
        {"assessed_on": "2024-01-10", "level": "low", "note": "Hot mot 20120515-2380."},
    )
    assert page.status_code == 400
    assert "personnummer eller samordningsnummer" in page.content.decode()
    api = send_json(
        client, f"{API}/assignments/{assignment.pk}/children-tasks", {"text": "Syster 120515-2380"}
    )
    assert api.status_code == 422
