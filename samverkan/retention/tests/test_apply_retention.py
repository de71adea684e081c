"""The retention job with the clock moved: before the limit nothing changes, after it the
personal data is gone, the follow-up figures are the same, and a second run changes nothing.

Data: the follow-up app's hand-computed December 2026 data set (six reports, R5 part of a
child investigation — its feedback says an investigation was opened; the child was born
2010-01-01), its defector data set, a joint talk and an anonymous consultation.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from samverkan.audit.models import AuditEntry
from samverkan.audit.verify import verify_chain
from samverkan.collaboration.models import AnonymousConsultation, SeriousTalk
from samverkan.core.calendar import STOCKHOLM
from samverkan.defectors.models import Assignment, AssignmentEvent, CostEntry
from samverkan.followup.defector_selectors import defector_dashboard
from samverkan.followup.periods import period_containing
from samverkan.followup.selectors import Scope, single_entry_dashboard
from samverkan.followup.tables import Dashboard
from samverkan.followup.tests import dataset
from samverkan.followup.tests.test_defectors_and_command import defector_data  # noqa: F401
from samverkan.intake.models import (
    Clarification,
    ConcernReport,
    Escalation,
    HandoverAttempt,
    InformationRequest,
    ReportEvent,
)
from samverkan.retention.models import Anonymisation

DECEMBER = period_containing("month", date(2026, 12, 1))
YEAR_2026 = period_containing("year", date(2026, 6, 1))


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=STOCKHOLM)


def figures(board: Dashboard) -> dict[str, dict[str, list[Any]]]:
    return {
        table.slug: {row.key: [cell.value for cell in row.cells] for row in table.all_rows()}
        for table in board.tables
    }


def statistics() -> dict[str, Any]:
    return {
        "single_entry": figures(
            single_entry_dashboard(period=DECEMBER, scope=Scope(), suppress=False, now=dataset.NOW)
        ),
        "defectors": figures(
            defector_dashboard(period=DECEMBER, scope=Scope(), suppress=False, now=dataset.NOW)
        ),
        "defectors_year": figures(
            defector_dashboard(period=YEAR_2026, scope=Scope(), suppress=False, now=dataset.NOW)
        ),
        "talks": SeriousTalk.objects.count(),
        "consultations": list(
            AnonymousConsultation.objects.values_list("held_on", "question_type", "report_followed")
        ),
    }


def personal_data() -> dict[str, Any]:
    """Every field the job may blank, per record, to compare runs exactly."""
    return {
        "reports": list(
            ConcernReport.objects.order_by("pk").values_list(
                "pk",
                "person_id",
                "birth_date",
                "reporting_officer_name",
                "narrative",
                "police_reference",
            )
        ),
        "escalations": list(Escalation.objects.order_by("pk").values_list("notified")),
        "events": list(ReportEvent.objects.order_by("pk").values_list("pk", "detail")),
        "attempts": list(HandoverAttempt.objects.order_by("pk").values_list("person_reached")),
        "requests": list(InformationRequest.objects.order_by("pk").values_list("question")),
        "clarifications": list(Clarification.objects.order_by("pk").values_list("contact")),
        "assignments": list(
            Assignment.objects.order_by("pk").values_list("person_alias", "summary")
        ),
        "assignment_events": list(AssignmentEvent.objects.order_by("pk").values_list("reason")),
        "costs": list(CostEntry.objects.order_by("pk").values_list("note")),
        "talks": list(SeriousTalk.objects.values_list("person_id", "police_officer")),
        "consultations": list(AnonymousConsultation.objects.values_list("question", "advice")),
    }


@pytest.fixture
def world(
    registry_demo: dict[str, Any],
    hub_worker: Any,
    collaboration_coordinator: Any,
    defector_data: dict[str, Any],  # noqa: F811
) -> dict[str, Any]:
    reports = dataset.build(registry_demo, hub_worker)
    r1 = reports["R1"]
    ReportEvent.objects.create(
        report=r1,
        kind="accepted",
        at=r1.received_at + timedelta(minutes=30),
        actor_label="Nacka",
        detail={"via": "phone", "receiver": "Dora Mottagare"},
    )
    Clarification.objects.create(
        report=r1,
        at=r1.received_at + timedelta(minutes=2),
        by=hub_worker,
        contact="Inspektör Testsson",
        added="Barnet heter Astrid Testsson",
    )
    ConcernReport.objects.filter(pk=r1.pk).update(police_reference="K-123456-26")
    Escalation.objects.filter(report=reports["R2"]).update(notified=["jour@nacka.example"])
    Assignment.objects.filter(reference="A5").update(summary="Bakgrund med namn")
    CostEntry.objects.filter(assignment__reference="A5").update(note="Resa för Erik Exempel")
    a5 = Assignment.objects.get(reference="A5")
    AssignmentEvent.objects.create(
        assignment=a5,
        at=noon(date(2025, 6, 1)),
        to_state="ended",
        side="home",
        actor_label="Avhopp",
        reason="Flyttade till Erik Exempels adress",
    )
    farsta = registry_demo["0180-farsta"]
    police = registry_demo["polisen-roc"]
    SeriousTalk.objects.create(
        district=farsta,
        police_unit=police,
        held_on=date(2026, 12, 2),
        person_id="201001012383",
        social_worker="Sara Socialsekreterare",
        police_officer="Per Polis",
        follow_up="Ny träff med Astrid",
        recorded_by=collaboration_coordinator,
    )
    with time_machine.travel(noon(date(2026, 12, 3)), tick=False):
        AnonymousConsultation.objects.create(
            district=farsta,
            police_unit=police,
            held_on=date(2026, 12, 3),
            question_type="whether_to_report",
            question="En pojke, 15 år",
            advice="Anmäl",
            recorded_by=collaboration_coordinator,
        )
    return {"reports": reports}


def run(day: date, *args: str) -> str:
    out = StringIO()
    with time_machine.travel(noon(day), tick=False):
        call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_retention_with_the_clock_moved(world: dict[str, Any]) -> None:
    stats_before = statistics()
    data_before = personal_data()

    # Before any limit: the oldest last entry is 10 January 2026 (A4, A5 created).
    run(date(2031, 1, 9))
    assert personal_data() == data_before
    assert not Anonymisation.objects.exists()

    # Defector assignments, the joint talk and the consultation are due by 13 December
    # 2031; no report is: R1's last entry is 14 December 2026 (preliminary assessment).
    run(date(2031, 12, 13))
    assert personal_data()["reports"] == data_before["reports"]
    assert not Anonymisation.objects.filter(record_type="intake.ConcernReport").exists()
    assert set(Assignment.objects.values_list("person_alias", flat=True)) == {"Gallrat"}
    assert Assignment.objects.get(reference="A5").summary == ""
    assert AssignmentEvent.objects.get(assignment__reference="A5").reason == ""
    assert CostEntry.objects.count() == 4
    assert set(CostEntry.objects.values_list("note", flat=True)) == {""}
    talk = SeriousTalk.objects.get()
    assert (talk.person_id, talk.police_officer, talk.follow_up) == ("", "", "")
    consultation = AnonymousConsultation.objects.get()
    assert (consultation.question, consultation.advice) == ("", "")
    assert statistics() == stats_before
    data_before = personal_data()

    # A dry run after the limit says what would go and changes nothing.
    output = run(date(2032, 6, 1), "--dry-run")
    assert "intake.ConcernReport: granskade 6, skulle gallras 5" in output
    assert personal_data() == data_before

    # After the limit: personal data gone, except R5 (child investigation, until 2040).
    run(date(2032, 6, 1))
    reports = world["reports"]
    for name in ("R1", "R2", "R3", "R4", "R6"):
        report = ConcernReport.objects.get(pk=reports[name].pk)
        assert report.person_id == ""
        assert report.narrative == "" and report.reporting_officer_name == ""
        assert report.birth_date == date(2010, 1, 1) and report.birth_date_estimated
        assert report.police_reference == ""
    assert Escalation.objects.get(report=reports["R2"]).notified == []
    r5 = ConcernReport.objects.get(pk=reports["R5"].pk)
    assert r5.person_id == dataset.PERSON_IDS[4 % 3] and r5.narrative
    assert not HandoverAttempt.objects.filter(handover__report__in=[reports["R1"]]).exclude(
        person_reached=""
    )
    assert set(InformationRequest.objects.values_list("question", flat=True)) == {""}
    assert Clarification.objects.get().contact == "" and Clarification.objects.get().added == ""
    event = ReportEvent.objects.get(report=reports["R1"])
    assert event.detail == {"via": "phone"}

    # Statistics unchanged.
    assert statistics() == stats_before

    # Audited: one entry per anonymised record plus the runs; the chain verifies.
    anonymised = AuditEntry.objects.filter(action="anonymise").exclude(record_type="retention.Run")
    assert anonymised.count() == Anonymisation.objects.count() == 5 + 5 + 1 + 1
    assert anonymised.filter(record_type="intake.ConcernReport", controller="0182").count() == 3
    assert AuditEntry.objects.filter(record_type="retention.Run").count() == 4
    assert verify_chain().ok

    # A re-run changes nothing.
    data_after = personal_data()
    count = Anonymisation.objects.count()
    output = run(date(2032, 6, 2))
    assert "intake.ConcernReport: granskade 1, gallrade 0" in output
    assert personal_data() == data_after
    assert Anonymisation.objects.count() == count
    assert statistics() == stats_before

    # The child of R5 turns 30 on 1 January 2040.
    run(date(2039, 12, 31))
    assert ConcernReport.objects.get(pk=reports["R5"].pk).person_id
    run(date(2040, 1, 1))
    assert ConcernReport.objects.get(pk=reports["R5"].pk).person_id == ""
    assert Anonymisation.objects.get(
        record_type="intake.ConcernReport", record_id=reports["R5"].pk
    ).rule == ("child_investigation_until_30")
    assert statistics() == stats_before
    assert verify_chain().ok


def test_today_option_and_small_batches(world: dict[str, Any]) -> None:
    out = StringIO()
    call_command("apply_retention", "--today", "2032-06-01", "--batch-size", "2", stdout=out)
    assert "intake.ConcernReport: granskade 6, gallrade 5" in out.getvalue()
    assert Anonymisation.objects.filter(record_type="intake.ConcernReport").count() == 5


def test_bad_today_is_refused(db: None) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("apply_retention", "--today", "1 juni")


def test_task_runs_the_job_and_is_idempotent(world: dict[str, Any], settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from samverkan.retention.tasks import apply_retention

    with time_machine.travel(noon(date(2032, 6, 1)), tick=False):
        first = apply_retention.enqueue()
        second = apply_retention.enqueue()
    assert first.return_value == 5 + 5 + 1 + 1
    assert second.return_value == 0


def test_enqueue_from_the_command(db: None, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = StringIO()
    call_command("apply_retention", "--enqueue", stdout=out)
    assert "köad:" in out.getvalue()
