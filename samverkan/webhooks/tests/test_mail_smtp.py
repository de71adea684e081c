"""The mail to a police system's contact when its webhook is paused, through a real SMTP
server on loopback (issue 21.5): the endpoint and the failure, nothing from the reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from samverkan.core.testing.smtp import assert_no_personal_data, assert_swedish_and_well_encoded
from samverkan.webhooks.services import deliveries_send_due
from samverkan.webhooks.tests.test_delivery import NIGHT, REPORT, failing_endpoint

pytestmark = pytest.mark.django_db


@time_machine.travel(NIGHT, tick=False)
def test_a_paused_webhook_is_mailed_to_its_contact_without_personal_data(
    smtp_server, client, roc_api_client, receiver, settings
):
    roc, token = roc_api_client
    endpoint = failing_endpoint(client, token, receiver, settings)
    now = timezone.now()
    for minutes in (0, 1, 3, 10, 30):
        deliveries_send_due(now=now + timedelta(minutes=minutes))
    assert smtp_server.received == []  # failing, but not for an hour yet
    for minutes in (61, 200):
        deliveries_send_due(now=now + timedelta(minutes=minutes))
    (mail,) = smtp_server.received
    assert mail.recipients == ["drift@polis.example"]
    assert mail.subject == "Samverkan: er webhook är pausad efter upprepade fel"
    assert f"Samverkan har pausat webhooken {receiver.url} för API-klienten {roc.name}" in (
        mail.body
    )
    assert "Senaste fel: HTTP 500" in mail.body
    assert "Inga händelser går förlorade" in mail.body
    assert f"/api/v1/webhooks/{endpoint['id']}/resume" in mail.body
    assert_swedish_and_well_encoded(mail)
    assert_no_personal_data(
        mail,
        REPORT["person_id"],
        REPORT["police_reference"],
        REPORT.get("narrative", ""),
        REPORT.get("risk_information", ""),
        REPORT.get("reporting_officer_name", ""),
    )
