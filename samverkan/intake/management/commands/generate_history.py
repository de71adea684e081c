"""Bulk-load years of realistic history for the benchmarks (issue 8).

    python manage.py generate_history --reports 1000000 --years 10

Run it after `setup_demo` (it needs the demo municipalities, users, the ROC API
client, the defector assignments and the collaboration forums). It adds:

* N eligible concern reports spread over the last Y years across every demo
  municipality with a single-entry agreement and Stockholm's districts, each
  with its handover, events (received, handed over, accepted, both
  assessments, feedback), protection and preliminary assessments, sometimes
  an escalation, an information request and feedback to the police;
* about 15 % as many anonymous not-eligible records;
* audit entries for every step, appended to the hash chain exactly as
  `audit_record` chains them (`audit_verify` passes afterwards);
* defector ledger costs on the demo assignments and collaboration meetings
  with attendance on the demo forums.

History is closed (accepted, assessed, fed back): the queues hold only the
`--open` newest reports (default 40), as a staffed hub would — so a queue's
size does not grow with history, only the tables around it. Run it again
with `--open 0` to add more history without growing the queues.

Memory is bounded: reports are built and written in batches of `--batch`
(default 2,000) inside one transaction per batch; nothing is kept between
batches except the last audit hash. On PostgreSQL each batch takes the audit
chain's advisory lock, so a live server may keep writing beside it.
"""

from __future__ import annotations

import random
import resource
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from stdnum import luhn

from samverkan.accounts.models import ApiClient, User
from samverkan.audit.models import AuditAction, AuditEntry
from samverkan.audit.services import _CHAIN_LOCK_KEY, GENESIS_HASH, compute_entry_hash
from samverkan.core.calendar import local_date
from samverkan.core.deadlines import preliminary_assessment_due, protection_assessment_due
from samverkan.intake.models import (
    ConcernReport,
    Escalation,
    EventKind,
    Feedback,
    Handover,
    InformationRequest,
    NotEligibleRecord,
    PreliminaryAssessment,
    PreliminaryDecision,
    ProtectionAssessment,
    ReportEvent,
    ReportStatus,
    SourceChannel,
)
from samverkan.intake.rules import STOCKHOLM_CODE, Reason
from samverkan.intake.snapshot import late_from
from samverkan.registry.models import Organisation, OrganisationKind, Unit

REPORT = "intake.ConcernReport"
FIRST_NAMES = ("Alex", "Kim", "Robin", "Sam", "Charlie", "Nour", "Elia", "Mika", "Love", "Ida")
LAST_NAMES = ("Berg", "Lind", "Ek", "Holm", "Sjö", "Strand", "Dahl", "Falk", "Nord", "Vik")
NARRATIVES = (
    "Påträffad sent på kvällen i sällskap med äldre personer kopplade till ett nätverk (fiktiv).",
    "Omhändertagen vid en kontroll i centrum; uppgifter om hot från ett rivaliserande nätverk.",
    "Anträffad i en lägenhet som används av ett kriminellt nätverk; förvarade narkotika.",
    "Misstänkt för att ha rekryterats till att utföra våldsuppdrag (fiktiv uppgift).",
)
RISKS = (
    "Uppgifter om hot mot barnet och familjen (fiktiv).",
    "Barnet uppges ha skulder till personer i nätverket (fiktiv).",
    "",
)


def demo_person_id(born: date, *, female: bool) -> str:
    """A Skatteverket test personnummer (238/239 series): never a real person."""
    body = f"{born:%y%m%d}{238 if female else 239}"
    return f"{born:%Y}{body[2:]}{luhn.calc_check_digit(body)}"


@dataclass
class Target:
    municipality: Organisation
    controller: Organisation
    unit: Unit | None


class Chain:
    """Appends audit entries to the hash chain in memory; written with each batch."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []
        self.last_hash = ""

    def start_batch(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        self.last_hash = last or GENESIS_HASH
        self.entries = []

    def add(
        self,
        *,
        at: datetime,
        action: str,
        record_id: Any,
        controller: str,
        user: User | None = None,
        client: ApiClient | None = None,
        record_type: str = REPORT,
        detail: dict[str, Any] | None = None,
    ) -> None:
        if client is not None:
            label, organisation = f"API: {client.name}", client.organisation.code
        elif user is not None:
            name = user.get_full_name()
            label = f"{name} ({user.username})" if name else user.username
            organisation = user.organisation.code if user.organisation else ""
        else:
            label, organisation = "system", ""
        values: dict[str, Any] = {
            "at": at,
            "actor_user_id": user.pk if user else None,
            "actor_client_id": client.pk if client else None,
            "actor_label": label,
            "actor_organisation": organisation,
            "action": action,
            "record_type": record_type,
            "record_id": str(record_id),
            "controller": controller,
            "reason": "",
            "detail": detail or {},
            "previous_hash": self.last_hash,
        }
        values["entry_hash"] = compute_entry_hash(values)
        self.last_hash = values["entry_hash"]
        self.entries.append(AuditEntry(**values))

    def write(self) -> int:
        # ids are assigned in list order by one multi-row INSERT per chunk, so id
        # order is chain order, as audit_verify walks it.
        AuditEntry.objects.bulk_create(self.entries, batch_size=1000)
        written = len(self.entries)
        self.entries = []
        return written


class Command(BaseCommand):
    help = "Bulk-load years of realistic history (benchmarks, issue 8). Run after setup_demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", type=int, required=True, help="eligible reports to add")
        parser.add_argument("--years", type=float, default=10.0, help="spread over this many years")
        parser.add_argument("--open", type=int, default=40, help="newest reports left open")
        parser.add_argument("--batch", type=int, default=2000, help="reports per transaction")
        parser.add_argument("--seed", type=int, default=8, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        started = clock.monotonic()
        self.rng = random.Random(options["seed"])  # noqa: S311 (fiction, not secrets)
        self.now = timezone.now()
        self._load_context()
        total, years, open_count, batch = (
            options["reports"],
            options["years"],
            options["open"],
            options["batch"],
        )
        if total < 0 or years <= 0 or batch <= 0:
            raise CommandError("--reports ≥ 0, --years > 0 and --batch > 0")
        open_count = min(open_count, total)
        closed = total - open_count
        # Closed history: from Y years ago to a week ago, in time order.
        span = timedelta(days=365.25 * years) - timedelta(days=7)
        first = self.now - timedelta(days=365.25 * years)
        rows = 0
        done = 0
        chain = Chain()
        while done < total:
            size = min(batch, total - done)
            with transaction.atomic():
                chain.start_batch()
                times: list[tuple[datetime, bool]] = []
                for i in range(done, done + size):
                    if i < closed:
                        at = first + span * ((i + self.rng.random()) / max(closed, 1))
                        times.append((at, False))
                    else:
                        k = i - closed  # open ones: the last two days
                        at = self.now - timedelta(hours=48) * (1 - (k + 0.5) / max(open_count, 1))
                        times.append((at, True))
                rows += self._batch(times, chain)
                rows += chain.write()
            done += size
            if options["verbosity"] >= 2 or (done // batch) % 25 == 0 or done == total:
                self.stdout.write(
                    f"{done}/{total} reports, {rows} rows, "
                    f"{clock.monotonic() - started:.0f} s, peak RSS {peak_rss_mb():.0f} MB"
                )
        rows += self._meetings_and_costs(total, years)
        # What an operator does after any bulk load: fresh planner statistics. Without
        # them SQLite picks the plain controller index over the partial open-reports
        # index for the receiving queue (a sort of all of an organisation's history).
        # PostgreSQL's autovacuum would get there too, later.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"generate_history: {total} reports, {rows} rows in "
            f"{clock.monotonic() - started:.1f} s; peak RSS {peak_rss_mb():.0f} MB"
        )

    # --- context ---------------------------------------------------------------------

    def _load_context(self) -> None:
        organisations = {
            o.code: o
            for o in Organisation.objects.filter(
                kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.DISTRICT]
            ).select_related("parent")
        }
        county = [o for c, o in organisations.items() if c.startswith("01") and len(c) == 4]
        if not county:
            raise CommandError("no demo municipalities: run `manage.py setup_demo` first")
        districts = [
            o
            for o in organisations.values()
            if o.kind == OrganisationKind.DISTRICT and o.parent and o.parent.code == STOCKHOLM_CODE
        ]
        units: dict[int, Unit] = {}
        for unit in Unit.objects.filter(kind="intake").prefetch_related("covers"):
            units.setdefault(unit.organisation_id, unit)
            for covered in unit.covers.all():
                units.setdefault(covered.pk, unit)
        self.targets = [
            Target(o, o, units.get(o.pk)) for o in county if o.code != STOCKHOLM_CODE
        ] + [Target(organisations[STOCKHOLM_CODE], d, units.get(d.pk)) for d in districts]
        self.county = county
        client = ApiClient.objects.select_related("organisation").filter(is_active=True).first()
        if client is None:
            raise CommandError("no API client: run `manage.py setup_demo` first")
        self.client = client
        self.roc = client.organisation
        users = list(User.objects.select_related("organisation").order_by("id"))
        self.hub = next((u for u in users if u.username == "socialjour"), users[0])
        self.receivers = [u for u in users if u.username in ("nacka", "solna", "farsta-mottagning")]
        self.receivers = self.receivers or users[:1]
        self.late_from = late_from()

    # --- one batch of reports -----------------------------------------------------------

    def _batch(self, times: list[tuple[datetime, bool]], chain: Chain) -> int:
        rng = self.rng
        reports: list[ConcernReport] = []
        stages: list[int] = []
        for at, is_open in times:
            target = rng.choice(self.targets)
            found = target.municipality if rng.random() < 0.7 else rng.choice(self.county)
            age = rng.randint(11, 17)
            born = local_date(at) - timedelta(days=365 * age + rng.randint(0, 360))
            wants = rng.random() < 0.5
            stage = rng.randint(0, 4) if is_open else 5
            reports.append(
                ConcernReport(
                    received_at=at,
                    routed_at=at,
                    source_channel=SourceChannel.POLICE_API,
                    api_client=self.client,
                    reporting_organisation=self.roc,
                    police_reference=f"HIST-{at:%Y%m%d%H%M%S%f}-{rng.randrange(10**6):06d}",
                    person_id=demo_person_id(born, female=rng.random() < 0.4),
                    birth_date=born,
                    found_in=found,
                    home_municipality=target.municipality,
                    home_district=target.controller
                    if target.controller.kind == OrganisationKind.DISTRICT
                    else None,
                    responsible_municipality=target.municipality,
                    controller=target.controller,
                    receiving_unit=target.unit,
                    reporting_officer_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    reporting_officer_unit="Polisen, Regionalt operativt center (ROC)",
                    reporting_officer_phone=f"08-465 004 {rng.randint(70, 79)}",
                    gang_related=True,
                    risk_information=rng.choice(RISKS),
                    narrative=rng.choice(NARRATIVES),
                    wants_feedback=wants,
                    eligible=True,
                    reasons=[],
                    status=ReportStatus.RECEIVED,
                    protection_assessment_due=protection_assessment_due(
                        at, late_from=self.late_from
                    ),
                    preliminary_assessment_due=preliminary_assessment_due(at),
                )
            )
            stages.append(stage)
        # Stage: 0 received, 1 handed over, 2 accepted, 3 protection, 4 preliminary, 5 closed.
        for report, stage in zip(reports, stages, strict=True):
            at = report.received_at
            report.handed_over_at = (
                at + timedelta(minutes=rng.randint(3, 40)) if stage >= 1 else None
            )
            if stage >= 1:
                report.status = ReportStatus.HANDED_OVER
            if stage >= 2:
                assert report.handed_over_at is not None
                report.accepted_at = report.handed_over_at + timedelta(minutes=rng.randint(1, 90))
                report.accepted_by = rng.choice(self.receivers)
                report.accepted_by_name = report.accepted_by.get_full_name()
                report.status = ReportStatus.ACCEPTED
            if stage >= 3:
                assert report.accepted_at is not None
                late = rng.random() < 0.08
                report.protection_assessed_at = report.protection_assessment_due + (
                    timedelta(hours=rng.randint(1, 30))
                    if late
                    else -timedelta(minutes=rng.randint(10, 600))
                )
                report.protection_assessed_at = max(
                    report.protection_assessed_at, report.accepted_at + timedelta(minutes=5)
                )
            if stage >= 4:
                late = rng.random() < 0.1
                report.preliminary_decided_on = report.preliminary_assessment_due + timedelta(
                    days=rng.randint(1, 10) if late else -rng.randint(0, 10)
                )
                report.preliminary_decided_on = max(
                    report.preliminary_decided_on, local_date(report.received_at)
                )
                if report.wants_feedback:
                    report.feedback_due = report.preliminary_decided_on + timedelta(days=14)
            if stage >= 5:
                assert report.preliminary_decided_on is not None
                if report.wants_feedback:
                    report.feedback_delivered_at = datetime.combine(
                        report.preliminary_decided_on + timedelta(days=rng.randint(1, 12)),
                        datetime.min.time(),
                        tzinfo=at.tzinfo,
                    ) + timedelta(hours=10)
                report.closed_at = max(
                    x
                    for x in (report.protection_assessed_at, report.feedback_delivered_at)
                    if x is not None
                )
        ConcernReport.objects.bulk_create(reports)
        rows = len(reports)

        handovers: list[Handover] = []
        events: list[ReportEvent] = []
        protections: list[ProtectionAssessment] = []
        preliminaries: list[PreliminaryAssessment] = []
        feedbacks: list[Feedback] = []
        requests: list[InformationRequest] = []
        escalated: list[tuple[ConcernReport, datetime]] = []
        client_label = f"API: {self.client.name}"

        def event(
            report: ConcernReport, kind: str, at: datetime, user: User | None, **d: Any
        ) -> None:
            events.append(
                ReportEvent(
                    report=report,
                    kind=kind,
                    at=at,
                    actor_user=user,
                    actor_client=None if user else self.client,
                    actor_label=(user.get_full_name() or user.username) if user else client_label,
                    detail=d,
                )
            )

        for report in reports:
            code = report.controller.code
            at = report.received_at
            unit_name = report.receiving_unit.name if report.receiving_unit else ""
            event(
                report, EventKind.RECEIVED, at, None, channel="police_api", receiving_unit=unit_name
            )
            chain.add(
                at=at,
                action=AuditAction.CREATE,
                record_id=report.pk,
                controller=code,
                client=self.client,
            )
            chain.add(
                at=at + timedelta(minutes=1),
                action=AuditAction.VIEW,
                record_id=report.pk,
                controller=code,
                user=self.hub,
            )
            handover = Handover(
                report=report,
                organisation=report.controller,
                receiving_unit=report.receiving_unit,
                started_at=at,
            )
            handovers.append(handover)
            if report.handed_over_at:
                event(report, EventKind.HANDED_OVER, report.handed_over_at, self.hub, via="system")
            if report.accepted_at and report.accepted_by:
                handover.outcome = Handover.Outcome.ACCEPTED
                handover.completed_at = report.accepted_at
                handover.via = Handover.Via.SYSTEM
                handover.accepted_by = report.accepted_by
                handover.receiver_name = report.accepted_by_name
                handover.recorded_by = report.accepted_by
                if report.accepted_at - at > timedelta(minutes=60) and rng.random() < 0.5:
                    escalated.append((report, at + timedelta(minutes=60)))
                event(
                    report, EventKind.ACCEPTED, report.accepted_at, report.accepted_by, via="system"
                )
                chain.add(
                    at=report.accepted_at,
                    action=AuditAction.HANDOVER,
                    record_id=report.pk,
                    controller=code,
                    user=report.accepted_by,
                    detail={"accepted": True, "via": "system"},
                )
            receiver = report.accepted_by or self.receivers[0]
            if report.protection_assessed_at:
                protections.append(
                    ProtectionAssessment(
                        report=report,
                        made_at=report.protection_assessed_at,
                        made_by=receiver,
                        immediate_protection_needed=rng.random() < 0.2,
                        recorded_at=report.protection_assessed_at,
                    )
                )
                event(
                    report, EventKind.PROTECTION_ASSESSED, report.protection_assessed_at, receiver
                )
                chain.add(
                    at=report.protection_assessed_at,
                    action=AuditAction.CHANGE,
                    record_id=report.pk,
                    controller=code,
                    user=receiver,
                )
            if report.preliminary_decided_on:
                decided = datetime.combine(
                    report.preliminary_decided_on, datetime.min.time(), tzinfo=at.tzinfo
                ) + timedelta(hours=14)
                decision = rng.choice(list(PreliminaryDecision))
                preliminaries.append(
                    PreliminaryAssessment(
                        report=report,
                        decision=decision,
                        decided_on=report.preliminary_decided_on,
                        decided_by=receiver,
                        recorded_at=decided,
                    )
                )
                event(report, EventKind.PRELIMINARY_ASSESSED, decided, receiver, decision=decision)
                chain.add(
                    at=decided,
                    action=AuditAction.CHANGE,
                    record_id=report.pk,
                    controller=code,
                    user=receiver,
                )
                if report.feedback_due:
                    feedbacks.append(
                        Feedback(
                            report=report,
                            decision_date=report.preliminary_decided_on,
                            due=report.feedback_due,
                            investigation_opened=decision
                            in (
                                PreliminaryDecision.INVESTIGATION_OPENED,
                                PreliminaryDecision.ALREADY_RUNNING,
                            ),
                            delivered_at=report.feedback_delivered_at,
                            delivered_by=receiver if report.feedback_delivered_at else None,
                        )
                    )
                    if report.feedback_delivered_at:
                        event(
                            report,
                            EventKind.FEEDBACK_DELIVERED,
                            report.feedback_delivered_at,
                            receiver,
                        )
            if report.accepted_at and rng.random() < 0.03:
                sent = report.accepted_at + timedelta(hours=2)
                requests.append(
                    InformationRequest(
                        report=report,
                        kind=InformationRequest.Kind.RISK_ASSESSMENT,
                        question="Finns en aktuell riskbedömning? (fiktiv)",
                        sent_at=sent,
                        sent_by=receiver,
                        to_organisation=self.roc,
                        answer="Ja, bifogas muntligen (fiktiv)." if report.closed_at else "",
                        answered_at=sent + timedelta(hours=20) if report.closed_at else None,
                        answered_by_client=self.client if report.closed_at else None,
                    )
                )
        Handover.objects.bulk_create(handovers)
        escalations = [
            Escalation(report=r, handover=h, at=at, notified=["mottagning@example.invalid"])
            for (r, at) in escalated
            for h in [next(h for h in handovers if h.report_id == r.pk)]
        ]
        for r, at in escalated:
            r.escalated_at = at
            event(r, EventKind.ESCALATED, at, None)
            chain.add(
                at=at, action=AuditAction.CHANGE, record_id=r.pk, controller=r.controller.code
            )
        if escalated:
            ConcernReport.objects.bulk_update([r for r, _ in escalated], ["escalated_at"])
        dependants: tuple[list[Any], ...] = (
            escalations,
            events,
            protections,
            preliminaries,
            feedbacks,
            requests,
        )
        for batch in dependants:
            if batch:
                type(batch[0]).objects.bulk_create(batch, batch_size=1000)
            rows += len(batch)
        rows += len(handovers)
        rows += self._not_eligible([t for t, _ in times])
        return rows

    def _not_eligible(self, times: list[datetime]) -> int:
        rng = self.rng
        records = []
        for at in times:
            if rng.random() >= 0.15:
                continue
            reasons = rng.choice(
                (
                    [Reason.NOT_GANG_RELATED],
                    [Reason.AGE_18_OR_OVER],
                    [Reason.NO_AGREEMENT_IN_FORCE],
                    [Reason.HOME_MUNICIPALITY_UNKNOWN],
                    [Reason.FOUND_OUTSIDE_COUNTY, Reason.NOT_GANG_RELATED],
                )
            )
            records.append(
                NotEligibleRecord(
                    decided_at=at + timedelta(minutes=rng.randint(1, 600)),
                    source_channel=SourceChannel.POLICE_API,
                    reasons=reasons,
                    found_in=rng.choice(self.county).code,
                    home_municipality=""
                    if Reason.HOME_MUNICIPALITY_UNKNOWN in reasons
                    else rng.choice(self.county).code,
                    age_band=NotEligibleRecord.AgeBand.ADULT
                    if Reason.AGE_18_OR_OVER in reasons
                    else NotEligibleRecord.AgeBand.AGE_15_17,
                    api_client=self.client,
                )
            )
        NotEligibleRecord.objects.bulk_create(records)
        return len(records)

    # --- defector ledgers and meetings ----------------------------------------------------

    def _meetings_and_costs(self, reports: int, years: float) -> int:
        from samverkan.collaboration.models import Attendance, Forum, Meeting
        from samverkan.defectors.models import CostEntry, PlannedIntervention

        rng = self.rng
        rows = 0
        first = local_date(self.now) - timedelta(days=int(365.25 * years))
        days = max(int(365.25 * years) - 7, 1)
        # Defector ledgers: one cost per 100 reports on the demo assignments' interventions.
        interventions = list(
            PlannedIntervention.objects.select_related("plan__assignment__home_municipality")
        )
        if interventions:
            costs: list[CostEntry] = []
            for _ in range(reports // 100):
                intervention = rng.choice(interventions)
                assignment = intervention.plan.assignment
                day = first + timedelta(days=rng.randrange(days))
                costs.append(
                    CostEntry(
                        assignment=assignment,
                        intervention=intervention,
                        booked_by_side="home",
                        booked_by_organisation=assignment.home_municipality,
                        incurred_on=day,
                        period=f"{day.year}-H{1 if day.month <= 6 else 2}",
                        amount=Decimal(rng.randint(5, 400) * 100),
                        note="Historik (generate_history)",
                        booked_at=datetime.combine(
                            day, datetime.min.time(), tzinfo=self.now.tzinfo
                        ),
                    )
                )
                if len(costs) >= 2000:
                    CostEntry.objects.bulk_create(costs)
                    rows += len(costs)
                    costs = []
            CostEntry.objects.bulk_create(costs)
            rows += len(costs)
        # Meetings: one per 500 reports, spread over the forums, with three functions attending.
        forums = list(Forum.objects.all())
        if forums:
            recorder = self.hub
            for start in range(0, reports // 500, 1000):
                count = min(1000, reports // 500 - start)
                meetings = [
                    Meeting(
                        forum=rng.choice(forums),
                        held_on=first + timedelta(days=rng.randrange(days)),
                        status="held",
                        agenda="1. Lägesbild\n2. Uppföljning av beslut",
                        minutes="Genomgång av läget (generate_history).",
                        recorded_by=recorder,
                    )
                    for _ in range(count)
                ]
                Meeting.objects.bulk_create(meetings)
                attendance = [
                    Attendance(meeting=m, function=f)
                    for m in meetings
                    for f in ("unit_manager", "social_worker", "police_youth_coordinator")
                ]
                Attendance.objects.bulk_create(attendance, ignore_conflicts=True)
                rows += len(meetings) + len(attendance)
        return rows


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
