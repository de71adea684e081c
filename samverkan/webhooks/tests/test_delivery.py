"""Webhooks end to end (issue 21.1): real HTTP on 127.0.0.1 to a receiver that verifies
every signature with the Standard Webhooks reference library."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from samverkan.accounts.api_auth import api_client_revoke
from samverkan.core.testing.json_requests import send_json
from samverkan.intake import services as intake
from samverkan.intake.models import ConcernReport, InformationRequest
from samverkan.intake.tests.factories import assess, hand_over
from samverkan.intake.tests.test_api import BODY
from samverkan.webhooks.models import DeliveryAttempt, WebhookDelivery
from samverkan.webhooks.services import deliveries_prune, deliveries_send_due

pytestmark = pytest.mark.django_db

NIGHT = "2026-11-24T02:10+01:00"
REPORT = {**BODY, "police_reference": "ROC-2026-0101"}


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def register_endpoint(client, token, receiver, **extra):
    response = send_json(
        client,
        "/api/v1/webhooks",
        {"url": receiver.url, "contact_email": "drift@polis.example", **extra},
        headers=_auth(token),
    )
    assert response.status_code == 201, response.content
    receiver.secret = response.json()["secret"]
    return response.json()


def post_report(client, token, **changes):
    response = send_json(client, "/api/v1/reports", {**REPORT, **changes}, headers=_auth(token))
    assert response.status_code in (200, 201), response.content
    return response.json()


def report_announced_for(client, token, receiver, event):
    """The police system subscribes its endpoint to `event` and posts a report: the report."""
    register_endpoint(client, token, receiver, events=[event])
    return ConcernReport.objects.get(public_id=post_report(client, token)["id"])


def failing_endpoint(client, token, receiver, settings):
    """An endpoint whose receiver answers every delivery with HTTP 500, and a report to
    deliver to it; it is paused after 3 failures once it has failed for an hour."""
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 3
    settings.WEBHOOK_PAUSE_AFTER_HOURS = 1
    endpoint = register_endpoint(client, token, receiver)
    receiver.answers = [500] * 100
    post_report(client, token)
    return endpoint


def status_of(client, token, public_id):
    return client.get(f"/api/v1/reports/{public_id}", headers=_auth(token)).json()


@time_machine.travel(NIGHT, tick=False)
def test_every_event_of_a_report_reaches_the_police_system_signed_and_no_more(
    client, roc_api_client, hub_worker, nacka_receiver, receiver
):
    roc, token = roc_api_client
    register_endpoint(client, token, receiver)
    public_id = post_report(client, token)["id"]
    report = ConcernReport.objects.get(public_id=public_id)
    hand_over(hub_worker, report, number="08-465 004 01")
    intake.handover_accept(actor=nacka_receiver, report_id=report.pk)
    question = intake.information_request_send(
        actor=nacka_receiver, report_id=report.pk, kind="risk_assessment", question="Risk?"
    )
    intake.information_request_answer(actor=roc, request_id=question.pk, answer="Ingen känd.")
    assess(
        nacka_receiver,
        report,
        decision="investigation_opened",
        decided_on=date(2026, 11, 24),
        made_at="2026-11-24T02:10",
    )
    intake.feedback_deliver(actor=nacka_receiver, report_id=report.pk)
    not_covered = post_report(client, token, home_municipality="0188", police_reference="NE-1")

    deliveries_send_due()

    got = receiver.delivered()
    assert len(got) == len(receiver.received) == 7  # every one verified and taken
    assert [r.payload["type"] for r in got] == [
        "report.received",
        "report.handed_over",
        "report.accepted",
        "information_request.created",
        "information_request.answered",
        "report.feedback_given",
        "report.not_eligible",
    ]
    # Each event carries the report's status as the status API showed it then.
    assert [r.payload["data"]["status"] for r in got] == [
        "received",
        "handed_over",
        "accepted",
        "accepted",
        "accepted",
        "accepted",
        "not_eligible",
    ]
    assert got[5].payload["data"] == status_of(client, token, public_id)
    assert got[6].payload["data"] == status_of(client, token, not_covered["id"])
    assert got[3].payload["data"]["information_request"]["id"] == question.pk
    # ... and nothing more: no identity number, narrative, risk information or question.
    for delivery in got:
        text = delivery.body.decode()
        for secret_fact in ("201205152380", "tunnelbanan", "rivaliserande", "Risk?", "Ingen känd"):
            assert secret_fact not in text
        assert set(delivery.payload["data"]) <= {
            *status_of(client, token, public_id),
            "information_request",
        }
    # The same webhook-id never arrives twice; each is the delivery's id.
    ids = [r.headers["webhook-id"] for r in got]
    assert len(set(ids)) == 7
    assert set(WebhookDelivery.objects.values_list("message_id", flat=True)) == set(ids)


@time_machine.travel(NIGHT, tick=False)
def test_a_receiver_down_for_a_while_gets_the_event_later(client, roc_api_client, receiver):
    _, token = roc_api_client
    endpoint = register_endpoint(client, token, receiver)
    receiver.stop()  # down: connection refused
    post_report(client, token)
    now = timezone.now()
    assert deliveries_send_due(now=now)
    assert receiver.received == []
    # Not yet due again: the back-off holds it.
    assert deliveries_send_due(now=now + timedelta(seconds=1)) == []
    receiver.start()  # back, but still failing once
    receiver.answers = [503]
    deliveries_send_due(now=now + timedelta(minutes=1))
    assert [r.answered for r in receiver.received] == [503]
    deliveries_send_due(now=now + timedelta(minutes=3))
    assert [r.payload["type"] for r in receiver.delivered()] == ["report.received"]
    # The same message each time, freshly signed.
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]

    log = client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries", headers=_auth(token))
    [delivery] = log.json()
    assert delivery["status"] == "succeeded"
    attempts = delivery["attempts"]
    assert [a["status_code"] for a in attempts] == [None, 503, 200]
    assert "ConnectionRefusedError" in attempts[0]["error"]
    assert attempts[1]["error"] == "HTTP 503"
    assert all(a["duration_ms"] >= 0 for a in attempts)


@time_machine.travel(NIGHT, tick=False)
def test_a_receiver_that_keeps_failing_is_paused_and_its_owner_mailed(
    client, roc_api_client, receiver, settings
):
    _, token = roc_api_client
    endpoint = failing_endpoint(client, token, receiver, settings)
    now = timezone.now()
    for minutes in (0, 1, 3, 10, 30, 61, 200):
        deliveries_send_due(now=now + timedelta(minutes=minutes))
    # Failed 3 times within the hour: still retried; failing for an hour: paused.
    assert len(receiver.received) == 6
    detail = client.get(f"/api/v1/webhooks/{endpoint['id']}", headers=_auth(token)).json()
    assert detail["paused_at"] is not None
    [message] = mail.outbox
    assert message.to == ["drift@polis.example"]
    assert message.subject == "Samverkan: er webhook är pausad efter upprepade fel"
    assert "pausat webhooken" in message.body and "HTTP 500" in message.body
    assert "201205152380" not in message.body and "ROC-2026-0101" not in message.body
    # Nothing more is sent while paused; the event waits.
    assert deliveries_send_due(now=now + timedelta(days=1)) == []
    # Resumed by the police system: sent at once, and taken.
    receiver.answers = []
    resumed = send_json(
        client, f"/api/v1/webhooks/{endpoint['id']}/resume", {}, headers=_auth(token)
    )
    assert resumed.status_code == 200 and resumed.json()["paused_at"] is None
    deliveries_send_due(now=timezone.now())
    assert [r.payload["type"] for r in receiver.delivered()] == ["report.received"]
    assert len(mail.outbox) == 1


@time_machine.travel(NIGHT, tick=False)
def test_another_clients_reports_never_reach_this_endpoint(
    client, roc_api_client, other_police_api_client, receiver
):
    _, token = roc_api_client
    _, other_token = other_police_api_client
    register_endpoint(client, token, receiver)
    post_report(client, other_token, police_reference="BOPS-1")
    post_report(client, other_token, home_municipality="0188", police_reference="BOPS-2")
    deliveries_send_due()
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


@time_machine.travel(NIGHT, tick=False)
def test_a_retried_submission_is_announced_once(client, roc_api_client, receiver):
    _, token = roc_api_client
    register_endpoint(client, token, receiver)
    first = post_report(client, token)
    again = post_report(client, token)
    assert first["id"] == again["id"]
    deliveries_send_due()
    assert [r.payload["type"] for r in receiver.delivered()] == ["report.received"]


@time_machine.travel(NIGHT, tick=False)
def test_the_delivery_is_queued_with_the_change_and_only_with_it(
    client, roc_api_client, nacka_receiver, receiver
):
    _, token = roc_api_client
    report = report_announced_for(client, token, receiver, "report.accepted")
    # A change that is rolled back announces nothing.
    with pytest.raises(RuntimeError), transaction.atomic():
        intake.handover_accept(actor=nacka_receiver, report_id=report.pk)
        raise RuntimeError("the server fell over before the commit")
    assert WebhookDelivery.objects.count() == 0
    # One that commits has its delivery in the database before anything is sent: a
    # crash of the server (or the worker) after the commit loses nothing.
    intake.handover_accept(actor=nacka_receiver, report_id=report.pk)
    [queued] = WebhookDelivery.objects.all()
    assert queued.event_type == "report.accepted" and queued.status == "pending"
    assert not DeliveryAttempt.objects.exists() and receiver.received == []
    assert json.loads(queued.body)["data"]["status"] == "accepted"
    deliveries_send_due()
    assert [r.payload["type"] for r in receiver.delivered()] == ["report.accepted"]


@time_machine.travel(NIGHT, tick=False)
def test_information_requests_announce_without_the_question(
    client, roc_api_client, nacka_receiver, receiver
):
    roc, token = roc_api_client
    report = report_announced_for(client, token, receiver, "information_request.created")
    intake.handover_accept(actor=nacka_receiver, report_id=report.pk)
    intake.information_request_send(
        actor=nacka_receiver, report_id=report.pk, kind="gang_affiliation", question="Gäng?"
    )
    deliveries_send_due()
    [got] = receiver.delivered()
    request = InformationRequest.objects.get()
    assert got.payload["data"]["information_request"] == {
        "id": request.pk,
        "kind": "gang_affiliation",
        "sent_at": "2026-11-24T02:10:00+01:00",
        "answered_at": None,
    }


@time_machine.travel(NIGHT, tick=False)
def test_the_log_goes_after_a_month_but_a_waiting_event_stays(client, roc_api_client, receiver):
    _, token = roc_api_client
    register_endpoint(client, token, receiver, events=["report.received"])
    post_report(client, token)
    deliveries_send_due()
    receiver.stop()
    post_report(client, token, police_reference="ROC-2026-0102")
    deliveries_send_due()  # refused: waits for its retry
    month = timezone.now() + timedelta(days=31)
    assert deliveries_prune(now=timezone.now()) == 0
    assert deliveries_prune(now=month) == 1
    [left] = WebhookDelivery.objects.all()
    assert left.status == "pending" and left.attempts.count() == 1


@time_machine.travel(NIGHT, tick=False)
def test_a_revoked_client_gets_nothing_more(client, roc_api_client, receiver):
    roc, token = roc_api_client
    register_endpoint(client, token, receiver)
    post_report(client, token)
    api_client_revoke(client=roc)
    assert deliveries_send_due() == []
    assert receiver.received == []


@time_machine.travel(NIGHT, tick=False)
def test_the_worker_command_sends_what_is_due(client, roc_api_client, receiver):
    _, token = roc_api_client
    register_endpoint(client, token, receiver)
    post_report(client, token)
    out = io.StringIO()
    call_command("deliver_webhooks", stdout=out)
    assert "försök: 1" in out.getvalue()
    assert [r.payload["type"] for r in receiver.delivered()] == ["report.received"]
