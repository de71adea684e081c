"""The escalation mail through a real SMTP server on loopback (issue 21.5)."""

from __future__ import annotations

import pytest

from samverkan.core.testing.smtp import assert_no_personal_data, assert_swedish_and_well_encoded
from samverkan.intake import services
from samverkan.intake.tests.factories import NACKA_CHILD, register
from samverkan.intake.tests.testdata import at
from samverkan.registry.models import ContactPerson

pytestmark = pytest.mark.django_db


def test_an_unaccepted_handover_mails_the_contact_persons_without_personal_data(
    smtp_server, hub_worker
):
    report = register(hub_worker, received_at="2026-11-24T02:10").report
    assert services.handover_escalate_due(now=at("2026-11-24T02:24")) == []
    assert smtp_server.received == []

    assert services.handover_escalate_due(now=at("2026-11-24T02:26")) == [report.pk]
    assert services.handover_escalate_due(now=at("2026-11-24T02:40")) == []  # once

    (mail,) = smtp_server.received
    contacts = set(
        ContactPerson.objects.filter(
            organisation__in=[report.controller, report.responsible_municipality]
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    assert contacts and set(mail.recipients) == contacts
    assert mail.subject == "Samverkan: överlämning väntar på mottagande"
    assert f"En orosanmälan till {report.controller.name} har inte tagits emot" in mail.body
    assert "inom 15 minuter" in mail.body and f"anmälan nr {report.pk}" in mail.body
    assert_swedish_and_well_encoded(mail)
    assert_no_personal_data(
        mail,
        report.person_id,
        NACKA_CHILD.risk_information,
        NACKA_CHILD.narrative,
        NACKA_CHILD.reporting_officer_name,
        report.found_in.name,  # where the child was found says too much
    )
