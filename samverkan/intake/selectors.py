"""Every read of concern reports a user or a police system may see (SPEC §4, §7).

* The hub sees a report only until it is accepted (then: not found).
* Receivers see the reports their organisation (or a district below it) is the
  controller of — a Solna receiver never sees a Nacka report.
* The police see status only, never content or assessments.
* Reads of personal data (`report_detail`) are audited; queue rows carry no
  identity (age in years, municipality, deadlines, state), so polling a queue
  does not flood the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Count, Max, Q
from django.utils import timezone

from samverkan.accounts.models import ApiClient
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of
from samverkan.core.calendar import api_instant, local_date
from samverkan.core.identity import InvalidPersonId, age_on, parse_person_id
from samverkan.core.live import version_tag
from samverkan.intake import access
from samverkan.intake.access import Actor
from samverkan.intake.models import (
    ConcernReport,
    InformationRequest,
    NotEligibleRecord,
    ReportQuerySet,
    ReportStatus,
)
from samverkan.intake.rules import overdue
from samverkan.intake.services import ReportNotFound, escalation_threshold
from samverkan.registry.models import ContactPerson, Organisation, OrganisationKind
from samverkan.registry.rules import NumberToCall
from samverkan.registry.selectors import numbers_to_call_for, phone_for

QUEUE_LIMIT = 200


# --- queues -------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    id: int
    received_at: datetime
    child_age: int
    municipality: str  # responsible municipality name
    district: str  # Stockholm district name, or ""
    controller_code: str
    receiving_unit: str
    receiving_phone: str
    status: str
    status_label: str
    handed_over_at: datetime | None
    accepted_at: datetime | None
    protection_assessment_due: datetime
    preliminary_assessment_due: date
    escalated: bool  # not accepted within HANDOVER_ESCALATION_MINUTES: red on hub screens
    rejected: bool  # back at the hub, to be routed again
    repeat: bool  # same child, same home municipality within 30 days
    also_via_api: bool  # taken by phone, then sent by the police system too
    protection_overdue: bool
    preliminary_overdue: bool
    feedback_due: date | None
    feedback_overdue: bool
    from_school: bool = False
    reporter: str = ""  # the reporting school's name (receiving queue only)
    receipt_number: str = ""  # the school's receipt number, read out on the phone
    protection_done: bool = False
    preliminary_done: bool = False


def is_escalated(report: ConcernReport, now: datetime) -> bool:
    """A handover still waiting after HANDOVER_ESCALATION_MINUTES (or escalated by the job)."""
    return (
        report.accepted_at is None
        and report.rejected_at is None
        and (report.escalated_at is not None or report.routed_at <= escalation_threshold(now))
    )


def _row(report: ConcernReport, now: datetime, *, with_reporter: bool = False) -> QueueRow:
    unit = report.receiving_unit
    district = (
        report.controller.name if report.controller_id != report.responsible_municipality_id else ""
    )
    return QueueRow(
        id=report.pk,
        received_at=report.received_at,
        child_age=age_on(report.birth_date, local_date(report.received_at)),
        municipality=report.responsible_municipality.name,
        district=district,
        controller_code=report.controller.code,
        receiving_unit=unit.name if unit else "",
        receiving_phone=phone_for(unit) if unit else "",
        status=report.status,
        status_label=str(ReportStatus(report.status).label),
        handed_over_at=report.handed_over_at,
        accepted_at=report.accepted_at,
        protection_assessment_due=report.protection_assessment_due,
        preliminary_assessment_due=report.preliminary_assessment_due,
        escalated=is_escalated(report, now),
        rejected=report.rejected_at is not None,
        repeat=report.repeat_of_id is not None,
        also_via_api=report.also_via_api_at is not None,
        protection_overdue=overdue(
            report.protection_assessment_due,
            done=report.protection_assessed_at is not None,
            now=now,
        ),
        preliminary_overdue=overdue(
            report.preliminary_assessment_due,
            done=report.preliminary_decided_on is not None,
            now=now,
        ),
        feedback_due=report.feedback_due,
        feedback_overdue=report.feedback_due is not None
        and overdue(report.feedback_due, done=report.feedback_delivered_at is not None, now=now),
        from_school=report.from_school,
        reporter=(
            report.reporting_organisation.name
            if with_reporter and report.reporting_organisation is not None
            else ""
        ),
        receipt_number=report.receipt_number,
        protection_done=report.protection_assessed_at is not None,
        preliminary_done=report.preliminary_decided_on is not None,
    )


def _queue_queryset(
    reports: ReportQuerySet | None = None, *, with_reporter: bool = False
) -> ReportQuerySet:
    """`with_reporter`: also the reporting organisation's name (the receiver's queue shows
    which school reported; the hub's queue, polled every few seconds, does not join it)."""
    related = ("reporting_organisation",) if with_reporter else ()
    reporter_fields = ("reporting_organisation__name",) if with_reporter else ()
    return (
        (reports if reports is not None else ConcernReport.objects.all())
        .select_related("controller", "responsible_municipality", "receiving_unit", *related)
        .prefetch_related("receiving_unit__phone_lines")
        .only(
            *reporter_fields,
            "id",
            "received_at",
            "birth_date",
            "status",
            "routed_at",
            "escalated_at",
            "source_channel",
            "receipt_number",
            "handed_over_at",
            "accepted_at",
            "rejected_at",
            "repeat_of_id",
            "also_via_api_at",
            *ConcernReport.DEADLINE_FIELDS,
            "controller__code",
            "controller__name",
            "responsible_municipality__name",
            "receiving_unit__name",
            "receiving_unit__kind",
        )
    )


def hub_queue(*, user: Any, now: datetime | None = None) -> list[QueueRow]:
    """The hub's live queue: open (not accepted) reports, oldest first."""
    if not access.is_hub(user):
        return []
    now = now or timezone.now()
    reports = _queue_queryset(access.hub_reports()).order_by("received_at")
    return [_row(r, now) for r in reports[:QUEUE_LIMIT]]


def hub_alarm_count(*, user: Any, now: datetime | None = None) -> int:
    """How many handovers are overdue (the red alarm on every hub screen)."""
    if not access.is_hub(user):
        return 0
    now = now or timezone.now()
    return (
        access.hub_reports()
        .filter(rejected_at__isnull=True, routed_at__lte=escalation_threshold(now))
        .count()
    )


def receiving_queue(*, user: Any, now: datetime | None = None) -> list[QueueRow]:
    """The receiving organisation's queue: incoming handovers first, then open assessments."""
    if not access.is_receiver(user):
        return []
    now = now or timezone.now()
    reports = (
        _queue_queryset(access.received_by(user), with_reporter=True)
        .filter(closed_at__isnull=True, rejected_at__isnull=True)
        .order_by("received_at")
    )
    rows = [_row(r, now, with_reporter=True) for r in reports[:QUEUE_LIMIT]]
    # Handovers to take first, escalated ones before the others; then the open work.
    return sorted(rows, key=lambda r: (r.accepted_at is not None, not r.escalated, r.received_at))


@dataclass(frozen=True)
class UnreadAnswer:
    """A police answer the receiving organisation has not read: no personal data."""

    request_id: int
    report_id: int
    kind_label: str
    answered_at: datetime
    report_closed: bool


def unread_answers(*, user: Any) -> list[UnreadAnswer]:
    """ROC's answers to the user's organisation's questions not yet read by anyone of it,
    newest first — also on reports closed since (the answer may change the assessment)."""
    if not access.is_receiver(user):
        return []
    requests = (
        InformationRequest.objects.filter(
            report__in=access.received_by(user),
            answered_at__isnull=False,
            answer_read_at__isnull=True,
        )
        .select_related("report")
        .only("id", "kind", "answered_at", "report__id", "report__closed_at")
        .order_by("-answered_at")[:QUEUE_LIMIT]
    )
    return [
        UnreadAnswer(
            request_id=r.pk,
            report_id=r.report_id,
            kind_label=r.get_kind_display(),
            answered_at=r.answered_at,
            report_closed=r.report.closed_at is not None,
        )
        for r in requests
        if r.answered_at is not None
    ]


# --- live screens (issue 18.12, core/live.py) ---------------------------------------------


def _live_figures(reports: ReportQuerySet, *, alarm: Q) -> tuple[object, ...]:
    """What changes when a row of `reports` appears, changes or leaves, in one query.

    Every state change writes a `ReportEvent`, so the last event id of the open
    reports moves with any change to them, and their count with one that leaves;
    `alarm` counts rows that turn red by the clock alone (no event marks that).
    """
    figures = reports.aggregate(
        open=Count("id", distinct=True),
        last_event=Max("events__id"),
        alarm=Count("id", filter=alarm, distinct=True),
    )
    return (figures["open"], figures["last_event"], figures["alarm"])


def hub_live_version(*, user: Any, now: datetime | None = None) -> str:
    """The version of the hub's queue and alarm (opaque; changes when either would)."""
    if not access.is_hub(user):
        return version_tag(("none",))
    now = now or timezone.now()
    alarm = Q(rejected_at__isnull=True, routed_at__lte=escalation_threshold(now))
    return version_tag(("hub", *_live_figures(access.hub_reports(), alarm=alarm)))


def inbox_live_version(*, user: Any, now: datetime | None = None) -> str:
    """The version of a receiver's inbox: its open reports, and deadlines passing by."""
    if not access.is_receiver(user):
        return version_tag(("none",))
    now = now or timezone.now()
    mine = access.received_by(user).filter(closed_at__isnull=True)
    overdue = Q(protection_assessed_at__isnull=True, protection_assessment_due__lt=now)
    # Date deadlines pass at midnight: the day is part of the version.
    return version_tag(("inbox", local_date(now), *_live_figures(mine, alarm=overdue)))


@dataclass(frozen=True)
class OverdueSummary:
    protection: int
    preliminary: int
    feedback: int

    @property
    def total(self) -> int:
        return self.protection + self.preliminary + self.feedback


def overdue_for_user(*, user: Any, now: datetime | None = None) -> OverdueSummary:
    """Counts for the start page: assessments and feedback past their deadline."""
    if not access.is_receiver(user):
        return OverdueSummary(0, 0, 0)
    now = now or timezone.now()
    today = local_date(now)
    mine = access.received_by(user).filter(closed_at__isnull=True)
    return OverdueSummary(
        protection=mine.filter(
            protection_assessed_at__isnull=True, protection_assessment_due__lt=now
        ).count(),
        preliminary=mine.filter(
            preliminary_decided_on__isnull=True, preliminary_assessment_due__lt=today
        ).count(),
        feedback=mine.filter(feedback_due__lt=today, feedback_delivered_at__isnull=True).count(),
    )


# --- detail ----------------------------------------------------------------------------


def report_detail(*, user: Any, report_id: int, reason: str = "") -> ConcernReport:
    """One report with its history, for a user allowed to see it; the read is audited.

    Raises `ReportNotFound` (a 404 in views) when the user may not see it —
    e.g. the hub after acceptance, or another municipality's receiver.
    """
    report = (
        access.visible_to(user)
        .select_related(
            "controller",
            "responsible_municipality",
            "home_municipality",
            "home_district",
            "found_in",
            "receiving_unit",
            "accepted_by",
            "repeat_of",
            "reporting_organisation",
        )
        .prefetch_related(
            "events",
            "clarifications",
            "handovers__attempts",
            "information_requests__answer_read_by",
            "escalations",
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise ReportNotFound()
    audit_record_of(
        report,
        actor=user,
        action=AuditAction.VIEW,
        controller=report.controller.code,
        reason=reason,
    )
    return report


@dataclass(frozen=True)
class HandoverContacts:
    """Whom the hub calls: the numbers, who answers now first, and the contact persons."""

    numbers: tuple[NumberToCall, ...]
    contact_persons: list[ContactPerson]


def handover_contacts(report: ConcernReport, *, now: datetime | None = None) -> HandoverContacts:
    """The numbers of the units taking reports for the report's controller — the unit it
    was routed to, the intake unit, the out-of-hours service — in the order of who
    answers `now` (`registry.rules.numbers_to_call`), and the contact persons in
    escalation order."""
    organisations = {report.controller_id, report.responsible_municipality_id}
    persons = list(
        ContactPerson.objects.filter(organisation_id__in=organisations).order_by(
            "escalation_order", "name"
        )
    )
    numbers = numbers_to_call_for(
        report.controller, now or timezone.now(), first=report.receiving_unit
    )
    return HandoverContacts(numbers=numbers, contact_persons=persons)


def repeat_reports(*, user: Any, report: ConcernReport) -> list[ConcernReport]:
    """Earlier reports about the same child for the same home municipality within 30 days
    that `user` may see (shown to the receiving side)."""
    if not report.person_id or report.home_municipality_id is None:
        return []
    return list(
        access.visible_to(user)
        .filter(
            person_id=report.person_id,
            home_municipality_id=report.home_municipality_id,
            received_at__gte=report.received_at - timedelta(days=30),
            received_at__lte=report.received_at,
        )
        .exclude(pk=report.pk)
        .order_by("-received_at")
        .only("id", "received_at", "status")
    )


# --- the police: status only -------------------------------------------------------


@dataclass(frozen=True)
class ReportStatusView:
    """What the police may see about a report: status and times, never content."""

    id: str
    status: str  # received, handed_over, accepted, not_eligible
    police_reference: str | None  # None: not covered, nothing about it kept
    received_at: datetime
    handed_over_at: datetime | None
    accepted_at: datetime | None
    reasons: list[str]
    wants_feedback: bool
    feedback: dict[str, Any] | None  # {"investigation_opened", "decided_on", "delivered_at"}

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "police_reference": self.police_reference,
            "received_at": api_instant(self.received_at),
            "handed_over_at": api_instant(self.handed_over_at) if self.handed_over_at else None,
            "accepted_at": api_instant(self.accepted_at) if self.accepted_at else None,
            "reasons": self.reasons,
            "feedback": self.feedback,
        }


def _status_of_report(report: ConcernReport) -> ReportStatusView:
    feedback = None
    if report.wants_feedback and report.feedback_delivered_at is not None:
        given = report.feedback  # type: ignore[attr-defined]
        feedback = {
            "investigation_opened": given.investigation_opened,
            "decided_on": given.decision_date.isoformat(),
            "delivered_at": api_instant(report.feedback_delivered_at),
        }
    return ReportStatusView(
        id=str(report.public_id),
        status=report.status,
        police_reference=report.police_reference,
        received_at=report.received_at,
        handed_over_at=report.handed_over_at,
        accepted_at=report.accepted_at,
        reasons=[],
        wants_feedback=report.wants_feedback,
        feedback=feedback,
    )


def _status_of_record(record: NotEligibleRecord) -> ReportStatusView:
    return ReportStatusView(
        id=str(record.public_id),
        status="not_eligible",
        police_reference=None,
        received_at=record.decided_at,
        handed_over_at=None,
        accepted_at=None,
        reasons=list(record.reasons),
        wants_feedback=False,
        feedback=None,
    )


def _parse_uuid(value: str | UUID) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError as error:
        raise ReportNotFound() from error


_STATUS_FIELDS = (
    "public_id",
    "status",
    "police_reference",
    "received_at",
    "handed_over_at",
    "accepted_at",
    "wants_feedback",
    "feedback_delivered_at",
)


def report_status_for_client(*, client: ApiClient, report_id: str | UUID) -> ReportStatusView:
    """Status of a report the API client posted; another client's report is not found."""
    public_id = _parse_uuid(report_id)
    report = (
        ConcernReport.objects.filter(public_id=public_id, api_client=client)
        .select_related("feedback", "controller")
        .only(*_STATUS_FIELDS, "feedback", "controller__code")
        .first()
    )
    if report is not None:
        return _disclosed_status(client, report)
    record = NotEligibleRecord.objects.filter(public_id=public_id, api_client=client).first()
    if record is not None:
        return _status_of_record(record)
    raise ReportNotFound()


def report_statuses_for_police(*, user: Any, limit: int = 100) -> list[ReportStatusView]:
    """The ROC status page: the organisation's reports, newest first (status only)."""
    reports = (
        access.reported_by(user)
        .select_related("feedback")
        .only(*_STATUS_FIELDS, "feedback")
        .order_by("-received_at")[:limit]
    )
    return [_status_of_report(r) for r in reports]


def report_status_for_police(*, user: Any, report_id: str | UUID) -> ReportStatusView:
    public_id = _parse_uuid(report_id)
    report = (
        access.reported_by(user)
        .filter(public_id=public_id)
        .select_related("feedback", "controller")
        .only(*_STATUS_FIELDS, "feedback", "controller__code")
        .first()
    )
    if report is None:
        raise ReportNotFound()
    return _disclosed_status(user, report)


def _disclosed_status(actor: Actor, report: ConcernReport) -> ReportStatusView:
    """A report's status as the police read it, logged like any other disclosure."""
    view = _status_of_report(report)
    shown = ["Status och tider för anmälan"]
    if view.feedback is not None:
        shown.append("Återkoppling: om utredning inleds, och beslutsdatum")
    audit_record_of(
        report,
        actor=actor,
        action=AuditAction.DISCLOSE,
        controller=report.controller.code,
        reason="Polisens statusfråga",
        detail={"shown": shown, "to": [_actor_organisation_name(actor)]},
    )
    return view


def _actor_organisation_name(actor: Actor) -> str:
    organisation = getattr(actor, "organisation", None)
    return organisation.name if organisation is not None else "okänd mottagare"


def information_requests_for_police(
    *, user: Any, open_only: bool = True
) -> list[InformationRequest]:
    """Information requests addressed to the user's police organisation; the read is audited."""
    if not access.is_police_operator(user):
        return []
    return _audited_requests(user, open_only=open_only)


def information_requests_for_client(*, client: ApiClient) -> list[InformationRequest]:
    """Open information requests to the API client's police organisation; audited."""
    return _audited_requests(client, open_only=True)


def _audited_requests(actor: Actor, *, open_only: bool) -> list[InformationRequest]:
    queryset = access.information_requests_to(actor).select_related("report", "report__controller")
    if open_only:
        queryset = queryset.filter(answered_at__isnull=True)
    requests = list(queryset.order_by("sent_at")[:QUEUE_LIMIT])
    for request in requests:
        audit_record_of(
            request, actor=actor, action=AuditAction.VIEW, controller=request.report.controller.code
        )
    return requests


# --- helpers for the hub's registration page (htmx, while typing) ---------------------


def municipality_search(query: str, *, limit: int = 10) -> list[Organisation]:
    """Municipalities (and Stockholm districts) whose code or name starts with/contains `query`."""
    text = query.strip()
    if not text:
        return []
    queryset = Organisation.objects.filter(
        kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.DISTRICT]
    )
    if text.isdigit():
        queryset = queryset.filter(code__startswith=text)
    else:
        queryset = queryset.filter(name__icontains=text)
    return list(queryset.order_by("code")[:limit])


def person_id_feedback(value: str, *, at: datetime | None = None) -> str:
    """ "" when `value` is a valid identity number on the date of `at`, else a Swedish message."""
    if not value.strip():
        return ""
    try:
        parse_person_id(value, on=local_date(at or timezone.now()))
    except InvalidPersonId as error:
        return error.message
    return ""
