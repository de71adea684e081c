"""The intake pages from the outside: who gets what, what the worker sees, nothing lost."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.core.errors import InvalidInput
from samverkan.intake import services
from samverkan.intake.models import ConcernReport, NotEligibleRecord
from samverkan.intake.tests.factories import NACKA_CHILD, at, protect, register
from samverkan.registry.models import ContactPerson, Organisation, PhoneLine, PhonePurpose

pytestmark = pytest.mark.django_db

NOW = "2026-11-24T10:00"  # a Tuesday in office hours
PERSON_ID = "201205152380"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(at(NOW), tick=False):
        yield


def form_data(**overrides):
    data = {
        "person_id": "20120515-2380",
        "birth_date": "",
        "found_in": "Solna (0184)",
        "home_municipality": "nacka",
        "home_district": "",
        "gang_related": "yes",
        "reporting_officer_name": "Polis Testsson",
        "reporting_officer_unit": "ROC",
        "reporting_officer_phone": "",
        "police_reference": "",
        "risk_information": "Hot från rivaliserande nätverk.",
        "narrative": "Påträffad vid tunnelbanan.",
        "wants_feedback": "on",
        "submission": "form-1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def decision_now(**overrides):
    from dataclasses import replace

    return services.report_decide(data=replace(NACKA_CHILD, **overrides), at=at(NOW))


def fallback_number(code: str) -> str:
    return (
        PhoneLine.objects.filter(unit__organisation__code=code, purpose=PhonePurpose.FALLBACK)
        .order_by("priority", "id")
        .values_list("number", flat=True)
        .first()
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def viewed(user, report) -> int:
    return AuditEntry.objects.filter(
        action="view",
        record_type="intake.ConcernReport",
        record_id=str(report.pk),
        actor_user=user,
    ).count()


# --- access from the outside -----------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("intake:hub_register"))
    assert response.status_code == 302
    assert "/konto/logga-in/" in response["Location"]


@pytest.mark.parametrize(
    "name",
    ["intake:hub_queue", "intake:hub_register", "intake:hub_alarm"],
)
def test_hub_pages_are_forbidden_to_others(logged_in_client, nacka_receiver, roc_operator, name):
    for user in (nacka_receiver, roc_operator):
        assert logged_in_client(user).get(reverse(name)).status_code == 403


def test_receiver_and_police_pages_are_forbidden_to_the_wrong_roles(
    logged_in_client, hub_worker, nacka_receiver, roc_operator
):
    report = register(hub_worker).report
    hub = logged_in_client(hub_worker)
    police = logged_in_client(roc_operator)
    nacka = logged_in_client(nacka_receiver)
    assert hub.get(reverse("intake:inbox")).status_code == 403
    assert hub.get(reverse("intake:receiver_report", args=[report.pk])).status_code == 403
    assert police.get(reverse("intake:receiver_report", args=[report.pk])).status_code == 403
    assert police.get(reverse("intake:hub_report", args=[report.pk])).status_code == 403
    assert nacka.get(reverse("intake:hub_report", args=[report.pk])).status_code == 403
    assert nacka.get(reverse("intake:police_status")).status_code == 403
    assert hub.post(reverse("intake:police_answer", args=[1]), {}).status_code == 403


def test_solna_never_sees_a_nacka_report(logged_in_client, hub_worker, solna_receiver):
    report = register(hub_worker).report
    solna = logged_in_client(solna_receiver)
    assert solna.get(reverse("intake:receiver_report", args=[report.pk])).status_code == 404
    response = solna.post(reverse("intake:receiver_accept", args=[report.pk]))
    assert response.status_code == 404
    assert f"Nr {report.pk}" not in text(solna.get(reverse("intake:inbox")))
    report.refresh_from_db()
    assert report.accepted_at is None


def test_index_sends_each_side_to_its_page(
    logged_in_client, hub_worker, nacka_receiver, roc_operator
):
    assert (
        logged_in_client(hub_worker).get("/anmalningar/")["Location"]
        == "/anmalningar/socialjouren/"
    )
    assert logged_in_client(nacka_receiver).get("/anmalningar/")["Location"] == (
        "/anmalningar/mottagning/"
    )
    assert (
        logged_in_client(roc_operator).get("/anmalningar/")["Location"] == "/anmalningar/polisen/"
    )


# --- the hub: registration -------------------------------------------------------------


def test_registration_page_lists_municipalities_by_name_and_code(logged_in_client, hub_worker):
    response = logged_in_client(hub_worker).get(reverse("intake:hub_register"))
    body = text(response)
    assert response.status_code == 200
    assert '<datalist id="municipality-list">' in body
    nacka = Organisation.objects.get(code="0182")
    assert f'<option value="{nacka.name} (0182)">' in body
    assert 'hx-post="/anmalningar/socialjouren/ny/beslut/"' in body
    assert 'role="status"' in body  # the decision is announced


def test_decision_partial_shows_the_number_to_call_and_writes_nothing(logged_in_client, hub_worker):
    hub = logged_in_client(hub_worker)
    response = hub.post(
        reverse("intake:hub_decide"),
        form_data(reporting_officer_name="", narrative=""),
        headers={"HX-Request": "true"},
    )
    body = text(response)
    unit = decision_now().receiving_unit
    assert response.status_code == 200
    assert "Omfattas av en ingång" in body
    assert "Ring nu:" in body and unit.name in body and unit.phone in body
    assert 'id="decision-announce" hx-swap-oob="innerHTML"' in body
    assert "Personnummer 20120515-2380 är giltigt – 14 år." in body
    assert ConcernReport.objects.count() == 0
    assert NotEligibleRecord.objects.count() == 0


def test_decision_partial_says_what_to_tell_the_police_when_not_eligible(
    logged_in_client, hub_worker
):
    response = logged_in_client(hub_worker).post(
        reverse("intake:hub_decide"), form_data(home_municipality="0188")
    )
    body = text(response)
    assert "Omfattas inte av en ingång" in body
    assert "Bosättningskommunen har inget avtal om en ingång som gäller nu" in body
    assert "Hänvisa polisen till:" in body
    assert "har inget avtal om en ingång som gäller nu" in body
    assert decision_now(home_municipality="0188").receiving_unit.phone in body
    assert NotEligibleRecord.objects.count() == 0


def test_decision_partial_checks_the_identity_number_while_typing(logged_in_client, hub_worker):
    hub = logged_in_client(hub_worker)
    short = text(hub.post(reverse("intake:hub_decide"), form_data(person_id="2012")))
    assert "Skriv 10 eller 12 siffror" in short
    wrong = text(hub.post(reverse("intake:hub_decide"), form_data(person_id="201205152381")))
    assert 'id="person-id-check"' in wrong
    assert "Omfattas av en ingång" not in wrong
    missing = text(hub.post(reverse("intake:hub_decide"), form_data(found_in="")))
    assert "Fyll i var barnet påträffades" in missing
    unknown = text(hub.post(reverse("intake:hub_decide"), form_data(found_in="Atlantis")))
    assert "Kommunen känns inte igen" in unknown


def test_future_birth_date_is_a_field_error_not_a_decision(logged_in_client, hub_worker):
    hub = logged_in_client(hub_worker)
    unknown_child = form_data(person_id="", birth_date="2027-03-01")
    preview = text(hub.post(reverse("intake:hub_decide"), unknown_child))
    assert "Födelsedatumet ligger i framtiden" in preview
    assert "Omfattas inte" not in preview and "Hänvisa polisen" not in preview
    response = hub.post(reverse("intake:hub_register"), unknown_child)
    assert response.status_code == 200
    assert "Födelsedatumet ligger i framtiden" in text(response)
    assert ConcernReport.objects.count() == 0
    assert NotEligibleRecord.objects.count() == 0


def test_gang_related_risk_is_asked_not_pre_ticked(logged_in_client, hub_worker):
    hub = logged_in_client(hub_worker)
    page = text(hub.get(reverse("intake:hub_register")))
    radios = re.findall(r'<input type="radio" name="gang_related"[^>]*>', page)
    assert len(radios) == 2 and not any("checked" in radio for radio in radios)
    preview = text(hub.post(reverse("intake:hub_decide"), form_data(gang_related=None)))
    assert "Svara Ja eller Nej om gängrelaterad risk" in preview
    assert "Omfattas inte" not in preview
    response = hub.post(reverse("intake:hub_register"), form_data(gang_related=None))
    assert response.status_code == 200
    assert "Svara Ja eller Nej: finns risk i samband med gängrelaterad brottslighet?" in text(
        response
    )
    assert ConcernReport.objects.count() == 0
    hub.post(reverse("intake:hub_register"), form_data(gang_related="no"))
    assert NotEligibleRecord.objects.get().reasons == ["not_gang_related"]


def test_register_eligible_report_goes_to_its_page_with_the_number(logged_in_client, hub_worker):
    hub = logged_in_client(hub_worker)
    response = hub.post(reverse("intake:hub_register"), form_data())
    report = ConcernReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:hub_report", args=[report.pk])
    assert report.person_id == PERSON_ID and report.controller.code == "0182"
    assert report.wants_feedback and report.registered_by == hub_worker
    page = text(hub.get(response["Location"]))
    assert "Anmälan är registrerad" in page
    assert "Ring nu" in page and decision_now().receiving_unit.phone in page
    assert fallback_number("0182") in page
    contact = ContactPerson.objects.filter(organisation__code="0182").order_by("escalation_order")
    assert contact.first().name in page
    assert viewed(hub_worker, report) == 1


def test_register_twice_with_the_same_form_creates_one_report(logged_in_client, hub_worker):
    hub = logged_in_client(hub_worker)
    first = hub.post(reverse("intake:hub_register"), form_data())
    second = hub.post(reverse("intake:hub_register"), form_data())
    assert ConcernReport.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_register_not_eligible_keeps_no_personal_data(logged_in_client, hub_worker):
    hub = logged_in_client(hub_worker)
    response = hub.post(reverse("intake:hub_register"), form_data(home_municipality="Norrtälje"))
    assert ConcernReport.objects.count() == 0
    record = NotEligibleRecord.objects.get()
    assert response["Location"] == reverse("intake:hub_not_eligible", args=[record.public_id])
    page = text(hub.get(response["Location"]))
    assert "säg detta till polisen" in page
    assert "har inget avtal om en ingång som gäller nu" in page
    assert "Inga personuppgifter har sparats" in page
    assert PERSON_ID not in page and "20120515-2380" not in page


def test_registration_errors_are_in_swedish_beside_the_field_and_input_is_kept(
    logged_in_client, hub_worker
):
    hub = logged_in_client(hub_worker)
    response = hub.post(
        reverse("intake:hub_register"),
        form_data(found_in="Atlantis", person_id="", reporting_officer_name=""),
    )
    body = text(response)
    assert response.status_code == 200
    assert "Hittar ingen kommun som heter ”Atlantis”" in body
    assert "Ange personnummer, samordningsnummer eller ett uppskattat födelsedatum." in body
    assert 'value="Atlantis"' in body
    assert "Hot från rivaliserande nätverk." in body
    assert 'aria-invalid="true"' in body
    assert ConcernReport.objects.count() == 0


def test_registration_needs_csrf(hub_worker):
    from django.test import Client

    from conftest import verify_second_factor

    strict = verify_second_factor(Client(enforce_csrf_checks=True), hub_worker)
    assert strict.post(reverse("intake:hub_register"), form_data()).status_code == 403


# --- the hub: handover ---------------------------------------------------------------


def test_hub_logs_calls_and_phone_acceptance_then_gets_404(logged_in_client, hub_worker):
    report = register(hub_worker).report
    hub = logged_in_client(hub_worker)
    url = reverse("intake:hub_report", args=[report.pk])
    missing_name = hub.post(
        reverse("intake:hub_attempt", args=[report.pk]),
        {"number_called": "08-465 004 77", "reached": "yes", "person_reached": ""},
    )
    assert "Ange namnet på den som svarade." in text(missing_name)
    assert 'value="08-465 004 77"' in text(missing_name)
    response = hub.post(
        reverse("intake:hub_attempt", args=[report.pk]),
        {"number_called": "08-465 004 77", "reached": "no"},
    )
    assert response["Location"] == url
    assert "Samtalet är loggat" in text(hub.get(url))
    hub.post(
        reverse("intake:hub_clarify", args=[report.pk]),
        {"contact": "ROC, insatsledare", "added": "Barnets mobilnummer."},
    )
    assert report.clarifications.count() == 1
    response = hub.post(
        reverse("intake:hub_accept_by_phone", args=[report.pk]), {"receiver_name": "Mona Mottag"}
    )
    assert response["Location"] == reverse("intake:hub_queue")
    report.refresh_from_db()
    assert report.accepted_at is not None and report.accepted_by_name == "Mona Mottag"
    gone = hub.get(url)
    assert gone.status_code == 404
    assert "inte längre tillgång" in text(gone)
    assert PERSON_ID not in text(gone)


def test_queue_shows_open_reports_and_escalated_ones_in_red(logged_in_client, hub_worker):
    report = register(hub_worker, received_at="2026-11-24T09:00").report
    hub = logged_in_client(hub_worker)
    page = text(hub.get(reverse("intake:hub_queue")))
    assert f"Nr {report.pk}" in page
    assert 'class="alarm"' in page and "Inte mottagen i tid" in page
    assert fallback_number("0182") in page  # fallback number beside the red row
    assert 'hx-trigger="live-changed from:body, every 60s"' in page
    assert "1 larm" in page
    assert PERSON_ID not in page
    partial = hub.get(reverse("intake:hub_queue"), headers={"HX-Request": "true"})
    assert text(partial).startswith('<section id="hub-queue"')
    alarm = hub.get(reverse("intake:hub_alarm") + "?count=0")
    assert "1 överlämning har inte tagits emot i tid" in text(alarm)
    assert hub.get(reverse("intake:hub_alarm") + "?count=1").status_code == 204


def test_alarm_is_visible_on_the_start_page_and_every_hub_page(logged_in_client, hub_worker):
    report = register(hub_worker, received_at="2026-11-24T09:00").report
    hub = logged_in_client(hub_worker)
    start = text(hub.get("/"))
    assert "Öppna anmälningar – 1 larm" in start
    assert reverse("intake:hub_report", args=[report.pk]) in start
    for url in (reverse("intake:hub_register"), reverse("intake:hub_report", args=[report.pk])):
        assert "har inte tagits emot i tid" in text(hub.get(url))


# --- the receiving municipality ---------------------------------------------------------


def test_receiver_accepts_records_both_assessments_and_feedback(
    logged_in_client, hub_worker, nacka_receiver, roc_operator
):
    report = register(hub_worker).report
    nacka = logged_in_client(nacka_receiver)
    inbox = text(nacka.get(reverse("intake:inbox")))
    assert f"Nr {report.pk}" in inbox
    url = reverse("intake:receiver_report", args=[report.pk])
    page = text(nacka.get(url))
    assert "Ta emot anmälan" in page and "20120515-2380" in page
    assert nacka.post(reverse("intake:receiver_accept", args=[report.pk]))["Location"] == url
    assert "Du har tagit emot anmälan" in text(nacka.get(url))
    future = nacka.post(
        reverse("intake:receiver_protection", args=[report.pk]),
        {"made_at": "2026-11-25T10:00", "immediate_protection_needed": "no"},
    )
    assert "Tiden kan inte ligga i framtiden." in text(future)
    assert 'value="2026-11-25T10:00"' in text(future)
    nacka.post(
        reverse("intake:receiver_protection", args=[report.pk]),
        {"made_at": "2026-11-24T09:30", "immediate_protection_needed": "no"},
    )
    nacka.post(
        reverse("intake:receiver_preliminary", args=[report.pk]),
        {"decision": "investigation_opened", "decided_on": "2026-11-24"},
    )
    report.refresh_from_db()
    assert report.protection_assessed_at == at("2026-11-24T09:30")
    assert str(report.preliminary_decided_on) == "2026-11-24"
    page = text(nacka.get(url))
    assert "Utredning inleds" in page and "1 december 2026" in page  # feedback due
    police = logged_in_client(roc_operator)
    assert "Väntar" in text(police.get(reverse("intake:police_status")))
    nacka.post(reverse("intake:receiver_feedback", args=[report.pk]))
    status = text(police.get(reverse("intake:police_status")))
    assert "Mottagen av kommunen" in status and "Utredning inleds" in status
    assert "Påträffad vid tunnelbanan" not in status and PERSON_ID not in status


def test_double_accept_gives_a_clear_swedish_message(
    logged_in_client, hub_worker, nacka_receiver, nacka_receiver_2
):
    report = register(hub_worker).report
    first = logged_in_client(nacka_receiver)
    second = logged_in_client(nacka_receiver_2)
    first.post(reverse("intake:receiver_accept", args=[report.pk]))
    response = second.post(reverse("intake:receiver_accept", args=[report.pk]), follow=True)
    assert "Överlämningen är redan mottagen (eller avvisad) av någon annan." in text(response)
    report.refresh_from_db()
    assert report.accepted_by == nacka_receiver


def test_reject_needs_a_reason_and_sends_the_report_back_to_the_hub(
    logged_in_client, hub_worker, nacka_receiver
):
    report = register(hub_worker).report
    nacka = logged_in_client(nacka_receiver)
    empty = nacka.post(reverse("intake:receiver_reject", args=[report.pk]), {"reason": " "})
    assert "Detta fält måste fyllas i." in text(empty) or "Ange varför" in text(empty)
    response = nacka.post(
        reverse("intake:receiver_reject", args=[report.pk]),
        {"reason": "Barnet bor i Solna sedan i somras."},
    )
    assert response["Location"] == reverse("intake:inbox")
    hub = logged_in_client(hub_worker)
    page = text(hub.get(reverse("intake:hub_report", args=[report.pk])))
    assert "Avvisad av mottagaren" in page and "Barnet bor i Solna sedan i somras." in page
    hub.post(reverse("intake:hub_reroute", args=[report.pk]), {"home_municipality": "Solna"})
    report.refresh_from_db()
    assert report.controller.code == "0184" and report.rejected_at is None


def test_a_reroute_refused_for_the_whole_form_shows_why(
    logged_in_client, hub_worker, nacka_receiver, monkeypatch
):
    """A refusal tied to no field is shown above the reroute form, not lost."""
    report = register(hub_worker).report
    logged_in_client(nacka_receiver).post(
        reverse("intake:receiver_reject", args=[report.pk]), {"reason": "Bor i Solna."}
    )

    def refuse(**kwargs: object) -> None:
        raise InvalidInput(None, "Anmälan kan inte dirigeras om just nu.")

    monkeypatch.setattr(services, "report_reroute", refuse)
    response = logged_in_client(hub_worker).post(
        reverse("intake:hub_reroute", args=[report.pk]), {"home_municipality": "Solna"}
    )
    assert response.status_code == 200
    assert re.search(
        r'<div class="errorlist" role="alert">.*Anmälan kan inte dirigeras om just nu\.',
        text(response),
    )
    report.refresh_from_db()
    assert report.rejected_at is not None


def test_repeat_report_is_pointed_out_to_the_receiver(logged_in_client, hub_worker, nacka_receiver):
    first = register(hub_worker, received_at="2026-11-20T10:00").report
    second = register(hub_worker).report
    nacka = logged_in_client(nacka_receiver)
    assert "Upprepad anmälan" in text(nacka.get(reverse("intake:inbox")))
    page = text(nacka.get(reverse("intake:receiver_report", args=[second.pk])))
    assert "Upprepad anmälan om samma barn" in page
    assert reverse("intake:receiver_report", args=[first.pk]) in page


def test_overdue_items_stand_out_on_the_receivers_start_page(
    logged_in_client, hub_worker, nacka_receiver
):
    report = register(hub_worker, received_at="2026-11-01T10:00").report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk, at=at("2026-11-01T10:05"))
    start = text(logged_in_client(nacka_receiver).get("/"))
    assert "skyddsbedömning försenad" in start and "förhandsbedömning försenad" in start
    assert "Brådskande" in start


def test_information_request_and_answer(logged_in_client, hub_worker, nacka_receiver, roc_operator):
    report = register(hub_worker).report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    nacka = logged_in_client(nacka_receiver)
    nacka.post(
        reverse("intake:receiver_information_request", args=[report.pk]),
        {"kind": "risk_assessment", "question": "Finns en aktuell hotbild?"},
    )
    request = report.information_requests.get()
    police = logged_in_client(roc_operator)
    assert "Finns en aktuell hotbild?" in text(police.get(reverse("intake:police_requests")))
    assert "Frågor från socialtjänsten" in text(police.get("/"))
    empty = police.post(
        reverse("intake:police_answer", args=[request.pk]), {f"r{request.pk}-answer": ""}
    )
    assert "Detta fält måste fyllas i." in text(empty)
    police.post(
        reverse("intake:police_answer", args=[request.pk]),
        {f"r{request.pk}-answer": "Ja, konkret hot."},
    )
    page = text(nacka.get(reverse("intake:receiver_report", args=[report.pk])))
    assert "Ja, konkret hot." in page


def test_every_report_view_is_audited(logged_in_client, hub_worker, nacka_receiver):
    report = register(hub_worker).report
    logged_in_client(hub_worker).get(reverse("intake:hub_report", args=[report.pk]))
    nacka = logged_in_client(nacka_receiver)
    nacka.get(reverse("intake:receiver_report", args=[report.pk]))
    nacka.get(reverse("intake:receiver_report", args=[report.pk]))
    assert viewed(hub_worker, report) == 1
    assert viewed(nacka_receiver, report) == 2


def test_late_preliminary_assessment_needs_the_synnerliga_skal(
    logged_in_client, hub_worker, nacka_receiver
):
    report = register(hub_worker, received_at="2026-11-01T10:00").report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk, at=at("2026-11-01T10:05"))
    protect(nacka_receiver, report, made_at="2026-11-01T11:00")
    nacka = logged_in_client(nacka_receiver)
    url = reverse("intake:receiver_preliminary", args=[report.pk])
    data = {"decision": "not_opened", "decided_on": "2026-11-24", "extension_reason": ""}
    response = nacka.post(url, data)
    body = text(response)
    assert "ange de synnerliga skälen för förlängningen" in body
    assert re.search(r'value="not_opened"[^>]*checked', body)  # the choice is kept
    assert nacka.post(url, {**data, "extension_reason": "Barnet var utomlands."}).status_code == 302
    page = text(nacka.get(reverse("intake:receiver_report", args=[report.pk])))
    assert "Barnet var utomlands." in page and "Utredning inleds inte" in page


def test_protection_made_in_the_minute_of_receipt_is_accepted(
    logged_in_client, hub_worker, nacka_receiver
):
    report = register(hub_worker, received_at="2026-11-24T09:59:30").report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    nacka = logged_in_client(nacka_receiver)
    response = nacka.post(
        reverse("intake:receiver_protection", args=[report.pk]),
        {"made_at": "2026-11-24T09:59", "immediate_protection_needed": "yes"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.protection_assessed_at == report.received_at
    assert report.protection_assessment.immediate_protection_needed is True


def test_the_hub_posting_after_the_receiving_side_acted(
    logged_in_client, hub_worker, nacka_receiver
):
    rejected = register(hub_worker, received_at="2026-11-24T09:00").report
    accepted = register(hub_worker, received_at="2026-11-24T09:05").report
    services.handover_reject(actor=nacka_receiver, report_id=rejected.pk, reason="Bor i Solna.")
    services.handover_accept(actor=nacka_receiver, report_id=accepted.pk)
    hub = logged_in_client(hub_worker)
    # No handover to log a call on until it is routed again: back to the queue, told why.
    response = hub.post(
        reverse("intake:hub_attempt", args=[rejected.pk]),
        {"number_called": "08-465 004 77", "reached": "no"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("intake:hub_queue"), 302)]
    assert "väntar på ny dirigering" in text(response)
    # Accepted: the hub's access has ended, and its form answers with the clear 404 page.
    gone = hub.post(
        reverse("intake:hub_clarify", args=[accepted.pk]),
        {"contact": "ROC, insatsledare", "added": "Barnets mobilnummer."},
    )
    assert gone.status_code == 404
    assert "inte längre tillgång" in text(gone)
    assert accepted.clarifications.count() == 0


def test_a_phone_report_sent_again_by_api_is_marked_on_the_hub_screens(
    logged_in_client, hub_worker, roc_api_client, client
):
    import json

    from samverkan.intake.tests.test_api import BODY

    hub = logged_in_client(hub_worker)
    hub.post(reverse("intake:hub_register"), form_data(police_reference=" ROC-2026-0001 "))
    report = ConcernReport.objects.get()
    assert report.police_reference == "ROC-2026-0001"
    assert "Även inskickad via API" not in text(hub.get(reverse("intake:hub_queue")))
    _, token = roc_api_client
    response = client.post(
        "/api/v1/reports",
        data=json.dumps(BODY),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200 and response.json()["id"] == str(report.public_id)
    assert ConcernReport.objects.count() == 1
    assert "Även inskickad via API" in text(hub.get(reverse("intake:hub_queue")))
    page = text(hub.get(reverse("intake:hub_report", args=[report.pk])))
    assert "Även inskickad via API" in page


def test_hub_queue_shows_repeats(logged_in_client, hub_worker):
    register(hub_worker, received_at="2026-11-20T02:10")
    register(hub_worker, received_at="2026-11-24T02:10")
    assert "Upprepad anmälan" in text(logged_in_client(hub_worker).get(reverse("intake:hub_queue")))
