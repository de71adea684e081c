"""Every state change of a concern report (SPEC §4): one transaction, a right, an event, an audit.

Actors are `accounts.User` (hub workers, receivers, ROC operators) or
`accounts.ApiClient` (police systems); who may act is asked of `intake.access`.
Refusals are `samverkan.core.errors`, with a Swedish `message` the UI and the
API show as they are; `InvalidInput.field` names the offending field.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from samverkan.accounts.models import ApiClient, User
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of
from samverkan.core.audited import create_audited
from samverkan.core.calendar import local_date
from samverkan.core.deadlines import feedback_due
from samverkan.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from samverkan.intake import access, announcements, limits
from samverkan.intake.access import Actor
from samverkan.intake.limits import check_length
from samverkan.intake.models import (
    Clarification,
    ConcernReport,
    Escalation,
    EventKind,
    Feedback,
    GangRisk,
    Handover,
    HandoverAttempt,
    InformationRequest,
    NotEligibleRecord,
    PreliminaryAssessment,
    PreliminaryDecision,
    ProtectionAssessment,
    ReceiptCounter,
    ReportEvent,
    ReportQuerySet,
    ReportStatus,
    SourceChannel,
)
from samverkan.intake.rules import (
    ChildFacts,
    Decision,
    RegistrySnapshot,
    decide,
    preliminary_refusal,
)
from samverkan.intake.school_reports import rules as school_rules
from samverkan.intake.snapshot import late_from, registry_snapshot
from samverkan.registry.models import ContactPerson, Organisation, OrganisationKind, Unit
from samverkan.registry.reference_data import ROC_CODE, STOCKHOLM_CODE
from samverkan.registry.selectors import intake_unit_for

logger = logging.getLogger(__name__)

REPEAT_WINDOW = timedelta(days=30)
FUTURE_BIRTH_DATE = "Födelsedatumet ligger i framtiden. Kontrollera datumet."


# --- errors -----------------------------------------------------------------------


class ReportNotFound(NotFound):
    """Not found, in the words of a report (the police system reads it as it is)."""

    default_message = "Anmälan finns inte."


# --- input -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput(ChildFacts):
    """A concern report as the hub registers it or a police system posts it: the facts
    the rules decide on, and what the report keeps besides."""

    reporting_officer_name: str = ""
    reporting_officer_unit: str = ""
    reporting_officer_phone: str = ""
    risk_information: str = ""
    narrative: str = ""
    wants_feedback: bool = False
    police_reference: str = ""
    source_channel: str = SourceChannel.POLICE_PHONE
    # The reporter's own answer (GangRisk), when it says more than `gang_related`: a
    # school may not know, or was not asked. None: the police's Ja or Nej.
    gang_risk: str | None = None


@dataclass(frozen=True)
class RegistrationResult:
    decision: Decision
    report: ConcernReport | None  # eligible: the report kept
    not_eligible: NotEligibleRecord | None  # not eligible: the anonymous record only
    created: bool  # False when a retry returned what was registered before

    @property
    def public_id(self) -> str:
        record = self.report or self.not_eligible
        return str(record.public_id) if record is not None else ""


def validate_codes(data: ReportInput, registry: RegistrySnapshot) -> None:
    """Unknown municipality or district → `InvalidInput` naming the field."""
    known = registry.municipality_names
    if data.found_in not in known:
        raise InvalidInput("found_in", f"Okänd kommunkod: {data.found_in!r}.")
    if data.home_municipality is not None and data.home_municipality not in known:
        raise InvalidInput("home_municipality", f"Okänd kommunkod: {data.home_municipality!r}.")
    if data.home_district is not None:
        if data.home_municipality != STOCKHOLM_CODE:
            raise InvalidInput(
                "home_district",
                f"Stadsdelsområde anges bara när bosättningskommunen är {STOCKHOLM_CODE}.",
            )
        if data.home_district not in registry.districts:
            raise InvalidInput(
                "home_district", f"Okänt stadsdelsområde i Stockholm: {data.home_district!r}."
            )
    if data.person_id is None and data.birth_date is None:
        raise InvalidInput(
            "birth_date", "Ange personnummer, samordningsnummer eller uppskattat födelsedatum."
        )


def validate_birth_date(data: ReportInput, at: datetime) -> None:
    """An estimated birth date after the day of receipt is a typing error, never "not covered"."""
    if data.person_id is None and data.birth_date is not None:
        if data.birth_date > local_date(at):
            raise InvalidInput("birth_date", FUTURE_BIRTH_DATE)


def report_decide(
    *, data: ReportInput, at: datetime, registry: RegistrySnapshot | None = None
) -> Decision:
    """The decision for `data` received at `at`; writes nothing (route command, htmx preview)."""
    registry = registry or registry_snapshot(at)
    validate_codes(data, registry)
    validate_birth_date(data, at)
    return decide(data.received(at), registry, late_from=late_from())


# --- helpers -----------------------------------------------------------------------


def _label(actor: Actor | None) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, ApiClient):
        return f"API: {actor.name}"
    return actor.display_name


def _event(
    report: ConcernReport, kind: str, actor: Actor | None, at: datetime, **detail: Any
) -> ReportEvent:
    event = ReportEvent.objects.create(
        report=report,
        kind=kind,
        at=at,
        actor_user=actor if isinstance(actor, User) else None,
        actor_client=actor if isinstance(actor, ApiClient) else None,
        actor_label=_label(actor),
        detail=detail,
    )
    # In the change's transaction: the police system's webhooks are queued with it.
    announcements.announce_event(event)
    return event


def _audit(
    actor: Actor | None,
    action: str,
    report: ConcernReport,
    *,
    controller: str | None = None,
    **detail: Any,
) -> None:
    """`controller`: the report's controller code when the caller has it (no row to load)."""
    audit_record_of(
        report,
        actor=actor,
        action=action,
        controller=controller or report.controller.code,
        detail=detail,
    )


def _organisation_name(organisation_id: int | None, fallback: str) -> str:
    if organisation_id is None:
        return fallback
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    return organisation.name if organisation is not None else fallback


def _require_hub(actor: Actor) -> User:
    if not access.is_hub(actor):
        raise NotAllowed("Bara Socialjouren (navet) får göra detta.")
    return actor


def _require_receiver(actor: Actor) -> User:
    if not access.is_receiver(actor):
        raise NotAllowed("Bara mottagande socialtjänst får göra detta.")
    return actor


def _report_for_receiver(actor: Actor, report_id: int, *, lock: bool = False) -> ConcernReport:
    return _one(access.received_by(_require_receiver(actor)), report_id, lock=lock)


def _report_for_hub(actor: Actor, report_id: int, *, lock: bool = False) -> ConcernReport:
    _require_hub(actor)
    return _one(access.hub_reports(), report_id, lock=lock)


def _one(reports: ReportQuerySet, report_id: int, *, lock: bool) -> ConcernReport:
    """The report among those the actor may act on, or `ReportNotFound` (never says which)."""
    queryset = reports.select_related("controller")
    if lock:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=report_id)
    except ConcernReport.DoesNotExist as error:
        raise ReportNotFound() from error


def _current_handover(report: ConcernReport) -> Handover | None:
    return report.handovers.filter(outcome=Handover.Outcome.PENDING).order_by("-id").first()


def reference_digest(client: ApiClient, reference: str) -> str:
    """A keyed, irreversible digest of a police reference (retries of non-eligible reports)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{client.pk}:{reference}".encode(), hashlib.sha256).hexdigest()


def age_band(age: int | None) -> str:
    if age is None:
        return NotEligibleRecord.AgeBand.UNKNOWN
    if age >= 18:
        return NotEligibleRecord.AgeBand.ADULT
    if age >= 15:
        return NotEligibleRecord.AgeBand.AGE_15_17
    if age >= 12:
        return NotEligibleRecord.AgeBand.AGE_12_14
    return NotEligibleRecord.AgeBand.UNDER_12


# --- registration ---------------------------------------------------------------------


def _check_registrar(actor: Actor, data: ReportInput) -> None:
    if isinstance(actor, ApiClient):
        if not actor.is_active:
            raise NotAllowed("API-klienten är inte aktiv.")
        return
    if data.source_channel == SourceChannel.SCHOOL:
        if not access.is_school_staff(actor):
            raise NotAllowed("Bara personal på en skolenhet anmäler oro för sina elever här.")
        return
    if not access.is_hub(actor):
        raise NotAllowed("Bara Socialjouren (navet) registrerar anmälningar.")


def _school_decision(data: ReportInput, at: datetime, registry: RegistrySnapshot) -> Decision:
    decision = report_decide(data=data, at=at, registry=registry)
    for reason in decision.reasons:
        if reason in school_rules.SCHOOL_REASONS:
            field, message = school_rules.SCHOOL_REASONS[reason]
            raise InvalidInput(field, message)
    # A Stockholm pupil whose district the school does not know: the decision's
    # organisation is then the municipality, whose central intake receives it.
    return replace(decision, eligible=True, reasons=())


def _previous_registration(actor: Actor, data: ReportInput) -> RegistrationResult | None:
    """What a police system already registered under the reference, or the hub took by
    phone under it; `Conflict` when the reference belongs to another child (issue 18)."""
    if not isinstance(actor, ApiClient) or not data.police_reference:
        return None
    found = _registered_under(actor, data.police_reference)
    if found is None:
        return None
    kind, pk = found
    if kind == "record":
        record = NotEligibleRecord.objects.get(pk=pk)
        decision = report_decide(data=data, at=record.decided_at)
        if (record.home_municipality, record.age_band) != (
            data.home_municipality or "",
            age_band(decision.age),
        ):
            raise _reference_taken(data.police_reference, str(record.public_id))
        return RegistrationResult(
            decision=decision, report=None, not_eligible=record, created=False
        )
    report = ConcernReport.objects.select_related("controller", "home_municipality").get(pk=pk)
    decision = report_decide(data=data, at=report.received_at)
    home = report.home_municipality.code if report.home_municipality else None
    if (report.person_id, report.birth_date, home) != (
        decision.person_id or "",
        decision.birth_date,
        data.home_municipality,
    ):
        raise _reference_taken(data.police_reference, f"nr {report.pk}, {report.public_id}")
    if kind == "phone":
        _mark_also_via_api(actor, report)
    return RegistrationResult(decision=decision, report=report, not_eligible=None, created=False)


def _reference_taken(reference: str, existing: str) -> Conflict:
    return Conflict(
        f"Polisens referens {reference!r} används redan för en annan anmälan ({existing}) "
        "om ett annat barn eller en annan bosättningskommun. Ingenting har registrerats; "
        "kontrollera referensen."
    )


def _mark_also_via_api(client: ApiClient, report: ConcernReport) -> None:
    """The hub took the report by phone; the police system now sends it too: the system
    takes it as its own (retries and status find it) and the hub sees it was sent twice."""
    at = timezone.now()
    with transaction.atomic():
        claimed = ConcernReport.objects.filter(pk=report.pk, api_client__isnull=True).update(
            api_client=client, also_via_api_at=at
        )
        if not claimed:
            return
        report.api_client, report.also_via_api_at = client, at
        _event(report, EventKind.ALSO_VIA_API, client, at)
        _audit(client, AuditAction.CHANGE, report, also_via_api=True)


def _registered_under(client: ApiClient, police_reference: str) -> tuple[str, int] | None:
    """("report" | "record" | "phone", pk) of what is registered under the reference: by
    this client, or ("phone") by the hub from a phone call by the client's organisation.

    Nearly every call finds nothing (a first submission), so the tables are probed in
    one indexed statement by key only (issue 8: the two full-row ORM look-ups were a
    fifth of an API intake's CPU); the whole record is loaded just for a retry.
    """
    reports = ConcernReport._meta.db_table
    records = NotEligibleRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 'report', id FROM {reports} "  # noqa: S608 (table names from the models)
            "WHERE api_client_id = %s AND police_reference = %s "
            f"UNION ALL SELECT 'record', id FROM {records} "
            "WHERE api_client_id = %s AND reference_digest = %s "
            f"UNION ALL SELECT 'phone', id FROM {reports} "
            "WHERE api_client_id IS NULL AND police_reference = %s "
            "AND source_channel = %s AND reporting_organisation_id = %s",
            [
                client.pk,
                police_reference,
                client.pk,
                reference_digest(client, police_reference),
                police_reference,
                SourceChannel.POLICE_PHONE.value,
                client.organisation_id,
            ],
        )
        rows = cursor.fetchall()
    # The client's own registration first; of several phone reports, the first taken.
    order = {"report": 0, "record": 1, "phone": 2}
    return min(((str(k), int(i)) for k, i in rows), key=lambda r: (order[r[0]], r[1]), default=None)


def report_register(
    *, actor: Actor, data: ReportInput, received_at: datetime | None = None
) -> RegistrationResult:
    """Register a report received by the hub (or posted by a police system).

    Idempotent on (API client, police reference): a retry returns what the first
    call registered and never creates a second report or statistics record.
    Not eligible: only an anonymous `NotEligibleRecord` is kept.
    """
    _check_registrar(actor, data)
    for field, limit in limits.REPORT_FIELDS.items():
        check_length(field, getattr(data, field), limit)
    previous = _previous_registration(actor, data)
    if previous is not None:
        return previous
    at = received_at or timezone.now()
    # Taken before the transaction: inside one the snapshot is built afresh, not cached.
    registry = registry_snapshot(at)
    if data.source_channel == SourceChannel.SCHOOL and not isinstance(actor, ApiClient):
        decision = _school_decision(data, at, registry)
    else:
        decision = report_decide(data=data, at=at, registry=registry)
    client = actor if isinstance(actor, ApiClient) else None
    try:
        with transaction.atomic():
            if not decision.eligible:
                return _register_not_eligible(actor, client, data, decision, at)
            return _register_eligible(actor, client, data, decision, at, registry)
    except IntegrityError:
        # Two identical requests raced past the look-up: the other one won.
        previous = _previous_registration(actor, data)
        if previous is None:
            raise
        return previous


def _register_not_eligible(
    actor: Actor, client: ApiClient | None, data: ReportInput, decision: Decision, at: datetime
) -> RegistrationResult:
    # Not eligible: no organisation controls the record, so the entry names none.
    record = create_audited(
        actor,
        NotEligibleRecord,
        controller="",
        detail={"reasons": list(decision.reasons)},
        decided_at=at,
        source_channel=data.source_channel,
        reasons=list(decision.reasons),
        found_in=data.found_in,
        home_municipality=data.home_municipality or "",
        age_band=age_band(decision.age),
        api_client=client,
        reference_digest=(
            reference_digest(client, data.police_reference)
            if client and data.police_reference
            else ""
        ),
    )
    announcements.announce_not_eligible(record)
    return RegistrationResult(decision=decision, report=None, not_eligible=record, created=True)


def _organisation_ids(codes: set[str], registry: RegistrySnapshot) -> dict[str, int]:
    """code → Organisation pk: from the snapshot, the database only for a code it lacks."""
    found = {
        code: registry.organisation_ids[code] for code in codes if code in registry.organisation_ids
    }
    missing = codes - found.keys()
    if missing:
        found.update(Organisation.objects.filter(code__in=missing).values_list("code", "pk"))
    return found


def _repeat_of(person_id: str, home_municipality_id: int, at: datetime) -> int | None:
    """The latest report on the same child from the same home municipality within
    REPEAT_WINDOW before `at`: one indexed statement written out, as `_registered_under`
    (it runs on every identified intake; the ORM compiled it afresh each time, issue 20.2).
    """
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {ConcernReport._meta.db_table} "  # noqa: S608 (the model's table)
            "WHERE person_id = %s AND home_municipality_id = %s "
            "AND received_at >= %s AND received_at <= %s "
            "ORDER BY received_at DESC LIMIT 1",
            [person_id, home_municipality_id, adapt(at - REPEAT_WINDOW), adapt(at)],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _register_eligible(
    actor: Actor,
    client: ApiClient | None,
    data: ReportInput,
    decision: Decision,
    at: datetime,
    registry: RegistrySnapshot,
) -> RegistrationResult:
    assert decision.responsible_municipality and decision.responsible_organisation
    controller_code = decision.responsible_organisation
    ids = _organisation_ids(
        {
            c
            for c in (
                data.found_in,
                data.home_municipality,
                decision.responsible_municipality,
                controller_code,
            )
            if c
        },
        registry,
    )
    controller_is_district = controller_code in registry.district_names
    routed_unit = decision.receiving_unit
    unit_id = routed_unit.id if routed_unit and routed_unit.id else None
    unit_name = routed_unit.name if unit_id and routed_unit else ""
    assert decision.birth_date is not None
    reporting_organisation = (
        client.organisation
        if client is not None
        else Organisation.objects.filter(code=ROC_CODE).first()
        if data.source_channel in (SourceChannel.POLICE_PHONE, SourceChannel.POLICE_API)
        else None
    )
    from_school = client is None and data.source_channel == SourceChannel.SCHOOL
    if from_school:
        # Delivered in the system straight to the intake unit of the pupil's district,
        # whatever the hour (not via the hub); accepting it is the receiver's step.
        assert isinstance(actor, User)
        reporting_organisation = actor.organisation
        school_unit = intake_unit_for(Organisation.objects.get(pk=ids[controller_code]))
        if school_unit is not None:
            unit_id, unit_name = school_unit.pk, school_unit.name
    gang_risk = data.gang_risk or (
        GangRisk.NOT_ASKED if from_school else GangRisk.YES if data.gang_related else GangRisk.NO
    )
    repeat_of_id = None
    if decision.person_id and data.home_municipality in ids:
        repeat_of_id = _repeat_of(decision.person_id, ids[data.home_municipality], at)
    # Foreign keys by id (from the snapshot): no organisation or unit rows are loaded.
    report = ConcernReport.objects.create(
        received_at=at,
        routed_at=at,
        source_channel=(SourceChannel.POLICE_API if client is not None else data.source_channel),
        api_client=client,
        reporting_organisation=reporting_organisation,
        police_reference=data.police_reference,
        registered_by=actor if isinstance(actor, User) else None,
        person_id=decision.person_id or "",
        birth_date=decision.birth_date,
        birth_date_estimated=decision.person_id is None,
        found_in_id=ids[data.found_in],
        home_municipality_id=ids.get(data.home_municipality or ""),
        home_district_id=ids[controller_code] if controller_is_district else None,
        responsible_municipality_id=ids[decision.responsible_municipality],
        controller_id=ids[controller_code],
        receiving_unit_id=unit_id,
        reporting_officer_name=data.reporting_officer_name,
        reporting_officer_unit=data.reporting_officer_unit,
        reporting_officer_phone=data.reporting_officer_phone,
        gang_related=data.gang_related,
        gang_risk=gang_risk,
        receipt_number=_next_receipt_number(local_date(at).year) if from_school else "",
        risk_information=data.risk_information,
        narrative=data.narrative,
        wants_feedback=data.wants_feedback,
        eligible=True,
        reasons=[],
        status=ReportStatus.RECEIVED,
        protection_assessment_due=decision.protection_assessment_due,
        preliminary_assessment_due=decision.preliminary_assessment_due,
        repeat_of_id=repeat_of_id,
    )
    if from_school:
        report.handed_over_at = at
        report.status = ReportStatus.HANDED_OVER
        report.save(update_fields=["handed_over_at", "status"])
    Handover.objects.create(
        report=report,
        organisation_id=ids[controller_code],
        receiving_unit_id=unit_id,
        started_at=at,
    )
    _event(
        report,
        EventKind.RECEIVED,
        actor,
        at,
        channel=report.source_channel,
        receiving_unit=unit_name,
        repeat_of=repeat_of_id,
    )
    _audit(actor, AuditAction.CREATE, report, controller=controller_code)
    return RegistrationResult(decision=decision, report=report, not_eligible=None, created=True)


def _next_receipt_number(year: int) -> str:
    """The next school receipt number of `year` ("S-2026-0017"), taken in the caller's
    transaction: the counter row stays locked until it commits, so a concurrent filing
    waits and takes the next number (and a rolled-back filing gives its number back)."""
    if not ReceiptCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():  # the first filing of the year creates the row
                ReceiptCounter.objects.create(year=year, last=1)
        except IntegrityError:  # another filing created it first: take the next one
            ReceiptCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = ReceiptCounter.objects.values_list("last", flat=True).get(year=year)
    return school_rules.receipt_number(year, last)


# --- the hub's work ------------------------------------------------------------------


def report_clarify(
    *, actor: Actor, report_id: int, contact: str, added: str, at: datetime | None = None
) -> Clarification:
    """Log a clarification contact with ROC (who, what was added)."""
    with transaction.atomic():
        report = _report_for_hub(actor, report_id)
        user = _require_hub(actor)
        if not added.strip():
            raise InvalidInput("added", "Skriv vad som tillfördes.")
        now = at or timezone.now()
        clarification = Clarification.objects.create(
            report=report, at=now, by=user, contact=contact, added=added
        )
        _event(report, EventKind.CLARIFIED, actor, now, contact=contact)
        _audit(actor, AuditAction.CHANGE, report, clarification=clarification.pk)
        return clarification


def handover_attempt_record(
    *,
    actor: Actor,
    report_id: int,
    number_called: str,
    reached: bool,
    person_reached: str = "",
    note: str = "",
    at: datetime | None = None,
) -> HandoverAttempt:
    """Log one call to the receiving side; reaching someone marks the report handed over."""
    with transaction.atomic():
        report = _report_for_hub(actor, report_id, lock=True)
        user = _require_hub(actor)
        if not number_called.strip():
            raise InvalidInput("number_called", "Ange numret som ringdes.")
        if reached and not person_reached.strip():
            raise InvalidInput("person_reached", "Ange namnet på den som svarade.")
        now = at or timezone.now()
        handover = _current_handover(report)
        if handover is None:
            raise Conflict("Anmälan väntar på ny dirigering efter avvisning.")
        attempt = HandoverAttempt.objects.create(
            handover=handover,
            at=now,
            number_called=number_called,
            reached=reached,
            person_reached=person_reached,
            note=note,
            by=user,
        )
        _event(
            report,
            EventKind.HANDOVER_ATTEMPT,
            actor,
            now,
            number=number_called,
            reached=reached,
            person=person_reached,
        )
        if reached and report.handed_over_at is None:
            report.handed_over_at = now
            report.status = ReportStatus.HANDED_OVER
            report.save(update_fields=["handed_over_at", "status"])
            _event(report, EventKind.HANDED_OVER, actor, now, person=person_reached)
        _audit(actor, AuditAction.HANDOVER, report, attempt=attempt.pk, reached=reached)
        return attempt


def _accept(
    *,
    actor: Actor,
    report: ConcernReport,
    now: datetime,
    accepted_by: User | None,
    name: str,
    via: str,
) -> ConcernReport:
    """The conditional update that lets exactly one acceptance win."""
    won = ConcernReport.objects.filter(
        pk=report.pk, accepted_at__isnull=True, rejected_at__isnull=True
    ).update(
        accepted_at=now,
        accepted_by=accepted_by,
        accepted_by_name=name,
        status=ReportStatus.ACCEPTED,
        handed_over_at=report.handed_over_at or now,
    )
    if not won:
        raise Conflict("Överlämningen är redan mottagen (eller avvisad) av någon annan.")
    Handover.objects.filter(report=report, outcome=Handover.Outcome.PENDING).update(
        outcome=Handover.Outcome.ACCEPTED,
        completed_at=now,
        via=via,
        accepted_by=accepted_by,
        receiver_name=name,
        recorded_by=actor if isinstance(actor, User) else None,
    )
    report.refresh_from_db()
    _event(report, EventKind.ACCEPTED, actor, now, via=via, receiver=name)
    _audit(actor, AuditAction.HANDOVER, report, accepted=True, via=via)
    return report


def handover_accept(*, actor: Actor, report_id: int, at: datetime | None = None) -> ConcernReport:
    """A receiver of the responsible organisation accepts the handover in the system.

    Two receivers at once: exactly one succeeds, the other gets `Conflict`.
    """
    with transaction.atomic():
        report = _report_for_receiver(actor, report_id)
        assert isinstance(actor, User)
        return _accept(
            actor=actor,
            report=report,
            now=at or timezone.now(),
            accepted_by=actor,
            name=_label(actor),
            via=Handover.Via.SYSTEM,
        )


def handover_accept_by_phone(
    *, actor: Actor, report_id: int, receiver_name: str, at: datetime | None = None
) -> ConcernReport:
    """The hub records that the receiving side accepted by phone, with the receiver's name."""
    if not receiver_name.strip():
        raise InvalidInput("receiver_name", "Ange namnet på den som tog emot ärendet.")
    with transaction.atomic():
        report = _report_for_hub(actor, report_id)
        return _accept(
            actor=actor,
            report=report,
            now=at or timezone.now(),
            accepted_by=None,
            name=receiver_name.strip(),
            via=Handover.Via.PHONE,
        )


def handover_reject(
    *, actor: Actor, report_id: int, reason: str, at: datetime | None = None
) -> ConcernReport:
    """The receiving side says the report is not theirs: it goes back to the hub, never lost."""
    if not reason.strip():
        raise InvalidInput("reason", "Ange varför anmälan inte hör till er.")
    with transaction.atomic():
        report = _report_for_receiver(actor, report_id)
        now = at or timezone.now()
        won = ConcernReport.objects.filter(
            pk=report.pk, accepted_at__isnull=True, rejected_at__isnull=True
        ).update(rejected_at=now, status=ReportStatus.RECEIVED, handed_over_at=None)
        if not won:
            raise Conflict("Överlämningen är redan mottagen eller avvisad.")
        Handover.objects.filter(report=report, outcome=Handover.Outcome.PENDING).update(
            outcome=Handover.Outcome.REJECTED,
            completed_at=now,
            rejection_reason=reason,
            recorded_by=actor,
        )
        report.refresh_from_db()
        _event(report, EventKind.REJECTED, actor, now, reason=reason)
        _audit(actor, AuditAction.CHANGE, report, rejected=True)
        return report


def report_reroute(
    *,
    actor: Actor,
    report_id: int,
    home_municipality: str | None,
    home_district: str | None = None,
    at: datetime | None = None,
) -> ConcernReport:
    """The hub routes a rejected report again to the right organisation (a new handover).

    The deadlines stay those of the first receipt: receipt is when the hub received it.
    """
    with transaction.atomic():
        report = _report_for_hub(actor, report_id, lock=True)
        now = at or timezone.now()
        data = ReportInput(
            person_id=report.person_id or None,
            birth_date=report.birth_date if not report.person_id else None,
            found_in=report.found_in.code,
            home_municipality=home_municipality,
            home_district=home_district,
            gang_related=report.gang_related,
        )
        decision = report_decide(data=data, at=now)
        assert decision.responsible_organisation and decision.responsible_municipality
        organisations = {
            o.code: o
            for o in Organisation.objects.filter(
                code__in=[
                    decision.responsible_organisation,
                    decision.responsible_municipality,
                    home_municipality or "",
                ]
            )
        }
        controller = organisations[decision.responsible_organisation]
        unit = (
            Unit.objects.filter(pk=decision.receiving_unit.id).first()
            if decision.receiving_unit and decision.receiving_unit.id
            else None
        )
        Handover.objects.filter(report=report, outcome=Handover.Outcome.PENDING).update(
            outcome=Handover.Outcome.REJECTED, completed_at=now, rejection_reason="omdirigerad"
        )
        previous = report.controller.code
        report.home_municipality = organisations.get(home_municipality or "")
        report.home_district = controller if controller.kind == OrganisationKind.DISTRICT else None
        report.responsible_municipality = organisations[decision.responsible_municipality]
        report.controller = controller
        report.receiving_unit = unit
        report.eligible = decision.eligible
        report.reasons = list(decision.reasons)
        report.routed_at = now
        report.rejected_at = None
        report.escalated_at = None
        report.handed_over_at = None
        report.status = ReportStatus.RECEIVED
        report.save()
        Handover.objects.create(
            report=report, organisation=controller, receiving_unit=unit, started_at=now
        )
        _event(
            report,
            EventKind.REROUTED,
            actor,
            now,
            previous=previous,
            controller=controller.code,
            reasons=list(decision.reasons),
        )
        _audit(actor, AuditAction.CHANGE, report, rerouted_from=previous)
        return report


def _close_if_done(report: ConcernReport, now: datetime) -> None:
    """Mark the report done for coordination once nothing is left for the receiving side."""
    report.refresh_from_db(
        fields=[
            "accepted_at",
            "protection_assessed_at",
            "preliminary_decided_on",
            "feedback_due",
            "feedback_delivered_at",
            "closed_at",
        ]
    )
    done = (
        report.accepted_at is not None
        and report.protection_assessed_at is not None
        and report.preliminary_decided_on is not None
        and (report.feedback_due is None or report.feedback_delivered_at is not None)
    )
    if done and report.closed_at is None:
        ConcernReport.objects.filter(pk=report.pk, closed_at__isnull=True).update(closed_at=now)
        report.closed_at = now


# --- the receiving municipality ---------------------------------------------------------


def _require_accepted(report: ConcernReport) -> None:
    if report.accepted_at is None:
        raise Conflict("Ta emot överlämningen först.")


def protection_assessment_record(
    *,
    actor: Actor,
    report_id: int,
    made_at: datetime,
    immediate_protection_needed: bool,
) -> ProtectionAssessment:
    """Record that the immediate protection assessment was made (SoL 20 kap. 1 §)."""
    with transaction.atomic():
        report = _report_for_receiver(actor, report_id, lock=True)
        _require_accepted(report)
        now = timezone.now()
        if made_at > now + timedelta(minutes=5):
            raise InvalidInput("made_at", "Tiden kan inte ligga i framtiden.")
        if made_at < report.received_at:
            raise InvalidInput("made_at", "Skyddsbedömningen kan inte göras före mottagandet.")
        if hasattr(report, "protection_assessment"):
            raise Conflict("Skyddsbedömningen är redan registrerad.")
        assessment = ProtectionAssessment.objects.create(
            report=report,
            made_at=made_at,
            made_by=_require_receiver(actor),
            immediate_protection_needed=immediate_protection_needed,
            recorded_at=now,
        )
        report.protection_assessed_at = made_at
        report.save(update_fields=["protection_assessed_at"])
        _event(
            report,
            EventKind.PROTECTION_ASSESSED,
            actor,
            now,
            made_at=made_at.isoformat(),
            within_deadline=made_at <= report.protection_assessment_due,
        )
        _audit(actor, AuditAction.CHANGE, report, protection_assessment=assessment.pk)
        _close_if_done(report, now)
        return assessment


INVESTIGATION_OPENED = {
    PreliminaryDecision.INVESTIGATION_OPENED,
    PreliminaryDecision.ALREADY_RUNNING,
}


def preliminary_assessment_record(
    *,
    actor: Actor,
    report_id: int,
    decision: str,
    decided_on: date,
    extension_reason: str = "",
) -> PreliminaryAssessment:
    """Record the preliminary assessment decision (SoL 20 kap. 2 §).

    After the 14-day deadline only with *synnerliga skäl*, recorded. When the
    police asked for feedback, its deadline (one week after the decision) starts.
    """
    if decision not in PreliminaryDecision.values:
        raise InvalidInput("decision", "Välj ett beslut.")
    with transaction.atomic():
        report = _report_for_receiver(actor, report_id, lock=True)
        _require_accepted(report)
        now = timezone.now()
        if decided_on > local_date(now):
            raise InvalidInput("decided_on", "Beslutsdatum kan inte ligga i framtiden.")
        if decided_on < local_date(report.received_at):
            raise InvalidInput("decided_on", "Beslutsdatum kan inte ligga före mottagandet.")
        refusal = preliminary_refusal(report.protection_assessed_at, decided_on)
        if refusal is not None:
            field, message = refusal
            # Not yet made is the report's state (409); a day before it is the input (422).
            raise Conflict(message) if field is None else InvalidInput(field, message)
        late = decided_on > report.preliminary_assessment_due
        if late and not extension_reason.strip():
            raise InvalidInput(
                "extension_reason",
                "Beslutet ligger efter 14 dagar: ange de synnerliga skälen för förlängningen.",
            )
        if hasattr(report, "preliminary_assessment"):
            raise Conflict("Förhandsbedömningen är redan registrerad.")
        assessment = PreliminaryAssessment.objects.create(
            report=report,
            decision=decision,
            decided_on=decided_on,
            extended=bool(extension_reason.strip()),
            extension_reason=extension_reason.strip(),
            decided_by=_require_receiver(actor),
            recorded_at=now,
        )
        report.preliminary_decided_on = decided_on
        fields = ["preliminary_decided_on"]
        if report.wants_feedback:
            due = feedback_due(decided_on)
            Feedback.objects.create(
                report=report,
                decision_date=decided_on,
                due=due,
                investigation_opened=decision in INVESTIGATION_OPENED,
            )
            report.feedback_due = due
            fields.append("feedback_due")
        report.save(update_fields=fields)
        _event(
            report,
            EventKind.PRELIMINARY_ASSESSED,
            actor,
            now,
            decision=decision,
            decided_on=decided_on.isoformat(),
            extended=assessment.extended,
        )
        _audit(actor, AuditAction.CHANGE, report, preliminary_assessment=assessment.pk)
        _close_if_done(report, now)
        return assessment


def feedback_deliver(*, actor: Actor, report_id: int, at: datetime | None = None) -> Feedback:
    """Deliver the answer "investigation opened or not" to the reporter's status view."""
    with transaction.atomic():
        report = _report_for_receiver(actor, report_id, lock=True)
        feedback = Feedback.objects.filter(report=report).first()
        if feedback is None:
            raise Conflict(
                "Ingen återkoppling att lämna: polisen bad inte om den, eller "
                "förhandsbedömningen är inte registrerad."
            )
        if feedback.delivered_at is not None:
            raise Conflict("Återkopplingen är redan lämnad.")
        now = at or timezone.now()
        feedback.delivered_at = now
        feedback.delivered_by = _require_receiver(actor)
        feedback.save(update_fields=["delivered_at", "delivered_by"])
        report.feedback_delivered_at = now
        report.save(update_fields=["feedback_delivered_at"])
        _event(report, EventKind.FEEDBACK_DELIVERED, actor, now)
        outcome = "utredning inleds" if feedback.investigation_opened else "utredning inleds inte"
        _audit(
            actor,
            AuditAction.DISCLOSE,
            report,
            feedback=feedback.pk,
            shown=[f"Återkoppling till anmälaren: {outcome}, beslutad {feedback.decision_date}"],
            to=[_organisation_name(report.reporting_organisation_id, "Anmälande polis")],
        )
        _close_if_done(report, now)
        return feedback


def information_request_send(
    *, actor: Actor, report_id: int, kind: str, question: str, at: datetime | None = None
) -> InformationRequest:
    """The receiving municipality asks ROC (risk assessment, gang affiliation)."""
    if kind not in InformationRequest.Kind.values:
        raise InvalidInput("kind", "Välj vad frågan gäller.")
    if not question.strip():
        raise InvalidInput("question", "Skriv frågan.")
    with transaction.atomic():
        report = _report_for_receiver(actor, report_id)
        _require_accepted(report)
        # The police that reported it; a school's report is asked about at ROC.
        reporter = (
            report.reporting_organisation if report.source_channel != SourceChannel.SCHOOL else None
        )
        to = reporter or Organisation.objects.filter(code=ROC_CODE).first()
        if to is None:
            raise Conflict("Polisens regionala operativa center (ROC) finns inte i registret.")
        now = at or timezone.now()
        request = InformationRequest.objects.create(
            report=report,
            kind=kind,
            question=question.strip(),
            sent_at=now,
            sent_by=_require_receiver(actor),
            to_organisation=to,
        )
        _event(
            report,
            EventKind.INFORMATION_REQUESTED,
            actor,
            now,
            request=request.pk,
            question_kind=kind,
        )
        _audit(
            actor,
            AuditAction.DISCLOSE,
            report,
            information_request=request.pk,
            shown=[
                f"Informationsbegäran ({request.get_kind_display()}): frågan, "
                "anmälans nummer och polisens referens"
            ],
            to=[to.name],
        )
        return request


def information_request_answer(
    *, actor: Actor, request_id: int, answer: str, at: datetime | None = None
) -> InformationRequest:
    """ROC answers an information request (an operator in the UI or a police system)."""
    if not answer.strip():
        raise InvalidInput("answer", "Skriv svaret.")
    with transaction.atomic():
        if not access.can_answer_information_requests(actor):
            raise NotAllowed("Bara polisen besvarar informationsbegäran.")
        request = (
            access.information_requests_to(actor)
            .select_for_update()
            .select_related("report__controller")
            .filter(pk=request_id)
            .first()
        )
        if request is None:
            raise NotFound("Informationsbegäran finns inte.")
        if request.answered_at is not None:
            raise Conflict("Informationsbegäran är redan besvarad.")
        now = at or timezone.now()
        request.answer = answer.strip()
        request.answered_at = now
        request.answered_by = actor if isinstance(actor, User) else None
        request.answered_by_client = actor if isinstance(actor, ApiClient) else None
        request.save(update_fields=["answer", "answered_at", "answered_by", "answered_by_client"])
        _event(request.report, EventKind.INFORMATION_ANSWERED, actor, now, request=request.pk)
        # ROC's answer is the police's disclosure to the municipality, logged as such.
        audit_record_of(
            request.report,
            actor=actor,
            action=AuditAction.DISCLOSE,
            controller=request.report.controller.code,
            reason="Svar på informationsbegäran",
            detail={
                "information_answer": request.pk,
                "shown": [f"Polisens svar på informationsbegäran ({request.get_kind_display()})"],
                "to": [request.report.controller.name],
            },
        )
        return request


def information_answers_mark_read(
    *, actor: Actor, report_id: int, at: datetime | None = None
) -> list[int]:
    """The receiving side has seen the police's answers on a report: they leave the start
    page and the list of unread answers, for everyone of the receiving organisation.

    Per organisation, not per user: the question was asked for the unit, and whoever is
    on duty when the answer comes acts on it; who read it and when is kept. Returns the
    ids of the answers marked now (none when all were read already).
    """
    with transaction.atomic():
        report = _report_for_receiver(actor, report_id)
        unread = InformationRequest.objects.filter(
            report=report, answered_at__isnull=False, answer_read_at__isnull=True
        )
        ids = list(unread.select_for_update().values_list("pk", flat=True))
        if not ids:
            return []
        InformationRequest.objects.filter(pk__in=ids, answer_read_at__isnull=True).update(
            answer_read_at=at or timezone.now(), answer_read_by=_require_receiver(actor)
        )
        _audit(actor, AuditAction.CHANGE, report, information_answers_read=ids)
        return ids


# --- escalation -------------------------------------------------------------------------


def escalation_threshold(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.HANDOVER_ESCALATION_MINUTES)


def _contact_emails(report: ConcernReport) -> list[str]:
    organisations = {report.controller_id, report.responsible_municipality_id}
    return list(
        ContactPerson.objects.filter(organisation_id__in=organisations)
        .exclude(email="")
        .order_by("escalation_order", "name")
        .values_list("email", flat=True)
    )


def handover_escalate_due(*, now: datetime | None = None) -> list[int]:
    """Escalate every handover not accepted within HANDOVER_ESCALATION_MINUTES.

    Idempotent and safe with several workers: each report is claimed with a
    conditional update (`escalated_at IS NULL`), so it is notified exactly once
    per routing. Returns the ids escalated by this call.
    """
    now = now or timezone.now()
    due = list(
        ConcernReport.objects.filter(
            accepted_at__isnull=True,
            escalated_at__isnull=True,
            rejected_at__isnull=True,
            routed_at__lte=escalation_threshold(now),
        )
        .order_by("routed_at")
        .values_list("pk", flat=True)[:500]
    )
    escalated: list[int] = []
    for report_id in due:
        with transaction.atomic():
            claimed = ConcernReport.objects.filter(
                pk=report_id, accepted_at__isnull=True, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            report = ConcernReport.objects.select_related(
                "controller", "responsible_municipality"
            ).get(pk=report_id)
            emails = _contact_emails(report)
            Escalation.objects.create(
                report=report, handover=_current_handover(report), at=now, notified=emails
            )
            _event(report, EventKind.ESCALATED, None, now, notified=emails)
            _audit(
                None,
                AuditAction.DISCLOSE,
                report,
                escalated=True,
                notified=emails,
                shown=[
                    f"E-post: en orosanmälan till {report.controller.name} väntar på "
                    f"mottagande (anmälans nummer, inga personuppgifter)"
                ],
                to=emails or ["ingen mottagare (ingen kontaktperson med e-post)"],
            )
        escalated.append(report_id)
        if emails:
            # No personal data in the mail: the receiver opens the report in the system.
            minutes = settings.HANDOVER_ESCALATION_MINUTES
            try:
                send_mail(
                    subject="Samverkan: överlämning väntar på mottagande",
                    message=(
                        f"En orosanmälan till {report.controller.name} har inte tagits emot "
                        f"inom {minutes} minuter. Logga in i Samverkan och ta emot den "
                        f"(anmälan nr {report.pk}), eller ring Socialjouren Stockholm."
                    ),
                    from_email=None,
                    recipient_list=emails,
                )
            except Exception:  # noqa: BLE001 - a mail failure must not stop the others
                logger.exception("escalation mail for report %s failed", report_id)
    return escalated
