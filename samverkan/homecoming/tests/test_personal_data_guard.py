"""A homecoming plan names the young person in its own fields; its texts (the concrete
risk the police read, the notes) never hold an identity number (issue 17, point 4)."""

from __future__ import annotations

import pytest

from samverkan.core.testing.json_requests import send_json
from samverkan.homecoming.forms import BasisForm
from samverkan.homecoming.models import HomecomingPlan
from samverkan.homecoming.tests.conftest import API_PLAN

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_number_in_the_concrete_risk_and_keeps_the_name_field(
    collaboration_coordinator, logged_in_client
):
    client = logged_in_client(collaboration_coordinator)
    text = "Kontakt med 090412 - 2397 och Kalle Svensson."
    refused = send_json(client, "/api/v1/homecoming/plans", {**API_PLAN, "concrete_risk": text})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "payload", "concrete_risk"]
    assert not HomecomingPlan.objects.exists()
    named = send_json(
        client, "/api/v1/homecoming/plans", {**API_PLAN, "concrete_risk": "Kalle Svensson söker."}
    )
    assert named.status_code == 201, named.content  # names belong in a plan that names


def test_the_basis_form_refuses_a_number_in_the_note():
    form = BasisForm({"sharing_basis": "none", "basis_note": "Samtycke 2009-04-12-2397."})
    assert not form.is_valid()
    assert "personnummer eller samordningsnummer" in form.errors["basis_note"][0]
