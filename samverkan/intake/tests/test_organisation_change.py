"""A merger must never strand a child (issue 16).

Farsta and Enskede-Årsta-Vantör merge into a new district dated today while
Farsta holds concern reports in every state. Every open report must be in the
successor's queues, open for the successor's receivers, and — if nobody has
accepted it — found by the escalation job with the successor's contact
persons; closed reports keep Farsta (history); and the start page tells the
moved receiver only what really moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.accounts.models import Role, RoleCode, User
from samverkan.intake.models import ConcernReport, Handover, PreliminaryDecision
from samverkan.intake.selectors import hub_queue, receiving_queue
from samverkan.intake.services import (
    handover_accept,
    handover_attempt_record,
    handover_escalate_due,
    handover_reject,
    preliminary_assessment_record,
    protection_assessment_record,
)
from samverkan.intake.tests.factories import register
from samverkan.registry import change_rules as rules
from samverkan.registry.changes import change_register
from samverkan.registry.models import ChangeEvent, ContactPerson, Organisation, OrganisationKind
from samverkan.registry.panels import organisation_changed_panel
from samverkan.registry.reference_data import STOCKHOLM_CODE

pytestmark = pytest.mark.django_db

FARSTA = "0180-farsta"
ENSKEDE = "0180-enskede-arsta-vantor"


@dataclass
class Reports:
    received: ConcernReport  # routed, nobody reached yet
    handed_over: ConcernReport  # the hub reached the receiving unit, not yet accepted
    accepted: ConcernReport  # accepted, assessments still to do
    rejected: ConcernReport  # sent back to the hub for re-routing
    closed: ConcernReport  # accepted, assessed, nothing left: history

    @property
    def unaccepted(self) -> list[ConcernReport]:
        return [self.received, self.handed_over]

    @property
    def in_receiving_queue(self) -> list[ConcernReport]:
        return [self.received, self.handed_over, self.accepted]


def _farsta_child(actor: Any, received_at: datetime) -> ConcernReport:
    result = register(
        actor,
        received_at=received_at.astimezone(timezone.get_current_timezone())
        .replace(tzinfo=None)
        .isoformat(timespec="minutes"),
        home_municipality=STOCKHOLM_CODE,
        home_district="Farsta",
        found_in=STOCKHOLM_CODE,
        wants_feedback=False,
    )
    report = result.report
    assert report.controller.code == FARSTA
    return report


@pytest.fixture
def reports(intake_registry: Any, hub_worker: User, farsta_receiver: User) -> Reports:
    """Farsta's reports in every state, made through the intake services two hours ago."""
    start = timezone.now() - timedelta(hours=2)
    made = [_farsta_child(hub_worker, start + timedelta(minutes=i)) for i in range(5)]
    received, handed_over, accepted, rejected, closed = made
    handover_attempt_record(
        actor=hub_worker,
        report_id=handed_over.pk,
        number_called="08-508 00 000",
        reached=True,
        person_reached="Mottagare Farsta",
    )
    for report in (accepted, closed):
        handover_accept(actor=farsta_receiver, report_id=report.pk)
    handover_reject(actor=farsta_receiver, report_id=rejected.pk, reason="Bor i Nacka.")
    protection_assessment_record(
        actor=farsta_receiver,
        report_id=closed.pk,
        made_at=timezone.now() - timedelta(minutes=30),
        immediate_protection_needed=False,
    )
    preliminary_assessment_record(
        actor=farsta_receiver,
        report_id=closed.pk,
        decision=PreliminaryDecision.NOT_OPENED,
        decided_on=timezone.localdate(),
    )
    for report in made:
        report.refresh_from_db()
    assert closed.closed_at is not None and accepted.closed_at is None
    return Reports(received, handed_over, accepted, rejected, closed)


@pytest.fixture
def successor(intake_registry: dict[str, Organisation], admin_user: User) -> Organisation:
    """Farsta and Enskede-Årsta-Vantör merged today into a new district."""
    new = Organisation.objects.create(
        code="0180-soderort",
        name="Söderort",
        kind=OrganisationKind.DISTRICT,
        parent=intake_registry[STOCKHOLM_CODE],
    )
    change_register(
        actor=admin_user,
        kind=rules.MERGER,
        effective_date=timezone.localdate(),
        ending=[intake_registry[FARSTA], intake_registry[ENSKEDE]],
        successors={new.pk: list(rules.RESPONSIBILITIES)},
    )
    return new


@pytest.fixture
def successor_receiver(successor: Organisation) -> User:
    """A receiver of the new district who was never Farsta's."""
    user = User.objects.create(username="soderort-mottagning", organisation=successor)
    user.roles.add(Role.objects.get_or_create(code=RoleCode.RECEIVER)[0])
    return user


def test_every_open_report_moves_to_the_successor_and_closed_ones_stay(
    reports: Reports, successor: Organisation
) -> None:
    for report in (reports.received, reports.handed_over, reports.accepted, reports.rejected):
        report.refresh_from_db()
        assert report.controller_id == successor.pk, report.get_status_display()
        assert report.home_district_id == successor.pk
    reports.closed.refresh_from_db()
    assert reports.closed.controller.code == FARSTA
    # Each move is on record; years of closed reports are not even gathered.
    moved = ChangeEvent.objects.filter(record_type="intake.ConcernReport", field="controller")
    assert set(moved.values_list("record_id", flat=True)) == {
        r.pk for r in (reports.received, reports.handed_over, reports.accepted, reports.rejected)
    }
    assert reports.closed.home_district.code == FARSTA
    # The waiting handovers are the successor's; finished ones are history.
    pending = Handover.objects.filter(outcome=Handover.Outcome.PENDING)
    assert set(pending.values_list("report_id", flat=True)) == {r.pk for r in reports.unaccepted}
    assert set(pending.values_list("organisation_id", flat=True)) == {successor.pk}
    assert set(
        Handover.objects.filter(report=reports.closed).values_list("organisation__code", flat=True)
    ) == {FARSTA}


def test_open_reports_are_in_the_successors_queues_and_open_for_its_receivers(
    reports: Reports,
    successor_receiver: User,
    hub_worker: User,
    logged_in_client: Any,
) -> None:
    queue = {row.id for row in receiving_queue(user=successor_receiver)}
    assert queue == {r.pk for r in reports.in_receiving_queue}
    # The rejected report waits for the hub to re-route it, as before the merger.
    assert reports.rejected.pk in {row.id for row in hub_queue(user=hub_worker)}
    client = logged_in_client(successor_receiver)
    for report in (*reports.in_receiving_queue, reports.rejected):
        page = client.get(reverse("intake:receiver_report", args=[report.pk]))
        assert page.status_code == 200, report.get_status_display()
    closed = client.get(reverse("intake:receiver_report", args=[reports.closed.pk]))
    assert closed.status_code == 404  # Farsta's history is not the new district's


@pytest.fixture
def farsta_contact(intake_registry: dict[str, Organisation]) -> ContactPerson:
    """Farsta's own escalation contact, registered before the merger."""
    return ContactPerson.objects.create(
        organisation=intake_registry[FARSTA],
        name="Jour Farsta",
        title="Enhetschef",
        email="jour@farsta.example",
        escalation_order=1,
    )


def test_an_unaccepted_report_escalates_to_the_successors_contact_persons(
    farsta_contact: ContactPerson, reports: Reports, successor: Organisation, settings: Any
) -> None:
    farsta_contact.refresh_from_db()
    assert farsta_contact.organisation_id == successor.pk
    later = timezone.now() + timedelta(minutes=settings.HANDOVER_ESCALATION_MINUTES)
    escalated = handover_escalate_due(now=later)
    assert set(escalated) == {r.pk for r in reports.unaccepted}
    for report in reports.unaccepted:
        escalation = report.escalations.get()
        assert escalation.handover is not None
        assert escalation.handover.organisation_id == successor.pk
        assert "jour@farsta.example" in escalation.notified


def test_the_start_page_says_what_moved(
    reports: Reports, successor: Organisation, farsta_receiver: User
) -> None:
    farsta_receiver.refresh_from_db()
    assert farsta_receiver.organisation_id == successor.pk
    panel = organisation_changed_panel(farsta_receiver)
    assert panel is not None
    text = str(panel.items[0].text)
    assert "Farsta har gått upp i Söderort" in text
    assert "orosanmälningar (4)" in text  # every open one, not the closed one
    assert "överlämningar som väntar på mottagande (2)" in text
    assert "Avslutat står kvar på Farsta" in text


def test_the_start_page_claims_no_move_when_nothing_moved(
    intake_registry: dict[str, Organisation], admin_user: User
) -> None:
    """An organisation with only a user: the notice says nothing else had to move."""
    stockholm = intake_registry[STOCKHOLM_CODE]
    empty = Organisation.objects.create(
        code="0180-tom", name="Tomt område", kind=OrganisationKind.DISTRICT, parent=stockholm
    )
    new = Organisation.objects.create(
        code="0180-ny", name="Nytt område", kind=OrganisationKind.DISTRICT, parent=stockholm
    )
    user = User.objects.create(username="tom-anvandare", organisation=empty)
    change_register(
        actor=admin_user,
        kind=rules.MERGER,
        effective_date=timezone.localdate(),
        ending=[empty],
        successors={new.pk: list(rules.RESPONSIBILITIES)},
    )
    user.refresh_from_db()
    panel = organisation_changed_panel(user)
    assert panel is not None
    text = str(panel.items[0].text)
    assert "Inget pågående arbete behövde flyttas" in text
    assert "har flyttats" not in text
