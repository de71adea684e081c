"""The police's mail about a changed sharing basis, through a real SMTP server on
loopback (issue 21.5): the plan's reference and what is no longer shared, nothing about
the young person."""

from __future__ import annotations

import pytest

from samverkan.core.testing.smtp import assert_no_personal_data, assert_swedish_and_well_encoded
from samverkan.homecoming.tests.conftest import (
    YOUNG,
    consent_plan_with_police_visit,
    stop_sharing_with_the_police,
)

pytestmark = pytest.mark.django_db


def test_a_lost_basis_is_mailed_to_the_police_without_personal_data(
    smtp_server, collaboration_coordinator, farsta_police, django_capture_on_commit_callbacks
):
    plan = consent_plan_with_police_visit(
        collaboration_coordinator, farsta_police, "lpo-farsta@polisen.example"
    )
    stop_sharing_with_the_police(
        collaboration_coordinator, plan, django_capture_on_commit_callbacks
    )
    (mail,) = smtp_server.received
    assert mail.recipients == ["lpo-farsta@polisen.example"]
    assert mail.subject == (
        f"Samverkan: ändrad grund för delning i hemtagningsplan {plan.reference}"
    )
    assert "har ändrat grunden för vad som delas med polisen" in mail.body
    assert "sina egna åtgärder" in mail.body
    assert "Logga in i Samverkan" in mail.body
    assert_swedish_and_well_encoded(mail)
    assert_no_personal_data(
        mail,
        YOUNG,
        "Elias Exempelsson",
        "Hemlighemmet SiS",
        "kontakt med nätverket",
        "Hembesök",  # the police's own action is gone from their view, and from the mail
    )
