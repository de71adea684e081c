"""A small known data set (December 2026) whose figures are computed by hand in the tests.

Local times (Europe/Stockholm, CET = UTC+1 in December):

====  =====================  ============  =======  ======  ==========  ===========  ==========
 no   received               responsible   attempt  accept  protection  preliminary  feedback
====  =====================  ============  =======  ======  ==========  ===========  ==========
 R1   Mon  7 Dec 08:15       0182 Nacka    +5       +30     +120 ok     14 Dec ok
 R2   Mon  7 Dec 09:40       0182 Nacka    +15,+25  +10     +60 ok      28 Dec late
 R3   Sat 12 Dec 22:05       0184 Solna    +1       +50     – (due)     – (due)
 R4   Thu 24 Dec 14:00 (eve) 0184 Solna    +9       +20     +240 ok*
 R5   Thu 24 Dec 23:30 (eve) 0180-farsta   +3       +40     – (due)     – (due)      4 Jan ok
 R6   Thu 31 Dec 07:00 (eve) 0182 Nacka    –        +60     – (due)     8 Jan ok     11 Jan late
====  =====================  ============  =======  ======  ==========  ===========  ==========

(* R4's protection assessment was due 4 hours after receipt and was made at exactly 4 hours.)
R2 was escalated once. Information requests: R1 answered after 90 minutes, R3 unanswered.
Not eligible: NE1 Mon 7 Dec 08:50 (age, home 0182), NE2 Thu 24 Dec 10:00 (not gang
related + no agreement, home 1480), NE3 Sun 20 Dec 03:10 (home unknown).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from samverkan.core.calendar import STOCKHOLM
from samverkan.intake.models import (
    ConcernReport,
    Escalation,
    Feedback,
    Handover,
    HandoverAttempt,
    InformationRequest,
    NotEligibleRecord,
    ReportStatus,
)
from samverkan.intake.rules import Reason

NAMES = ["Astrid Testsson", "Bertil Provare", "Cecilia Exempel"]
PERSON_IDS = ["201001012383", "201102022396", "201203032387"]
NOW = datetime(2027, 1, 20, 12, 0, tzinfo=STOCKHOLM)


def local(day: int, hour: int, minute: int, *, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def make_report(
    orgs: dict[str, Any],
    *,
    received: datetime,
    responsible: str,
    controller: str | None = None,
    number: int = 0,
    protection_due_hours: int = 24,
    **fields: Any,
) -> ConcernReport:
    controller_org = orgs[controller or responsible]
    return ConcernReport.objects.create(
        received_at=received,
        routed_at=received,
        person_id=PERSON_IDS[number % len(PERSON_IDS)],
        birth_date=date(2010, 1, 1),
        found_in=orgs[responsible],
        home_municipality=orgs[responsible],
        responsible_municipality=orgs[responsible],
        controller=controller_org,
        reporting_officer_name=NAMES[number % len(NAMES)],
        narrative=f"Händelse med {NAMES[number % len(NAMES)]}",
        protection_assessment_due=received + timedelta(hours=protection_due_hours),
        preliminary_assessment_due=received.date() + timedelta(days=14),
        status=ReportStatus.ACCEPTED if fields.get("accepted_at") else ReportStatus.RECEIVED,
        **fields,
    )


def _attempts(report: ConcernReport, user: Any, minutes: list[int]) -> None:
    handover = Handover.objects.create(
        report=report, organisation=report.controller, started_at=report.received_at
    )
    for m in minutes:
        HandoverAttempt.objects.create(
            handover=handover,
            at=report.received_at + timedelta(minutes=m),
            number_called="08-465 004 01",
            reached=True,
            person_reached=NAMES[0],
            by=user,
        )


def build(orgs: dict[str, Any], user: Any) -> dict[str, ConcernReport]:
    """Create the data set; `orgs` is the registry_demo dict, `user` any user (attempts' by)."""
    spec = [
        # name, received, responsible, controller, attempts, accept, protection, prelim
        ("R1", local(7, 8, 15), "0182", None, [5], 30, 120, date(2026, 12, 14)),
        ("R2", local(7, 9, 40), "0182", None, [25, 15], 10, 60, date(2026, 12, 28)),
        ("R3", local(12, 22, 5), "0184", None, [1], 50, None, None),
        ("R4", local(24, 14, 0), "0184", None, [9], 20, 240, None),
        ("R5", local(24, 23, 30), "0180", "0180-farsta", [3], 40, None, None),
        ("R6", local(31, 7, 0), "0182", None, [], 60, None, date(2027, 1, 8)),
    ]
    reports: dict[str, ConcernReport] = {}
    for number, (name, received, responsible, controller, attempts, accept, prot, pre) in enumerate(
        spec
    ):
        accepted_at = received + timedelta(minutes=accept)
        report = make_report(
            orgs,
            received=received,
            responsible=responsible,
            controller=controller,
            number=number,
            protection_due_hours=4 if name == "R4" else 24,
            handed_over_at=accepted_at,
            accepted_at=accepted_at,
            protection_assessed_at=received + timedelta(minutes=prot) if prot else None,
            preliminary_decided_on=pre,
        )
        if attempts:
            _attempts(report, user, attempts)
        reports[name] = report
    Escalation.objects.create(report=reports["R2"], at=local(7, 10, 40))
    InformationRequest.objects.create(
        report=reports["R1"],
        kind=InformationRequest.Kind.RISK_ASSESSMENT,
        question="Finns en riskbedömning?",
        sent_at=local(8, 10, 0),
        sent_by=user,
        to_organisation=orgs["polisen-roc"],
        answer="Ja.",
        answered_at=local(8, 11, 30),
    )
    InformationRequest.objects.create(
        report=reports["R3"],
        kind=InformationRequest.Kind.OTHER,
        question="Fråga",
        sent_at=local(14, 10, 0),
        sent_by=user,
        to_organisation=orgs["polisen-roc"],
    )
    Feedback.objects.create(
        report=reports["R5"],
        decision_date=date(2026, 12, 28),
        due=date(2027, 1, 4),
        investigation_opened=True,
        delivered_at=local(4, 23, 0, month=1, year=2027),
    )
    Feedback.objects.create(
        report=reports["R6"],
        decision_date=date(2027, 1, 3),
        due=date(2027, 1, 10),
        investigation_opened=False,
        delivered_at=local(11, 9, 0, month=1, year=2027),
    )
    for decided, reasons, home in (
        (local(7, 8, 50), [Reason.AGE_18_OR_OVER], "0182"),
        (local(24, 10, 0), [Reason.NOT_GANG_RELATED, Reason.NO_AGREEMENT_IN_FORCE], "1480"),
        (local(20, 3, 10), [Reason.HOME_MUNICIPALITY_UNKNOWN], ""),
    ):
        NotEligibleRecord.objects.create(
            decided_at=decided,
            source_channel="police_api",
            reasons=reasons,
            found_in="0180",
            home_municipality=home,
            age_band=NotEligibleRecord.AgeBand.AGE_15_17,
        )
    return reports
