"""Issue 17.1: a party acts only for itself; the hub registers on behalf only with the
signed decision; notice is consistent with the agreement; ROC is told and acknowledges."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail

from samverkan.agreements import services
from samverkan.agreements.demo import organisation
from samverkan.agreements.models import Agreement, AgreementDecision, TerminationNotification
from samverkan.agreements.tests.steps import (
    NACKA_DECISION,
    nacka_gives_notice_as,
    pdf,
    register_nacka_decision,
    single_entry,
    without_nacka_decision,
)
from samverkan.audit.models import AuditEntry
from samverkan.core.calendar import STOCKHOLM
from samverkan.core.errors import InvalidInput
from samverkan.core.testing.api import error_text
from samverkan.registry.reference_data import ROC_CODE, STOCKHOLM_CODE

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STOCKHOLM)
BASE = "/api/v1/agreements"


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@time_machine.travel(NOW)
def test_stockholm_registers_nackas_decision_only_with_the_signed_document(
    demo, agreement_admin, nacka_agreement_admin, login, client, django_capture_on_commit_callbacks
):
    nacka = without_nacka_decision()
    login(client, agreement_admin)
    refused = client.post(f"{BASE}/{nacka.pk}/decisions", NACKA_DECISION)
    assert refused.status_code == 422 and "undertecknade beslutet" in error_text(refused)
    assert client.get(f"{BASE}/{nacka.pk}").json()["status"]["reason"] == "decisions_missing"
    with django_capture_on_commit_callbacks(execute=True):
        done = register_nacka_decision(client, nacka)
    assert done.status_code == 201, done.content
    assert client.get(f"{BASE}/{nacka.pk}").json()["status"]["reason"] == "in_force"
    page = client.get(f"/avtal/{nacka.pk}/").content.decode()
    assert "registrerat av Stockholm för Nacka (Anna Vikander)" in page
    # Nacka's administrators are told: by mail and on their start page.
    told = [m for m in mail.outbox if nacka_agreement_admin.email in m.to]
    assert len(told) == 1 and "Nacka" in told[0].body and "Stockholm" in told[0].body
    login(client, nacka_agreement_admin)
    start = client.get("/").content.decode()
    assert "Beslut registrerade för er räkning" in start
    assert "registrerat av Stockholm för Nacka" in start


@time_machine.travel(NOW)
def test_nacka_cannot_record_stockholms_decision_or_give_its_notice(
    demo, nacka_agreement_admin, login, client
):
    nacka = single_entry("0182")
    login(client, nacka_agreement_admin)
    notice = client.post(
        f"{BASE}/{nacka.pk}/notice",
        {"party": STOCKHOLM_CODE, "given_on": "2026-11-25", "document": pdf()},
    )
    assert notice.status_code == 403 and "egen organisation" in error_text(notice)
    assert not nacka.notices.exists()
    AgreementDecision.objects.filter(agreement=nacka, party__organisation__code="0180").delete()
    decision = client.post(
        f"{BASE}/{nacka.pk}/decisions",
        {**NACKA_DECISION, "party": STOCKHOLM_CODE, "document": pdf()},
    )
    assert decision.status_code == 403
    # The page offers only Nacka's own party to give notice for.
    page = client.get(f"/avtal/{nacka.pk}/").content.decode()
    notice_form = page.split('id="notice-form"')[1].split("</form>")[0]
    assert "Nacka" in notice_form and "Stockholm" not in notice_form


@time_machine.travel(NOW)
def test_notice_dated_before_the_agreement_was_decided_is_refused(
    demo, nacka_agreement_admin, login, client
):
    nacka = single_entry("0182")  # decided 2024-01-20
    login(client, nacka_agreement_admin)
    response = client.post(
        f"{BASE}/{nacka.pk}/notice", {"party": "0182", "given_on": "2024-01-10", "document": pdf()}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "given_on"
    assert "2024-01-20" in error_text(response)
    assert (
        not nacka.notices.exists()
        and not TerminationNotification.objects.filter(agreement=nacka).exists()
    )


@time_machine.travel(NOW)
def test_a_second_in_force_agreement_of_the_same_type_is_a_conflict(
    demo, agreement_admin, login, client
):
    second = services.agreement_create(
        actor=None,
        type_code="single_entry",
        title="En ingång – Lidingö (nytt)",
        reference="SN-ROC-0186-2",
        organisations=[organisation("0180"), organisation("0186")],
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
    )
    login(client, agreement_admin)
    own = client.post(
        f"{BASE}/{second.pk}/decisions",
        {
            **NACKA_DECISION,
            "party": "0180",
            "body_kind": "delegate",
            "body_name": "Förvaltningschef",
        },
    )
    assert own.status_code == 201
    other = client.post(
        f"{BASE}/{second.pk}/decisions", {**NACKA_DECISION, "party": "0186", "document": pdf()}
    )
    assert other.status_code == 409 and "SN-ROC-0186" in error_text(other)
    second.refresh_from_db()
    assert second.in_force_from is None
    assert not second.decisions.filter(party__organisation__code="0186").exists()


def test_the_demo_has_no_two_in_force_agreements_of_a_type_for_the_same_parties(demo):
    from samverkan.agreements.rules import windows_overlap

    found = []
    agreements = list(Agreement.objects.filter(in_force_from__isnull=False))
    for a in agreements:
        for b in agreements:
            shared = set(a.parties.values_list("organisation_id", flat=True)) & set(
                b.parties.values_list("organisation_id", flat=True)
            )
            if (
                a.pk < b.pk
                and a.type_id == b.type_id
                and len(shared) >= 2
                and windows_overlap(
                    (a.in_force_from, a.in_force_until), (b.in_force_from, b.in_force_until)
                )
            ):
                found.append((a.reference, b.reference))
    assert found == []


@time_machine.travel(NOW)
def test_an_ended_organisation_cannot_become_a_party(db, nacka_agreement_admin, login, client):
    ended = organisation("0184")
    ended.valid_to = date(2026, 6, 30)
    ended.save()
    with pytest.raises(InvalidInput) as error:
        services.agreement_create(
            actor=nacka_agreement_admin,
            type_code="school_collaboration",
            title="Med en upphörd organisation",
            reference="X-ENDED",
            organisations=[organisation("0182"), ended],
            start_date=date(2027, 1, 1),
            end_date=date(2027, 12, 31),
        )
    assert error.value.status_code == 422 and "har upphört" in error.value.message
    assert not Agreement.objects.filter(reference="X-ENDED").exists()


@time_machine.travel(NOW)
def test_roc_is_told_of_the_notice_and_acknowledges_it(
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
    page = client.get(f"/avtal/{nacka.pk}/").content.decode()
    assert "registrerat av Axel Strandberg (Nacka)" in page
    assert [m for m in mail.outbox if roc_operator.email in m.to]
    notification = TerminationNotification.objects.get(agreement=nacka)
    assert notification.recipient.code == ROC_CODE
    login(client, roc_operator)
    start = client.get("/").content.decode()
    assert "Uppsagda avtal att kvittera" in start and nacka.title in start
    shown = client.get(f"/avtal/underrattelse/{notification.pk}/").content.decode()
    assert "2027-02-25" in shown and "Kvittera" in shown
    assert client.post(f"/avtal/underrattelse/{notification.pk}/kvittera/").status_code == 302
    notification.refresh_from_db()
    assert notification.acknowledged_by == roc_operator
    assert AuditEntry.objects.filter(
        record_type="agreements.TerminationNotification",
        record_id=str(notification.pk),
        actor_user=roc_operator,
        action="change",
    ).exists()
    assert "Uppsagda avtal att kvittera" not in client.get("/").content.decode()
