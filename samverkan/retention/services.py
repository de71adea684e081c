"""The retention job: anonymise personal data whose retention has ended, keep the statistics.

`retention_apply(today=..., dry_run=...)` walks each record type in batches of
primary keys; for each candidate it computes the last entry and applies the
pure rule (`rules.py`). A due record is anonymised in place — identity
numbers, names typed as text and every free-text field are blanked, the birth
date is cut to 1 January of its year — while everything the follow-up
figures use stays: the rows themselves, timestamps, dates, organisations
(municipality, district, controller), channels, eligibility reasons,
decisions, states, amounts. Each anonymised record gets an `Anonymisation`
row (the idempotency marker) and an `anonymise` audit entry in the same
transaction; each run ends with one audit entry summing it up.

Users (staff) referenced by foreign key stay: they are the accountability
trail, and the access log names them anyway. Audit entries are never deleted
or changed (append-only by trigger); see docs/decisions/0005-retention.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record
from samverkan.collaboration.models import AnonymousConsultation, SeriousTalk
from samverkan.core.calendar import STOCKHOLM, local_date
from samverkan.defectors import models as defector_models
from samverkan.intake import models as intake_models
from samverkan.retention import rules
from samverkan.retention.models import Anonymisation

ANONYMISED_ALIAS = "Gallrat"
LAW = "SoL (2025:400) 16 kap. 1, 2 a §§"
# ReportEvent.detail keys that carry names or free text (see intake.services._event).
PERSONAL_EVENT_KEYS = ("contact", "person", "receiver", "reason", "notified")


@dataclass
class TypeResult:
    examined: int = 0
    due: int = 0
    anonymised: int = 0


@dataclass
class RetentionResult:
    today: date
    dry_run: bool
    by_type: dict[str, TypeResult] = field(default_factory=dict)

    @property
    def anonymised(self) -> int:
        return sum(r.anonymised for r in self.by_type.values())

    @property
    def due(self) -> int:
        return sum(r.due for r in self.by_type.values())


def _as_date(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return local_date(value)
    return value


def _latest(values: Iterable[date | datetime | None]) -> date:
    days = [d for d in (_as_date(v) for v in values) if d is not None]
    return max(days)


def _newest(queryset: QuerySet[Any], field_name: str) -> Subquery:
    """The newest non-null `field_name` among the related rows (a correlated subquery)."""
    return Subquery(
        queryset.filter(**{f"{field_name}__isnull": False})
        .order_by(f"-{field_name}")
        .values(field_name)[:1]
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM)


# --- record types ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordType:
    label: str
    candidates: Callable[[date], QuerySet[Any]]  # narrowed by date, not yet anonymised
    evaluate: Callable[[Any], tuple[date, date, rules.Rule]]  # last entry, end, rule
    anonymise: Callable[[Any], None]
    controller: Callable[[Any], str]


def _not_anonymised(label: str) -> Q:
    return ~Q(Exists(Anonymisation.objects.filter(record_type=label, record_id=OuterRef("pk"))))


# Concern reports --------------------------------------------------------------------

REPORT = "intake.ConcernReport"
_REPORT_DATES = (
    "received_at",
    "routed_at",
    "handed_over_at",
    "accepted_at",
    "escalated_at",
    "rejected_at",
    "protection_assessed_at",
    "preliminary_decided_on",
    "feedback_delivered_at",
    "closed_at",
)
_REPORT_RELATED_DATES = (
    "last_event",
    "last_clarification",
    "last_attempt",
    "last_handover",
    "last_request_sent",
    "last_request_answered",
    "protection_recorded",
    "preliminary_recorded",
    "feedback_recorded",
)


def _report_candidates(today: date) -> QuerySet[Any]:
    report = OuterRef("pk")
    investigation = Q(
        Exists(
            intake_models.PreliminaryAssessment.objects.filter(
                report=report,
                decision__in=[
                    intake_models.PreliminaryDecision.INVESTIGATION_OPENED,
                    intake_models.PreliminaryDecision.ALREADY_RUNNING,
                ],
            )
        )
    ) | Q(Exists(intake_models.Feedback.objects.filter(report=report, investigation_opened=True)))
    requests = intake_models.InformationRequest.objects.filter(report=report)
    return (
        intake_models.ConcernReport.objects.filter(
            received_at__lt=_start_of(rules.earliest_last_entry_due(today))
        )
        .filter(_not_anonymised(REPORT))
        .select_related("controller")
        .annotate(
            child_investigation=models.ExpressionWrapper(
                investigation, output_field=models.BooleanField()
            ),
            last_event=_newest(intake_models.ReportEvent.objects.filter(report=report), "at"),
            last_clarification=_newest(
                intake_models.Clarification.objects.filter(report=report), "at"
            ),
            last_attempt=_newest(
                intake_models.HandoverAttempt.objects.filter(handover__report=report), "at"
            ),
            last_handover=_newest(
                intake_models.Handover.objects.filter(report=report), "completed_at"
            ),
            last_request_sent=_newest(requests, "sent_at"),
            last_request_answered=_newest(requests, "answered_at"),
            protection_recorded=models.F("protection_assessment__recorded_at"),
            preliminary_recorded=models.F("preliminary_assessment__recorded_at"),
            feedback_recorded=models.F("feedback__delivered_at"),
        )
    )


def _report_evaluate(report: Any) -> tuple[date, date, rules.Rule]:
    last = _latest(getattr(report, name) for name in (*_REPORT_DATES, *_REPORT_RELATED_DATES))
    end, rule = rules.concern_report_retention_end(
        last_entry=last,
        birth_date=report.birth_date,
        child_investigation=bool(report.child_investigation),
    )
    return last, end, rule


def _report_anonymise(report: Any) -> None:
    intake_models.ConcernReport.objects.filter(pk=report.pk).update(
        person_id="",
        birth_date=rules.coarse_birth_date(report.birth_date),
        birth_date_estimated=True,
        police_reference="",
        reporting_officer_name="",
        reporting_officer_phone="",
        risk_information="",
        narrative="",
        accepted_by_name="",
    )
    for event in intake_models.ReportEvent.objects.filter(report_id=report.pk).only("detail"):
        detail = event.detail if isinstance(event.detail, dict) else {}
        if any(key in detail for key in PERSONAL_EVENT_KEYS):
            kept = {k: v for k, v in detail.items() if k not in PERSONAL_EVENT_KEYS}
            intake_models.ReportEvent.objects.filter(pk=event.pk).update(detail=kept)
    intake_models.Clarification.objects.filter(report_id=report.pk).update(contact="", added="")
    intake_models.Handover.objects.filter(report_id=report.pk).update(
        receiver_name="", rejection_reason=""
    )
    intake_models.HandoverAttempt.objects.filter(handover__report_id=report.pk).update(
        person_reached="", note=""
    )
    intake_models.Escalation.objects.filter(report_id=report.pk).update(notified=[])
    intake_models.PreliminaryAssessment.objects.filter(report_id=report.pk).update(
        extension_reason=""
    )
    intake_models.InformationRequest.objects.filter(report_id=report.pk).update(
        question="", answer=""
    )


# Defector assignments ---------------------------------------------------------------

ASSIGNMENT = "defectors.Assignment"
_ASSIGNMENT_DATES = (
    "created_at",
    "started_on",
    "ended_on",
    "last_event",
    "last_precondition",
    "last_threat",
    "last_task_created",
    "last_task_closed",
    "last_consultation",
    "last_followup",
    "last_cost",
    "plan_decided",
)


def _assignment_candidates(today: date) -> QuerySet[Any]:
    assignment = OuterRef("pk")
    d = defector_models
    return (
        d.Assignment.objects.filter(created_at__lt=_start_of(rules.earliest_last_entry_due(today)))
        .filter(_not_anonymised(ASSIGNMENT))
        .select_related("home_municipality")
        .annotate(
            last_event=_newest(d.AssignmentEvent.objects.filter(assignment=assignment), "at"),
            last_precondition=_newest(
                d.PreconditionConfirmation.objects.filter(assignment=assignment), "recorded_at"
            ),
            last_threat=_newest(
                d.ThreatAssessment.objects.filter(assignment=assignment), "recorded_at"
            ),
            last_task_created=_newest(
                d.ChildrenTask.objects.filter(assignment=assignment), "created_at"
            ),
            last_task_closed=_newest(
                d.ChildrenTask.objects.filter(assignment=assignment), "closed_at"
            ),
            last_consultation=_newest(
                d.Consultation.objects.filter(assignment=assignment), "recorded_at"
            ),
            last_followup=_newest(d.FollowUp.objects.filter(assignment=assignment), "recorded_at"),
            last_cost=_newest(d.CostEntry.objects.filter(assignment=assignment), "booked_at"),
            plan_decided=models.F("plan__decided_on"),
        )
    )


def _assignment_evaluate(assignment: Any) -> tuple[date, date, rules.Rule]:
    last = _latest(getattr(assignment, name) for name in _ASSIGNMENT_DATES)
    end, rule = rules.defector_assignment_retention_end(last_entry=last)
    return last, end, rule


def _assignment_anonymise(assignment: Any) -> None:
    d = defector_models
    pk = assignment.pk
    d.Assignment.objects.filter(pk=pk).update(
        person_alias=ANONYMISED_ALIAS, summary="", state_reason=""
    )
    d.AssignmentEvent.objects.filter(assignment_id=pk).update(reason="")
    d.PreconditionConfirmation.objects.filter(assignment_id=pk).update(note="")
    d.ThreatAssessment.objects.filter(assignment_id=pk).update(note="")
    d.ChildrenTask.objects.filter(assignment_id=pk).update(description="", resolution="")
    d.Consultation.objects.filter(assignment_id=pk).update(participants="", notes="", decisions="")
    d.ImplementationPlan.objects.filter(assignment_id=pk).update(goals="")
    d.PlannedIntervention.objects.filter(plan__assignment_id=pk).update(
        description="", decline_reason=""
    )
    d.CostEntry.objects.filter(assignment_id=pk).update(note="")
    d.FollowUp.objects.filter(assignment_id=pk).update(
        participants="", intervention_status="", motivation="", threat="", next_step=""
    )


# Joint talks (allvarssamtal) --------------------------------------------------------

SERIOUS_TALK = "collaboration.SeriousTalk"


def _talk_candidates(today: date) -> QuerySet[Any]:
    return (
        SeriousTalk.objects.filter(held_on__lt=rules.earliest_last_entry_due(today))
        .filter(_not_anonymised(SERIOUS_TALK))
        .select_related("district")
    )


def _talk_evaluate(talk: Any) -> tuple[date, date, rules.Rule]:
    end, rule = rules.serious_talk_retention_end(held_on=talk.held_on)
    return talk.held_on, end, rule


def _talk_anonymise(talk: Any) -> None:
    SeriousTalk.objects.filter(pk=talk.pk).update(
        person_id="", social_worker="", police_officer="", follow_up=""
    )


# Anonymous consultations ------------------------------------------------------------

CONSULTATION = "collaboration.AnonymousConsultation"


def _consultation_candidates(today: date) -> QuerySet[Any]:
    earliest = rules.earliest_last_entry_due(today)
    return (
        AnonymousConsultation.objects.filter(held_on__lt=earliest)
        .filter(Q(report_filed_on__isnull=True) | Q(report_filed_on__lt=earliest))
        .filter(_not_anonymised(CONSULTATION))
        .select_related("district")
    )


def _consultation_evaluate(consultation: Any) -> tuple[date, date, rules.Rule]:
    last = _latest([consultation.held_on, consultation.report_filed_on, consultation.recorded_at])
    end, rule = rules.anonymous_consultation_retention_end(last_entry=last)
    return last, end, rule


def _consultation_anonymise(consultation: Any) -> None:
    AnonymousConsultation.objects.filter(pk=consultation.pk).update(question="", advice="")


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        REPORT, _report_candidates, _report_evaluate, _report_anonymise, lambda r: r.controller.code
    ),
    RecordType(
        ASSIGNMENT,
        _assignment_candidates,
        _assignment_evaluate,
        _assignment_anonymise,
        lambda a: a.home_municipality.code,
    ),
    RecordType(
        SERIOUS_TALK, _talk_candidates, _talk_evaluate, _talk_anonymise, lambda t: t.district.code
    ),
    RecordType(
        CONSULTATION,
        _consultation_candidates,
        _consultation_evaluate,
        _consultation_anonymise,
        lambda c: c.district.code,
    ),
)


# --- the job -----------------------------------------------------------------------


def _anonymise_batch(kind: RecordType, due: list[tuple[Any, date, date, rules.Rule]]) -> int:
    """Anonymise one batch in one transaction; 0 if another run got there first."""
    now = timezone.now()
    try:
        with transaction.atomic():
            Anonymisation.objects.bulk_create(
                [
                    Anonymisation(
                        record_type=kind.label,
                        record_id=record.pk,
                        rule=rule.value,
                        last_entry=last,
                        retention_end=end,
                        anonymised_at=now,
                    )
                    for record, last, end, rule in due
                ]
            )
            for record, last, end, rule in due:
                kind.anonymise(record)
                audit_record(
                    actor=None,
                    action=AuditAction.ANONYMISE,
                    record_type=kind.label,
                    record_id=record.pk,
                    controller=kind.controller(record),
                    reason=f"Gallring enligt {LAW}",
                    detail={"rule": rule.value, "last_entry": last, "retention_end": end},
                )
    except IntegrityError:
        # A run beside this one anonymised part of the batch: it is done, skip it here.
        return 0
    return len(due)


def retention_apply(
    *, today: date, dry_run: bool = False, batch_size: int = 500
) -> RetentionResult:
    """Anonymise every record whose retention ended on or before `today` (idempotent)."""
    result = RetentionResult(today=today, dry_run=dry_run)
    for kind in RECORD_TYPES:
        counts = result.by_type.setdefault(kind.label, TypeResult())
        last_pk = 0
        while True:
            batch = list(kind.candidates(today).filter(pk__gt=last_pk).order_by("pk")[:batch_size])
            if not batch:
                break
            last_pk = batch[-1].pk
            counts.examined += len(batch)
            due = []
            for record in batch:
                last, end, rule = kind.evaluate(record)
                if rules.is_due(end, today):
                    due.append((record, last, end, rule))
            counts.due += len(due)
            if due and not dry_run:
                counts.anonymised += _anonymise_batch(kind, due)
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.VIEW if dry_run else AuditAction.ANONYMISE,
            record_type="retention.Run",
            record_id=today.isoformat(),
            reason=("Gallring, provkörning" if dry_run else "Gallring") + f" ({LAW})",
            detail={
                "dry_run": dry_run,
                "today": today,
                "by_type": {
                    label: {"examined": c.examined, "due": c.due, "anonymised": c.anonymised}
                    for label, c in result.by_type.items()
                },
            },
        )
    return result
