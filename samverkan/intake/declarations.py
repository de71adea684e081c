"""What intake declares for mergers and retention (issue 16, see core/crossing.py).

A merger or split must never strand a child: every report not yet closed in
Samverkan moves — its controller, responsible municipality and district, so
that it is in the successor's receiving queue and its receivers can open it —
and so does a handover still waiting to be accepted and a question to the
police not yet answered. Closed reports and finished handovers keep the
organisation they had (history).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet

from samverkan.core import crossing
from samverkan.intake import models as m
from samverkan.registry.change_rules import UNITS
from samverkan.retention import rules

REPORT = "intake.ConcernReport"

# --- mergers and splits: reports go with the units that receive them ------------------

crossing.register_organisation_records(
    crossing.OrganisationRecords(
        model=REPORT,
        fields=(
            "controller",
            "responsible_municipality",
            "home_district",
            "reporting_organisation",
        ),
        category=UNITS,
        label=lambda report: f"Orosanmälan nr {report.pk} ({report.get_status_display()})",
        is_open=lambda report, _day: report.closed_at is None,
        open_only=Q(closed_at__isnull=True),
        detail={
            "controller": "personuppgiftsansvarig och mottagare",
            "responsible_municipality": "ansvarig kommun",
            "home_district": "stadsdelsområde",
            "reporting_organisation": "anmälare",
        },
    ),
    crossing.OrganisationRecords(
        model="intake.Handover",
        plural="överlämningar som väntar på mottagande",
        fields=("organisation",),
        category=UNITS,
        label=lambda handover: f"Överlämning av orosanmälan nr {handover.report_id}",
        is_open=lambda handover, _day: handover.outcome == m.Handover.Outcome.PENDING,
        open_only=Q(outcome=m.Handover.Outcome.PENDING),
        detail={"organisation": "väntar på mottagande hos"},
    ),
    crossing.OrganisationRecords(
        model="intake.InformationRequest",
        plural="obesvarade informationsbegäranden",
        fields=("to_organisation",),
        category=UNITS,
        label=lambda request: f"Informationsbegäran om orosanmälan nr {request.report_id}",
        is_open=lambda request, _day: request.answered_at is None,
        open_only=Q(answered_at__isnull=True),
        detail={"to_organisation": "väntar på svar från"},
    ),
)

crossing.register_stays(
    crossing.StaysWithOrganisation(
        REPORT,
        ("found_in", "home_municipality"),
        "Where the child was found and lived, as the police reported it: facts of the report "
        "(repeat detection and statistics map former organisations to today's).",
    ),
)

# --- retention (SoL 16 kap. 1, 2 a §§) -------------------------------------------------

# ReportEvent.detail keys that carry names or free text (see intake.services._event).
PERSONAL_EVENT_KEYS = ("contact", "person", "receiver", "reason", "notified")
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
            m.PreliminaryAssessment.objects.filter(
                report=report,
                decision__in=[
                    m.PreliminaryDecision.INVESTIGATION_OPENED,
                    m.PreliminaryDecision.ALREADY_RUNNING,
                ],
            )
        )
    ) | Q(Exists(m.Feedback.objects.filter(report=report, investigation_opened=True)))
    requests = m.InformationRequest.objects.filter(report=report)
    return (
        m.ConcernReport.objects.filter(
            received_at__lt=crossing.start_of(rules.earliest_last_entry_due(today))
        )
        .select_related("controller")
        .annotate(
            child_investigation=models.ExpressionWrapper(
                investigation, output_field=models.BooleanField()
            ),
            last_event=crossing.newest(m.ReportEvent.objects.filter(report=report), "at"),
            last_clarification=crossing.newest(m.Clarification.objects.filter(report=report), "at"),
            last_attempt=crossing.newest(
                m.HandoverAttempt.objects.filter(handover__report=report), "at"
            ),
            last_handover=crossing.newest(m.Handover.objects.filter(report=report), "completed_at"),
            last_request_sent=crossing.newest(requests, "sent_at"),
            last_request_answered=crossing.newest(requests, "answered_at"),
            protection_recorded=models.F("protection_assessment__recorded_at"),
            preliminary_recorded=models.F("preliminary_assessment__recorded_at"),
            feedback_recorded=models.F("feedback__delivered_at"),
        )
    )


def _report_evaluate(report: Any) -> tuple[date, date, str]:
    last = crossing.latest(
        getattr(report, name) for name in (*_REPORT_DATES, *_REPORT_RELATED_DATES)
    )
    end, rule = rules.concern_report_retention_end(
        last_entry=last,
        birth_date=report.birth_date,
        child_investigation=bool(report.child_investigation),
    )
    return last, end, rule


def _remove_personal_event_details(report: Any) -> None:
    for event in m.ReportEvent.objects.filter(report_id=report.pk).only("detail"):
        detail = event.detail if isinstance(event.detail, dict) else {}
        if any(key in detail for key in PERSONAL_EVENT_KEYS):
            kept = {k: v for k, v in detail.items() if k not in PERSONAL_EVENT_KEYS}
            m.ReportEvent.objects.filter(pk=event.pk).update(detail=kept)


crossing.register_retention(
    crossing.Retention(
        label=REPORT,
        counts_from=(
            "the last entry on the report and everything recorded on it (events, handovers, "
            "calls, assessments, questions, feedback); kept until the child turns 30 if part "
            "of a child investigation"
        ),
        candidates=_report_candidates,
        evaluate=_report_evaluate,
        replacements=lambda report: {
            "birth_date": rules.coarse_birth_date(report.birth_date),
            "birth_date_estimated": True,
        },
        also=_remove_personal_event_details,
        controller=lambda report: report.controller.code,
        order=10,
    ),
)

_ON_REPORT = ("report",)
crossing.register_personal_data(
    crossing.PersonalData(
        model=REPORT,
        retention=REPORT,
        identity=("person_id",),
        names=("reporting_officer_name", "reporting_officer_phone", "accepted_by_name"),
        references=("police_reference",),
        free_text=("risk_information", "narrative"),
        not_personal={"reporting_officer_unit": "a police unit"},
    ),
    crossing.PersonalData(
        model="intake.Clarification",
        retention=REPORT,
        of=_ON_REPORT,
        free_text=("contact", "added"),
    ),
    crossing.PersonalData(
        model="intake.Handover",
        retention=REPORT,
        of=_ON_REPORT,
        names=("receiver_name",),
        free_text=("rejection_reason",),
    ),
    crossing.PersonalData(
        model="intake.HandoverAttempt",
        retention=REPORT,
        of=("handover__report",),
        names=("person_reached",),
        free_text=("note",),
    ),
    crossing.PersonalData(
        model="intake.PreliminaryAssessment",
        retention=REPORT,
        of=_ON_REPORT,
        free_text=("extension_reason",),
    ),
    # Whom the hub notified of an unaccepted handover: the contact persons' addresses.
    crossing.PersonalData(
        model="intake.Escalation", retention=REPORT, of=_ON_REPORT, names=("notified",)
    ),
    crossing.PersonalData(
        model="intake.InformationRequest",
        retention=REPORT,
        of=_ON_REPORT,
        free_text=("question", "answer"),
    ),
)
