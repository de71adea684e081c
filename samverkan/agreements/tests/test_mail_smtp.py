"""Every agreement mail through a real SMTP server on loopback (issue 21.5): the daily
reminders, a decision registered on a party's behalf, and a notice of termination to ROC."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from samverkan.agreements import access
from samverkan.agreements.models import TerminationNotification
from samverkan.agreements.reminders import send_reminders
from samverkan.agreements.tests.steps import (
    nacka_gives_notice_as,
    register_nacka_decision,
    without_nacka_decision,
)
from samverkan.core.calendar import STOCKHOLM
from samverkan.core.testing.smtp import assert_no_personal_data, assert_swedish_and_well_encoded

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STOCKHOLM)


@time_machine.travel(NOW)
def test_the_daily_reminder_reaches_each_agreement_administrator(
    smtp_server, demo, agreement_admin, nacka_agreement_admin
):
    agreement_admin.email = "avtal@stockholm.example"
    agreement_admin.save(update_fields=["email"])
    nacka_agreement_admin.email = "avtal@nacka.example"
    nacka_agreement_admin.save(update_fields=["email"])
    assert send_reminders() == 2
    assert send_reminders() == 0  # once a day
    (stockholm,) = smtp_server.to("avtal@stockholm.example")
    (nacka,) = smtp_server.to("avtal@nacka.example")
    assert stockholm.recipients == ["avtal@stockholm.example"]  # each gets only their own
    assert stockholm.subject.startswith("Samverkan: ") and "avtal att hantera" in stockholm.subject
    assert stockholm.body.startswith("Följande avtal behöver åtgärdas:")
    assert "Nynäshamn" in stockholm.body and "Se startsidan i Samverkan." in stockholm.body
    for mail in (stockholm, nacka):
        assert_swedish_and_well_encoded(mail)
        assert_no_personal_data(mail)


@time_machine.travel(NOW)
def test_a_decision_registered_for_a_party_is_mailed_to_its_administrators(
    smtp_server,
    demo,
    agreement_admin,
    nacka_agreement_admin,
    login,
    client,
    django_capture_on_commit_callbacks,
):
    nacka = without_nacka_decision()
    login(client, agreement_admin)  # Stockholm registers Nacka's decision
    with django_capture_on_commit_callbacks(execute=True):
        response = register_nacka_decision(client, nacka)
    assert response.status_code == 201, response.content
    (mail,) = smtp_server.received
    party = nacka.parties.get(organisation__code="0182")
    administrators = set(access.party_administrators(party).values_list("email", flat=True))
    assert nacka_agreement_admin.email in mail.recipients
    assert set(mail.recipients) == administrators - {""}
    assert mail.subject == f"Samverkan: beslut registrerat för er räkning – {nacka.title}"
    assert "har registrerat beslutet av 2026-11-20 för Nacka" in mail.body
    assert nacka.reference in mail.body and "Kontrollera uppgifterna i Samverkan" in mail.body
    assert_swedish_and_well_encoded(mail)
    assert_no_personal_data(mail)


@time_machine.travel(NOW)
def test_a_notice_of_termination_is_mailed_to_roc(
    smtp_server,
    demo,
    nacka_agreement_admin,
    roc_operator,
    login,
    client,
    django_capture_on_commit_callbacks,
):
    nacka = nacka_gives_notice_as(
        nacka_agreement_admin, client, login, django_capture_on_commit_callbacks
    )
    notification = TerminationNotification.objects.get(agreement=nacka)
    (mail,) = smtp_server.received
    recipients = set(access.recipient_users(notification).values_list("email", flat=True))
    assert roc_operator.email in mail.recipients
    assert set(mail.recipients) == recipients - {""}
    assert mail.subject == f"Samverkan: avtal uppsagt – {nacka.title}"
    assert f"”{nacka.title}” ({nacka.reference})" in mail.body
    assert "är uppsagt av Nacka den 2026-11-25" in mail.body
    assert "kvittera underrättelsen på startsidan" in mail.body
    assert_swedish_and_well_encoded(mail)
    assert_no_personal_data(mail)
