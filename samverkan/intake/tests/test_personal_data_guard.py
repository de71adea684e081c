"""Concern reports name the child in their own fields; the free texts may name people but
never hold an identity number, which would escape the retention job's anonymising of the
number's own field (issue 17, point 4: the one personal-data guard)."""

from __future__ import annotations

import pytest
import time_machine

from samverkan.intake.forms import RejectForm
from samverkan.intake.models import ConcernReport

from .test_api import BODY, NIGHT, post

pytestmark = pytest.mark.django_db


@time_machine.travel(NIGHT, tick=False)
@pytest.mark.parametrize("field", ["narrative", "risk_information"])
def test_the_police_api_refuses_an_identity_number_in_a_free_text(client, roc_api_client, field):
    _, token = roc_api_client
    response = post(
        client, token, {**BODY, field: "Brodern 2012\u201205\u201215\u20122380 var med."}
    )
    assert response.status_code == 422, response.content
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "payload", field]
    assert "personnummer eller samordningsnummer" in error["msg"]
    assert ConcernReport.objects.count() == 0


@time_machine.travel(NIGHT, tick=False)
def test_the_police_api_accepts_names_in_the_narrative(client, roc_api_client):
    _, token = roc_api_client
    body = {**BODY, "narrative": "Kalle Svensson påträffades med Ahmed vid tunnelbanan."}
    assert post(client, token, body).status_code == 201


def test_a_rejection_reason_with_an_identity_number_is_refused_beside_the_field():
    form = RejectForm({"reason": "Fel kommun för 120515 2380.", "confirm_no_personal_data": "on"})
    assert not form.is_valid()
    assert "personnummer eller samordningsnummer" in form.errors["reason"][0]
