"""Services and selectors: the flow hub → receiving municipality → police status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from samverkan.audit.models import AuditEntry
from samverkan.core.errors import Conflict, InvalidInput, NotAllowed
from samverkan.intake import selectors, services
from samverkan.intake.models import (
    ConcernReport,
    Escalation,
    EventKind,
    Handover,
    NotEligibleRecord,
    ReportEvent,
)
from samverkan.intake.tests.factories import assess, at, decide_preliminary, protect, register
from samverkan.intake.ui_support import fallbacks_for_organisations
from samverkan.registry.models import ContactPerson, Organisation

pytestmark = pytest.mark.django_db


def test_register_stores_report_routing_and_deadlines(hub_worker):
    result = register(hub_worker)
    report = result.report
    assert result.created and result.decision.eligible
    assert report.controller.code == "0182"
    assert report.receiving_unit.name.startswith("Socialjour Sydost")
    assert report.person_id == "201205152380"
    assert report.birth_date == date(2012, 5, 15)
    assert report.protection_assessment_due == at("2026-11-24T23:59:59")
    assert report.preliminary_assessment_due == date(2026, 12, 8)
    assert report.reporting_organisation.code == "polisen-roc"
    assert list(report.events.values_list("kind", flat=True)) == [EventKind.RECEIVED]
    assert AuditEntry.objects.filter(
        record_type="intake.ConcernReport", record_id=str(report.pk), action="create"
    ).exists()
    assert report.handovers.get().outcome == Handover.Outcome.PENDING


def test_late_report_gets_next_day_for_protection(hub_worker):
    report = register(hub_worker, received_at="2026-11-24T21:00").report
    assert report.protection_assessment_due == at("2026-11-25T23:59:59")


def test_not_eligible_keeps_no_personal_data(hub_worker):
    result = register(hub_worker, home_municipality="0188")
    assert result.report is None
    assert ConcernReport.objects.count() == 0
    record = result.not_eligible
    assert record.reasons == ["no_agreement_in_force"]
    assert record.age_band == "12-14"
    stored = {f.name: getattr(record, f.name) for f in NotEligibleRecord._meta.fields}
    text = repr(stored)
    for personal in ("201205152380", "Testsson", "tunnelbanan", "Hot från"):
        assert personal not in text
    assert "Norrtälje har inget avtal" in result.decision.advice


def test_only_the_hub_or_a_police_system_registers(nacka_receiver, roc_operator):
    for actor in (nacka_receiver, roc_operator):
        with pytest.raises(NotAllowed):
            register(actor)


def test_unknown_codes_name_the_field(hub_worker):
    with pytest.raises(InvalidInput) as error:
        register(hub_worker, found_in="9999")
    assert error.value.field == "found_in"
    with pytest.raises(InvalidInput) as error:
        register(hub_worker, home_municipality="0180", home_district="Atlantis")
    assert error.value.field == "home_district"


def test_api_retry_returns_the_same_report(roc_api_client):
    client, _ = roc_api_client
    first = register(client, police_reference="ROC-1")
    second = register(client, police_reference="ROC-1", received_at="2026-11-24T02:12")
    assert not second.created
    assert second.report.pk == first.report.pk
    assert ConcernReport.objects.count() == 1


def test_api_retry_of_not_eligible_creates_no_second_record(roc_api_client):
    client, _ = roc_api_client
    first = register(client, police_reference="ROC-2", gang_related=False)
    second = register(client, police_reference="ROC-2", gang_related=False)
    assert NotEligibleRecord.objects.count() == 1
    assert second.not_eligible.pk == first.not_eligible.pk and not second.created
    assert first.not_eligible.reference_digest != "ROC-2"
    assert "ROC-2" not in first.not_eligible.reference_digest


def test_same_reference_from_another_client_is_another_report(
    roc_api_client, other_police_api_client
):
    register(roc_api_client[0], police_reference="X-1")
    register(other_police_api_client[0], police_reference="X-1")
    assert ConcernReport.objects.count() == 2


def test_race_past_the_lookup_is_caught_by_the_unique_constraint(roc_api_client, monkeypatch):
    client, _ = roc_api_client
    first = register(client, police_reference="ROC-3")
    calls = {"n": 0}
    original = services._previous_registration

    def blind_first_time(actor, data):
        calls["n"] += 1
        return None if calls["n"] == 1 else original(actor, data)

    monkeypatch.setattr(services, "_previous_registration", blind_first_time)
    again = register(client, police_reference="ROC-3")
    assert again.report.pk == first.report.pk and not again.created
    assert ConcernReport.objects.count() == 1


# --- visibility -------------------------------------------------------------------


def test_receivers_see_only_their_own_organisations_reports(
    hub_worker, nacka_receiver, solna_receiver
):
    report = register(hub_worker).report  # Nacka child found in Solna
    assert selectors.report_detail(user=nacka_receiver, report_id=report.pk) == report
    with pytest.raises(services.ReportNotFound):
        selectors.report_detail(user=solna_receiver, report_id=report.pk)
    assert selectors.receiving_queue(user=solna_receiver) == []
    assert [r.id for r in selectors.receiving_queue(user=nacka_receiver)] == [report.pk]


def test_hub_loses_access_when_the_report_is_accepted(hub_worker, nacka_receiver):
    report = register(hub_worker).report
    assert selectors.report_detail(user=hub_worker, report_id=report.pk)
    assert [r.id for r in selectors.hub_queue(user=hub_worker)] == [report.pk]
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    with pytest.raises(services.ReportNotFound):
        selectors.report_detail(user=hub_worker, report_id=report.pk)
    assert selectors.hub_queue(user=hub_worker) == []
    with pytest.raises(services.ReportNotFound):
        services.report_clarify(actor=hub_worker, report_id=report.pk, contact="x", added="y")


def test_every_read_of_a_report_is_audited(hub_worker, nacka_receiver):
    report = register(hub_worker).report
    before = AuditEntry.objects.filter(action="view").count()
    selectors.report_detail(user=hub_worker, report_id=report.pk)
    selectors.report_detail(user=nacka_receiver, report_id=report.pk, reason="mottagning")
    views = AuditEntry.objects.filter(action="view", record_id=str(report.pk)).order_by("id")
    assert views.count() - before == 2
    assert [v.actor_user for v in views] == [hub_worker, nacka_receiver]
    assert all(v.controller == "0182" for v in views)


def test_stockholm_child_goes_to_the_district(hub_worker, farsta_receiver, nacka_receiver):
    report = register(
        hub_worker,
        received_at="2026-11-24T10:00",
        home_municipality="0180",
        home_district="Farsta",
    ).report
    assert report.controller.code == "0180-farsta"
    assert report.receiving_unit.name == "Farsta, mottagningen barn och unga"
    assert selectors.report_detail(user=farsta_receiver, report_id=report.pk)
    with pytest.raises(services.ReportNotFound):
        selectors.report_detail(user=nacka_receiver, report_id=report.pk)


def test_police_see_status_only(hub_worker, roc_operator, roc_api_client, other_police_api_client):
    client, _ = roc_api_client
    report = register(client, police_reference="S-1").report
    status = selectors.report_status_for_client(client=client, report_id=report.public_id)
    assert status.status == "received"
    assert not hasattr(status, "narrative")
    with pytest.raises(services.ReportNotFound):
        selectors.report_status_for_client(
            client=other_police_api_client[0], report_id=report.public_id
        )
    assert [s.id for s in selectors.report_statuses_for_police(user=roc_operator)] == [
        str(report.public_id)
    ]
    with pytest.raises(services.ReportNotFound):
        selectors.report_detail(user=roc_operator, report_id=report.pk)


# --- handover ---------------------------------------------------------------------


def test_handover_attempts_and_phone_acceptance(hub_worker):
    report = register(hub_worker).report
    services.handover_attempt_record(
        actor=hub_worker, report_id=report.pk, number_called="08-465 004 01", reached=False
    )
    with pytest.raises(InvalidInput) as error:
        services.handover_attempt_record(
            actor=hub_worker, report_id=report.pk, number_called="08-465 004 01", reached=True
        )
    assert error.value.field == "person_reached"
    services.handover_attempt_record(
        actor=hub_worker,
        report_id=report.pk,
        number_called="08-465 004 01",
        reached=True,
        person_reached="Sara Jour",
    )
    report.refresh_from_db()
    assert report.status == "handed_over" and report.handed_over_at is not None
    services.handover_accept_by_phone(
        actor=hub_worker, report_id=report.pk, receiver_name="Sara Jour"
    )
    report.refresh_from_db()
    assert report.status == "accepted" and report.accepted_by_name == "Sara Jour"
    handover = report.handovers.get()
    assert handover.via == "phone" and handover.attempts.count() == 2
    assert list(ReportEvent.objects.filter(report=report).values_list("kind", flat=True)) == [
        "received",
        "handover_attempt",
        "handover_attempt",
        "handed_over",
        "accepted",
    ]


def test_second_acceptance_is_a_conflict(hub_worker, nacka_receiver, nacka_receiver_2):
    report = register(hub_worker).report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    with pytest.raises(Conflict):
        services.handover_accept(actor=nacka_receiver_2, report_id=report.pk)
    report.refresh_from_db()
    assert report.accepted_by == nacka_receiver
    assert report.events.filter(kind="accepted").count() == 1


def test_only_the_responsible_organisation_accepts(hub_worker, solna_receiver):
    report = register(hub_worker).report
    with pytest.raises(services.ReportNotFound):
        services.handover_accept(actor=solna_receiver, report_id=report.pk)
    with pytest.raises(NotAllowed):
        services.handover_accept(actor=hub_worker, report_id=report.pk)


def test_rejected_report_goes_back_to_the_hub_and_is_rerouted(
    hub_worker, nacka_receiver, solna_receiver
):
    report = register(hub_worker).report
    services.handover_reject(
        actor=nacka_receiver, report_id=report.pk, reason="Barnet bor i Solna."
    )
    row = selectors.hub_queue(user=hub_worker)[0]
    assert row.rejected and row.id == report.pk
    with pytest.raises(Conflict):
        services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    services.report_reroute(actor=hub_worker, report_id=report.pk, home_municipality="0184")
    report.refresh_from_db()
    assert report.controller.code == "0184" and report.rejected_at is None
    assert report.preliminary_assessment_due == date(2026, 12, 8)  # receipt unchanged
    services.handover_accept(actor=solna_receiver, report_id=report.pk)
    with pytest.raises(services.ReportNotFound):
        selectors.report_detail(user=nacka_receiver, report_id=report.pk)
    assert [h.outcome for h in report.handovers.all()] == ["rejected", "accepted"]


def test_repeat_report_within_30_days_is_pointed_out(hub_worker, nacka_receiver):
    first = register(hub_worker, received_at="2026-11-01T10:00").report
    second = register(hub_worker, received_at="2026-11-24T02:10").report
    later = register(hub_worker, received_at="2027-01-10T02:10").report
    assert second.repeat_of == first
    assert later.repeat_of is None
    rows = {
        r.id: r for r in selectors.receiving_queue(user=nacka_receiver, now=at("2026-11-24T03:00"))
    }
    assert rows[second.pk].repeat and not rows[first.pk].repeat
    assert selectors.repeat_reports(user=nacka_receiver, report=second) == [first]


# --- the receiving side -------------------------------------------------------------


@time_machine.travel("2026-11-24T09:00+01:00", tick=False)
def test_assessments_feedback_and_police_status(hub_worker, nacka_receiver, roc_api_client):
    client, _ = roc_api_client
    report = register(client, police_reference="F-1", received_at="2026-11-24T02:10").report
    with pytest.raises(Conflict):
        protect(nacka_receiver, report)
    services.handover_accept(actor=nacka_receiver, report_id=report.pk, at=at("2026-11-24T02:20"))
    with pytest.raises(NotAllowed):
        protect(hub_worker, report)
    assess(
        nacka_receiver,
        report,
        immediate=True,
        decision="investigation_opened",
        decided_on=date(2026, 11, 24),
    )
    report.refresh_from_db()
    assert report.feedback_due == date(2026, 12, 1)
    status = selectors.report_status_for_client(client=client, report_id=report.public_id)
    assert status.status == "accepted" and status.feedback is None
    services.feedback_deliver(actor=nacka_receiver, report_id=report.pk)
    status = selectors.report_status_for_client(client=client, report_id=report.public_id)
    assert status.feedback["investigation_opened"] is True
    assert "immediate_protection" not in repr(status.as_json())


@time_machine.travel("2026-12-20T12:00+01:00", tick=False)
def test_late_preliminary_assessment_needs_synnerliga_skal(hub_worker, nacka_receiver):
    report = register(hub_worker, received_at="2026-11-24T02:10").report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    assert selectors.overdue_for_user(user=nacka_receiver).preliminary == 1
    assert selectors.overdue_for_user(user=nacka_receiver).protection == 1
    protect(nacka_receiver, report)
    with pytest.raises(InvalidInput) as error:
        decide_preliminary(nacka_receiver, report, date(2026, 12, 9))
    assert error.value.field == "extension_reason"
    assessment = decide_preliminary(
        nacka_receiver,
        report,
        date(2026, 12, 9),
        extension_reason="Vårdnadshavare nåddes först efter utlandsresa.",
    )
    assert assessment.extended
    assert selectors.overdue_for_user(user=nacka_receiver).preliminary == 0


def test_information_request_to_roc_and_answer(hub_worker, nacka_receiver, roc_operator):
    report = register(hub_worker).report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    request = services.information_request_send(
        actor=nacka_receiver,
        report_id=report.pk,
        kind="gang_affiliation",
        question="Finns känd koppling till nätverk?",
    )
    assert selectors.information_requests_for_police(user=roc_operator) == [request]
    with pytest.raises(NotAllowed):
        services.information_request_answer(actor=nacka_receiver, request_id=request.pk, answer="x")
    services.information_request_answer(actor=roc_operator, request_id=request.pk, answer="Ja.")
    request.refresh_from_db()
    assert request.answered_by == roc_operator
    kinds = list(report.events.values_list("kind", flat=True))
    assert "information_requested" in kinds and "information_answered" in kinds
    # both ways are disclosures, each saying what was shown and to whom
    asked, answered = AuditEntry.objects.filter(
        action="disclose", record_id=str(report.pk)
    ).order_by("id")
    assert asked.detail["to"] == [request.to_organisation.name]
    assert "Gängtillhörighet" in asked.detail["shown"][0]
    assert answered.reason == "Svar på informationsbegäran"
    assert answered.actor_user == roc_operator
    assert answered.detail["to"] == [report.controller.name]
    assert "Polisens svar" in answered.detail["shown"][0]


# --- escalation -------------------------------------------------------------------------


def test_escalation_after_15_minutes_notifies_once(hub_worker, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = register(hub_worker, received_at="2026-11-24T02:10").report
    assert services.handover_escalate_due(now=at("2026-11-24T02:24:59")) == []
    assert services.handover_escalate_due(now=at("2026-11-24T02:25")) == [report.pk]
    assert services.handover_escalate_due(now=at("2026-11-24T02:30")) == []
    assert Escalation.objects.count() == 1
    assert len(mail.outbox) == 1
    nacka_contacts = ContactPerson.objects.filter(organisation__code="0182").order_by(
        "escalation_order"
    )
    assert mail.outbox[0].to == [p.email for p in nacka_contacts]
    assert "201205152380" not in mail.outbox[0].body
    row = selectors.hub_queue(user=hub_worker, now=at("2026-11-24T02:30"))[0]
    assert row.escalated
    assert selectors.hub_alarm_count(user=hub_worker, now=at("2026-11-24T02:30")) == 1


def test_accepted_report_is_not_escalated(hub_worker, nacka_receiver):
    report = register(hub_worker, received_at="2026-11-24T02:10").report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    assert services.handover_escalate_due(now=at("2026-11-24T03:00")) == []


def test_escalation_respects_the_setting(hub_worker, settings):
    settings.HANDOVER_ESCALATION_MINUTES = 5
    report = register(hub_worker, received_at="2026-11-24T02:10").report
    assert services.handover_escalate_due(now=at("2026-11-24T02:15")) == [report.pk]


def test_handover_contacts_list_the_number_now_fallbacks_and_persons(hub_worker):
    report = register(hub_worker).report
    contacts = selectors.handover_contacts(report, now=at("2026-11-24T02:20"))
    # A Tuesday night: the joint service and its reserve number, then Nacka's office line.
    assert [(n.unit, n.label, n.answers_now) for n in contacts.numbers] == [
        ("Socialjour Sydost (Nacka, Värmdö, Tyresö)", "Dygnet runt", True),
        ("Socialjour Sydost (Nacka, Värmdö, Tyresö)", "Reservnummer", True),
        ("Nacka, mottagningen barn och unga", "Kontorstid", False),
    ]
    assert [p.escalation_order for p in contacts.contact_persons] == [1, 2]


def test_an_alarm_at_night_points_at_the_open_service_not_the_closed_office(hub_worker):
    """Routed to Nacka's intake unit on Friday at 16:00; on Saturday night the joint
    service answers, so its numbers come first (issue 18, point 4)."""
    report = register(hub_worker, received_at="2026-12-04T16:00").report
    assert report.receiving_unit.kind == "intake"
    night = selectors.handover_contacts(report, now=at("2026-12-05T23:30"))
    assert [(n.label, n.answers_now) for n in night.numbers] == [
        ("Dygnet runt", True),
        ("Reservnummer", True),
        ("Kontorstid", False),
    ]
    assert night.numbers[0].unit.startswith("Socialjour Sydost")
    tuesday = selectors.handover_contacts(report, now=at("2026-12-08T10:00"))
    assert (tuesday.numbers[0].unit, tuesday.numbers[0].label) == (
        "Nacka, mottagningen barn och unga",
        "Kontorstid",
    )
    fallbacks = fallbacks_for_organisations({"0182"}, now=at("2026-12-05T23:30"))
    assert fallbacks["0182"].numbers == night.numbers


def test_deadline_boundaries_are_stored_for_querying(hub_worker, nacka_receiver):
    register(hub_worker, received_at="2026-11-24T02:10")
    assert ConcernReport.objects.filter(preliminary_assessment_due=date(2026, 12, 8)).count() == 1
    assert (
        ConcernReport.objects.filter(
            protection_assessment_due__lt=at("2026-11-24T23:59:59") + timedelta(seconds=1)
        ).count()
        == 1
    )


def test_municipality_search_and_person_id_feedback(intake_registry):
    assert [o.code for o in selectors.municipality_search("0182")] == ["0182"]
    assert "0182" in [o.code for o in selectors.municipality_search("nacka")]
    assert "0180-farsta" in [o.code for o in selectors.municipality_search("Farsta")]
    assert selectors.municipality_search(" ") == []
    assert selectors.person_id_feedback("201205152380", at=at("2026-11-24T02:10")) == ""
    assert selectors.person_id_feedback("201205152381", at=at("2026-11-24T02:10"))


@time_machine.travel("2026-12-02T09:00+01:00", tick=False)
def test_report_leaves_the_receiving_queue_when_everything_is_done(hub_worker, nacka_receiver):
    report = register(hub_worker, received_at="2026-11-24T02:10").report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk, at=at("2026-11-24T02:20"))
    assess(nacka_receiver, report, decision="already_running", decided_on=date(2026, 11, 30))
    assert [r.id for r in selectors.receiving_queue(user=nacka_receiver)] == [report.pk]
    services.feedback_deliver(actor=nacka_receiver, report_id=report.pk)
    report.refresh_from_db()
    assert report.closed_at is not None
    assert selectors.receiving_queue(user=nacka_receiver) == []
    # still readable by its controller, with an audited read
    assert selectors.report_detail(user=nacka_receiver, report_id=report.pk) == report


def test_queues_and_detail_take_a_fixed_number_of_queries(
    hub_worker, nacka_receiver, django_assert_max_num_queries
):
    reports = [register(hub_worker, received_at=f"2026-11-24T02:{m:02d}").report for m in (1, 2)]
    for more in (3, 4, 5, 6):
        register(hub_worker, received_at=f"2026-11-24T02:{more:02d}")
    with django_assert_max_num_queries(4):  # roles, the queue, its units' phone lines
        rows = selectors.hub_queue(user=hub_worker)
    assert len(rows) == 6
    assert (
        rows[0].receiving_phone
        == reports[0].receiving_unit.phone_lines.order_by("priority").first().number
    )
    with django_assert_max_num_queries(6):  # roles, organisation tree, the queue, phones
        assert len(selectors.receiving_queue(user=nacka_receiver)) == 6
    with django_assert_max_num_queries(12):
        selectors.report_detail(user=nacka_receiver, report_id=reports[0].pk)


@pytest.mark.parametrize("code", ["0182", "0180-farsta", "0184", "0180"])
@pytest.mark.parametrize("when", ["2026-12-05T23:30", "2026-12-08T10:00", "2026-12-24T10:00"])
def test_the_red_rows_numbers_are_the_registrys(intake_registry, code, when):
    """The hub's alarm rows take their numbers from the routing's snapshot; they are the
    numbers the registry gives the report page, day and night."""
    from samverkan.registry.selectors import numbers_to_call_for

    organisation = Organisation.objects.get(code=code)
    fallbacks = fallbacks_for_organisations({code}, now=at(when))
    assert fallbacks[code].numbers == numbers_to_call_for(organisation, at(when))
    assert fallbacks[code].numbers, "the hub always has a number to call"
