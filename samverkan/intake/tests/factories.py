"""Helpers to register reports in tests through the real service."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from samverkan.intake import services
from samverkan.intake.school_reports import services as school_services
from samverkan.intake.services import ReportInput, report_register
from samverkan.intake.tests.testdata import NACKA_CHILD_FACTS, at

NACKA_CHILD = ReportInput(
    **NACKA_CHILD_FACTS,
    reporting_officer_name="Polis Testsson",
    reporting_officer_unit="ROC",
    reporting_officer_phone="08-465 004 99",
    risk_information="Hot från rivaliserande nätverk.",
    narrative="Påträffad vid tunnelbanan.",
    wants_feedback=True,
)


def register(actor, received_at: str = "2026-11-24T02:10", **overrides):
    return report_register(
        actor=actor, data=replace(NACKA_CHILD, **overrides), received_at=at(received_at)
    )


def protect(receiver, report, made_at: str = "2026-11-24T03:00", *, immediate: bool = False):
    """Record the immediate protection assessment of an accepted report, as its receiver."""
    return services.protection_assessment_record(
        actor=receiver,
        report_id=report.pk,
        made_at=at(made_at),
        immediate_protection_needed=immediate,
    )


def decide_preliminary(receiver, report, decided_on: date, decision: str = "not_opened", **extra):
    """Record the preliminary assessment of an accepted report, as its receiver: by default
    that no investigation is opened."""
    return services.preliminary_assessment_record(
        actor=receiver, report_id=report.pk, decision=decision, decided_on=decided_on, **extra
    )


def assess(
    receiver,
    report,
    *,
    decision: str,
    decided_on: date,
    immediate: bool = False,
    made_at: str = "2026-11-24T03:00",
) -> None:
    """Record both assessments of an accepted report, as its receiver."""
    protect(receiver, report, made_at, immediate=immediate)
    decide_preliminary(receiver, report, decided_on, decision)


def file_school_report(principal, received_at=None, **overrides):
    """A school's report about a Farsta pupil, whose school does not know about gangs."""
    fields = {
        "person_id": "201205152380",
        "birth_date": None,
        "registered_municipality": "0180",
        "registered_district": "Farsta",
        "narrative": "Eleven har varit frånvarande i tre veckor.",
        "reporter_name": "Karin Björkman",
        "reporter_title": "Rektor",
        "reporter_phone": "070-174 06 42",
        "gang_risk": "unknown",
        **overrides,
    }
    return school_services.school_report_file(
        actor=principal, data=school_services.SchoolReportInput(**fields), received_at=received_at
    )


def hand_over(hub_worker, report, *, number: str = "08-718 80 00") -> None:
    """The hub reaches the receiving side on the phone: the report is handed over."""
    services.handover_attempt_record(
        actor=hub_worker,
        report_id=report.pk,
        number_called=number,
        reached=True,
        person_reached="Mona Mottag",
    )
