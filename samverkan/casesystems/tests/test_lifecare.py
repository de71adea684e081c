"""Handover to the municipality's case system (issue 21.2), end to end over real HTTP on
127.0.0.1 to a Lifecare stand-in that checks every request against Lifecare's published
definition and answers as it describes, its error answers included."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEntry
from samverkan.casesystems import adapters
from samverkan.casesystems.admin import ConnectionForm
from samverkan.casesystems.models import (
    CaseSystemConnection,
    CaseSystemHandover,
    HandoverStatus,
)
from samverkan.casesystems.services import handovers_send_due
from samverkan.casesystems.tests.lifecare_server import DOMAIN, KEY
from samverkan.casesystems.tests.swagger import Definition
from samverkan.intake import services as intake
from samverkan.intake.tests.factories import NACKA_CHILD, hand_over, register

pytestmark = pytest.mark.django_db

VARIABLE = "CASESYSTEM_NACKA_LIFECARE_KEY"
CODES = {
    "type": 3,
    "from_who": 7,
    "reason": 31,
    "reason_gang_related": 32,
    "organisation_id": 12,
    "organisation_unit_id": "BOU-MOTT",
}
SYSTEM = "Lifecare IFO (familjeomsorg)"


@pytest.fixture
def connection(lifecare, registry_demo, monkeypatch):
    monkeypatch.setenv(VARIABLE, KEY)
    return CaseSystemConnection.objects.create(
        organisation=registry_demo["0182"],
        adapter="lifecare",
        base_url=lifecare.base_url,
        account=DOMAIN,
        credential_variable=VARIABLE,
        options=CODES,
    )


def accepted_report(hub_worker, receiver):
    report = register(hub_worker).report
    hand_over(hub_worker, report)
    intake.handover_accept(actor=receiver, report_id=report.pk)
    report.refresh_from_db()
    return report


def page(client, report):
    return client.get(reverse("intake:receiver_report", args=[report.pk])).content.decode()


def send_button(client, report):
    return client.post(reverse("casesystems:send_report", args=[report.pk]))


def test_the_stand_in_checks_bodies_as_the_definition_publishes_them():
    definition = Definition()
    operation = definition.operation("POST", "/WESE.FC.Api.FC/apifc/v1/Actualisations")
    schema = operation.spec["parameters"][0]["schema"]
    assert definition.schema_problems(schema, {"PersonId": "201101012389", "Type": 3}) == []
    assert definition.schema_problems(schema, {"Type": "3"})  # a code is an int32 …
    assert definition.schema_problems(schema, {"Type": 2**31})  # … within its range
    assert definition.schema_problems(schema, {"Reasons": 31})  # a misspelt field
    assert definition.response_problems(operation, 200, 98765) == []
    assert definition.response_problems(operation, 200, "98765")
    query = {"domain": [DOMAIN]}
    assert definition.request_problems(operation, query, "application/json", b"{}") == [
        "query parameter key is required"
    ]


def test_the_button_registers_the_report_in_lifecare_and_the_page_shows_its_id(
    logged_in_client, hub_worker, nacka_receiver, lifecare, connection
):
    report = accepted_report(hub_worker, nacka_receiver)
    nacka = logged_in_client(nacka_receiver)
    assert f"Registrera i {SYSTEM}" in page(nacka, report)

    response = send_button(nacka, report)
    assert response.status_code == 302
    handover = CaseSystemHandover.objects.get(report=report)
    assert handover.status == HandoverStatus.PENDING and handover.requested_by == nacka_receiver
    assert lifecare.seen == []  # sent by the worker, not in the request
    assert "Köad för" in page(nacka, report)

    assert handovers_send_due() == [handover.pk]

    assert lifecare.problems == []
    [request] = lifecare.seen
    assert request.method == "POST" and request.path.endswith("/apifc/v1/Actualisations")
    assert request.query == {"domain": [DOMAIN], "key": [KEY]}
    # Only what the case system needs: no name, narrative, officer or assessment.
    assert request.body == {
        "PersonId": NACKA_CHILD.person_id,
        "Date": "2026-11-24",
        "Type": 3,
        "FromWho": 7,
        "Reason": 32,  # the reporter saw a risk of gang-related crime
        "OrganisationId": 12,
        "OrganisationUnitId": "BOU-MOTT",
    }
    handover.refresh_from_db()
    assert (handover.status, handover.external_id) == (HandoverStatus.REGISTERED, "98765")
    shown = page(nacka, report)
    assert f"Aktualisering 98765 i {SYSTEM}" in shown
    assert f"Registrera i {SYSTEM}" not in shown
    logged = AuditEntry.objects.get(
        record_type="intake.ConcernReport",
        record_id=str(report.pk),
        action="handover",
        detail__case_system="lifecare",
    )
    assert logged.detail["external_id"] == "98765"
    assert AuditEntry.objects.filter(
        record_type="casesystems.CaseSystemHandover", action="create", actor_user=nacka_receiver
    ).exists()


def test_sent_automatically_on_acceptance_and_retried_through_lifecares_error_answers(
    hub_worker, nacka_receiver, lifecare, connection
):
    connection.auto_send = True
    connection.save()
    lifecare.answers = [500, 500]
    report = accepted_report(hub_worker, nacka_receiver)
    handover = CaseSystemHandover.objects.get(report=report)  # queued with the acceptance
    assert handover.requested_by is None

    start = timezone.now()
    assert handovers_send_due(now=start) == [handover.pk]
    assert handovers_send_due(now=start + timedelta(seconds=59)) == []  # back-off: 1 min
    assert handovers_send_due(now=start + timedelta(seconds=60)) == [handover.pk]
    assert handovers_send_due(now=start + timedelta(seconds=179)) == []  # then 2 min
    assert handovers_send_due(now=start + timedelta(seconds=180)) == [handover.pk]

    assert lifecare.problems == []
    assert [seen.answered for seen in lifecare.seen] == [500, 500, 200]
    attempts = list(handover.attempts.values_list("status_code", "answer"))
    assert attempts == [
        (500, "Internal Server error"),
        (500, "Internal Server error"),
        (200, "98765"),
    ]
    handover.refresh_from_db()
    assert (handover.status, handover.external_id, handover.attempt_count) == (
        HandoverStatus.REGISTERED,
        "98765",
        3,
    )


def test_a_wrong_key_is_answered_401_and_tried_again_until_the_operator_corrects_it(
    hub_worker, nacka_receiver, nacka_receiver_client, lifecare, connection, monkeypatch
):
    monkeypatch.setenv(VARIABLE, "fel-nyckel")
    report = accepted_report(hub_worker, nacka_receiver)
    send_button(nacka_receiver_client, report)
    start = timezone.now()
    handovers_send_due(now=start)
    handover = CaseSystemHandover.objects.get(report=report)
    assert handover.status == HandoverStatus.PENDING
    assert handover.last_error == "Lifecare svarade HTTP 401."
    assert handover.attempts.get().answer == "Authentication failed"

    monkeypatch.setenv(VARIABLE, KEY)
    handovers_send_due(now=start + timedelta(minutes=1))
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.REGISTERED
    assert lifecare.problems == []


def test_a_request_lifecare_refuses_is_given_up_and_can_be_sent_again_by_the_button(
    hub_worker, nacka_receiver, nacka_receiver_client, lifecare, connection
):
    report = accepted_report(hub_worker, nacka_receiver)
    send_button(nacka_receiver_client, report)
    lifecare.answers = [400]
    handovers_send_due()
    handover = CaseSystemHandover.objects.get(report=report)
    assert (handover.status, handover.attempts.get().answer) == (
        HandoverStatus.FAILED,
        "Bad Request",
    )
    shown = page(nacka_receiver_client, report)
    assert "Lifecare svarade HTTP 400." in shown and "Försök igen" in shown

    send_button(nacka_receiver_client, report)
    handovers_send_due()
    handover.refresh_from_db()
    assert (handover.status, handover.external_id) == (HandoverStatus.REGISTERED, "98765")


def test_no_answer_and_a_missing_key_are_logged_and_tried_again(
    hub_worker, nacka_receiver, nacka_receiver_client, lifecare, connection, monkeypatch
):
    report = accepted_report(hub_worker, nacka_receiver)
    send_button(nacka_receiver_client, report)
    lifecare.stop()  # connection refused
    start = timezone.now()
    handovers_send_due(now=start)
    monkeypatch.delenv(VARIABLE)
    handovers_send_due(now=start + timedelta(minutes=1))
    handover = CaseSystemHandover.objects.get(report=report)
    errors = list(handover.attempts.values_list("status_code", "error"))
    assert errors == [
        (None, "Inget svar från Lifecare (ConnectionRefusedError)."),
        (None, f"Miljövariabeln {VARIABLE} saknas på servern."),
    ]
    assert handover.status == HandoverStatus.PENDING


def test_the_button_is_refused_for_another_municipalitys_report(
    logged_in_client, hub_worker, nacka_receiver, solna_receiver, connection
):
    report = accepted_report(hub_worker, nacka_receiver)
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    response = send_button(logged_in_client(solna_receiver), report)
    assert response.status_code == 404
    assert not CaseSystemHandover.objects.exists()
    assert AuditEntry.objects.filter(
        id__gt=before, action="refused", actor_user=solna_receiver
    ).exists()


def test_nothing_to_send_before_acceptance_or_without_a_connection(
    logged_in_client, hub_worker, nacka_receiver, registry_demo
):
    nacka = logged_in_client(nacka_receiver)
    report = register(hub_worker).report
    hand_over(hub_worker, report)
    assert send_button(nacka, report).status_code == 404  # not accepted yet
    intake.handover_accept(actor=nacka_receiver, report_id=report.pk)
    assert "Verksamhetssystem" not in page(nacka, report)  # Nacka has no connection
    response = send_button(nacka, report)
    assert response.status_code == 302 and not CaseSystemHandover.objects.exists()


def test_a_units_own_connection_is_used_before_its_organisations(
    hub_worker, nacka_receiver, nacka_receiver_client, lifecare, connection
):
    report = accepted_report(hub_worker, nacka_receiver)
    CaseSystemConnection.objects.create(
        organisation=connection.organisation,
        unit=report.receiving_unit,
        adapter="lifecare",
        base_url=lifecare.base_url,
        account=DOMAIN,
        credential_variable=VARIABLE,
        options={**CODES, "organisation_unit_id": "EGEN-ENHET"},
    )
    send_button(nacka_receiver_client, report)
    handovers_send_due()
    assert lifecare.seen[0].body["OrganisationUnitId"] == "EGEN-ENHET"


class Recorder:
    """A second case system, written against the interface alone."""

    name = "recorder"
    label = "Testsystemet"

    def __init__(self):
        self.registered = []

    def option_problems(self, options):
        return []

    def register_actualisation(self, connection, actualisation):
        self.registered.append(actualisation)
        return f"TS-{len(self.registered)}"

    def code_lists(self, connection, person_id):
        return {}


def test_a_second_case_system_plugs_in_by_the_adapter_interface_alone(
    hub_worker, nacka_receiver, nacka_receiver_client, connection, monkeypatch
):
    monkeypatch.setattr(adapters, "_adapters", dict(adapters._adapters))
    recorder = Recorder()
    adapters.register(recorder)
    connection.adapter = "recorder"
    connection.save()
    report = accepted_report(hub_worker, nacka_receiver)
    send_button(nacka_receiver_client, report)
    handovers_send_due()
    [actualisation] = recorder.registered
    assert (actualisation.person_id, actualisation.reference) == (
        NACKA_CHILD.person_id,
        str(report.public_id),
    )
    assert CaseSystemHandover.objects.get(report=report).external_id == "TS-1"


def test_the_operator_reads_lifecares_code_lists(connection, lifecare):
    out = io.StringIO()
    call_command("casesystem_codes", connection.pk, person="201101012389", stdout=out)
    assert "7\tPolis" in out.getvalue() and "12\tBarn och unga, mottagning" in out.getvalue()
    assert lifecare.problems == []
    assert lifecare.seen[0].path.endswith("/apifc/v1/Actualisations/Proposals")


def test_a_connection_names_only_a_casesystem_variable_and_codes_lifecare_knows(registry_demo):
    form = ConnectionForm(
        data={
            "organisation": registry_demo["0182"].pk,
            "adapter": "lifecare",
            "base_url": "https://lifecare.nacka.example/WESE.FC.Api.FC",
            "account": DOMAIN,
            "credential_variable": "SECRET_KEY",
            "options": '{"type": "tre"}',
            "is_active": "on",
        }
    )
    assert not form.is_valid()
    assert "CASESYSTEM_" in str(form.errors["credential_variable"])
    assert "type ska vara ett heltal" in str(form.errors["options"])


def test_an_acceptance_rolled_back_queues_nothing_and_the_worker_command_sends(
    hub_worker, nacka_receiver, lifecare, connection
):
    connection.auto_send = True
    connection.save()
    report = register(hub_worker).report
    hand_over(hub_worker, report)
    with transaction.atomic():
        intake.handover_accept(actor=nacka_receiver, report_id=report.pk)
        assert CaseSystemHandover.objects.filter(report=report).exists()
        transaction.set_rollback(True)
    assert not CaseSystemHandover.objects.exists()

    intake.handover_accept(actor=nacka_receiver, report_id=report.pk)
    out = io.StringIO()
    call_command("send_to_casesystems", stdout=out)
    assert "försök: 1" in out.getvalue()
    assert CaseSystemHandover.objects.get(report=report).external_id == "98765"


def test_codes_the_admin_never_checked_are_logged_and_nothing_is_sent(
    hub_worker, nacka_receiver, nacka_receiver_client, lifecare, connection
):
    connection.options = {"from_who": 7, "reason": 31, "organisation_id": 12}
    connection.save()
    report = accepted_report(hub_worker, nacka_receiver)
    send_button(nacka_receiver_client, report)
    handovers_send_due()
    handover = CaseSystemHandover.objects.get(report=report)
    assert handover.last_error.startswith("Kopplingens koder: Ange Lifecares kod för type")
    assert handover.status == HandoverStatus.PENDING and lifecare.seen == []
