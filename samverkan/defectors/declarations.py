"""What defectors declares for mergers and retention (issue 16, see core/crossing.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import OuterRef, QuerySet

from samverkan.core import crossing, documents
from samverkan.defectors import access
from samverkan.defectors import models as d
from samverkan.defectors.rules import State
from samverkan.registry.change_rules import DEFECTORS
from samverkan.retention import rules

ASSIGNMENT = "defectors.Assignment"
VOUCHER = "defectors.CostEntry"
BOOKKEEPING_LAW = "Bokföringslagen (1999:1078) 7 kap. 2 §"

# --- mergers and splits ---------------------------------------------------------------

ASSIGNMENT_FIELDS = {
    "home_municipality": "hemkommun",
    "receiving_municipality": "mottagande kommun",
    "home_handler": "handläggs hos hemkommunen av",
    "receiving_handler": "handläggs hos mottagande kommun av",
}
_CLOSED = {State.ENDED.value, State.DECLINED.value}

crossing.register_organisation_records(
    crossing.OrganisationRecords(
        model=ASSIGNMENT,
        plural="avhopparuppdrag",
        fields=tuple(ASSIGNMENT_FIELDS),
        category=DEFECTORS,
        label=lambda assignment: f"Avhopparuppdrag {assignment.reference}",
        is_open=lambda assignment, _day: assignment.state not in _CLOSED,
        detail=ASSIGNMENT_FIELDS,
        # An assignment between two merging municipalities keeps one of them.
        parties=("home_municipality", "receiving_municipality"),
    ),
)

crossing.register_stays(
    crossing.StaysWithOrganisation(
        "defectors.HandlingRule",
        ("municipality", "central_organisation"),
        "A municipality's own decision on how it handles defectors; a successor decides anew.",
    ),
    crossing.StaysWithOrganisation(
        "defectors.PreconditionConfirmation",
        ("police_unit",),
        "Who confirmed a precondition then: a fact of the assignment's history.",
    ),
    crossing.StaysWithOrganisation(
        "defectors.ThreatAssessment",
        ("police_unit",),
        "Who assessed the threat then: a fact of the assignment's history.",
    ),
    crossing.StaysWithOrganisation(
        "defectors.CostEntry",
        ("booked_by_organisation",),
        "Bookkeeping: a booked cost names the organisation that booked it and never changes.",
    ),
    crossing.StaysWithOrganisation(
        "defectors.Reconciliation",
        ("party_a", "party_b", "payer"),
        "Bookkeeping: a reconciliation between two parties for a closed period never changes.",
    ),
    crossing.StaysWithOrganisation(
        "defectors.EvaluationLesson", ("party",), "Which party learned what: history."
    ),
)

# --- retention: assignments (SoL 16 kap. 1 §) ---------------------------------------

# What is recorded on an assignment, as annotation -> (model, date field): the newest such
# date of each counts towards the last entry, with the assignment's own dates.
_RECORDED_ON_ASSIGNMENT: dict[str, tuple[type[models.Model], str]] = {
    "last_event": (d.AssignmentEvent, "at"),
    "last_precondition": (d.PreconditionConfirmation, "recorded_at"),
    "last_threat": (d.ThreatAssessment, "recorded_at"),
    "last_task_created": (d.ChildrenTask, "created_at"),
    "last_task_closed": (d.ChildrenTask, "closed_at"),
    "last_consultation": (d.Consultation, "recorded_at"),
    "last_followup": (d.FollowUp, "recorded_at"),
    "last_cost": (d.CostEntry, "booked_at"),
}
_ASSIGNMENT_DATES = (
    "created_at",
    "started_on",
    "ended_on",
    *_RECORDED_ON_ASSIGNMENT,
    "plan_decided",
)


def _assignment_candidates(today: date) -> QuerySet[Any]:
    assignment = OuterRef("pk")
    newest_recorded = {
        name: crossing.newest(model._default_manager.filter(assignment=assignment), field_name)
        for name, (model, field_name) in _RECORDED_ON_ASSIGNMENT.items()
    }
    return (
        d.Assignment.objects.filter(
            created_at__lt=crossing.start_of(rules.earliest_last_entry_due(today))
        )
        .select_related("home_municipality")
        .annotate(**newest_recorded, plan_decided=models.F("plan__decided_on"))
    )


def _assignment_evaluate(assignment: Any) -> tuple[date, date, str]:
    last = crossing.latest(getattr(assignment, name) for name in _ASSIGNMENT_DATES)
    end, rule = rules.defector_assignment_retention_end(last_entry=last)
    return last, end, rule


# --- retention: vouchers (Bokföringslagen 7 kap. 2 §) ------------------------------


def _voucher_candidates(today: date) -> QuerySet[Any]:
    return (
        d.CostEntry.objects.exclude(document="")
        .filter(incurred_on__lt=rules.earliest_financial_year_due(today))
        .select_related("booked_by_organisation")
    )


def _voucher_evaluate(cost: Any) -> tuple[date, date, str]:
    end, rule = rules.voucher_retention_end(booked_on=cost.incurred_on)
    return cost.incurred_on, end, rule


crossing.register_retention(
    crossing.Retention(
        label=ASSIGNMENT,
        counts_from="the last entry on the assignment and everything recorded on it",
        candidates=_assignment_candidates,
        evaluate=_assignment_evaluate,
        replacements=lambda _assignment: {"person_alias": crossing.ANONYMISED_NAME},
        controller=lambda assignment: assignment.home_municipality.code,
        order=20,
    ),
    crossing.Retention(
        label=VOUCHER,
        counts_from="the end of the financial (calendar) year in which the cost was incurred",
        candidates=_voucher_candidates,
        evaluate=_voucher_evaluate,
        controller=lambda cost: cost.booked_by_organisation.code,
        law=BOOKKEEPING_LAW,
        order=25,
    ),
)

_ON_ASSIGNMENT = ("assignment",)
crossing.register_personal_data(
    crossing.PersonalData(
        model=ASSIGNMENT,
        retention=ASSIGNMENT,
        names=("person_alias",),
        free_text=("summary", "state_reason"),
    ),
    crossing.PersonalData(
        model="defectors.AssignmentEvent",
        retention=ASSIGNMENT,
        of=_ON_ASSIGNMENT,
        free_text=("reason",),
    ),
    crossing.PersonalData(
        model="defectors.PreconditionConfirmation",
        retention=ASSIGNMENT,
        of=_ON_ASSIGNMENT,
        free_text=("note",),
        documents=("document",),
        not_personal={
            "confirmed_by_name": "the confirming officer in their role: the accountability trail",
            "police_unit_name": "a police unit",
        },
    ),
    crossing.PersonalData(
        model="defectors.ThreatAssessment",
        retention=ASSIGNMENT,
        of=_ON_ASSIGNMENT,
        free_text=("note",),
    ),
    crossing.PersonalData(
        model="defectors.ChildrenTask",
        retention=ASSIGNMENT,
        of=_ON_ASSIGNMENT,
        free_text=("description", "resolution"),
    ),
    crossing.PersonalData(
        model="defectors.Consultation",
        retention=ASSIGNMENT,
        of=_ON_ASSIGNMENT,
        free_text=("participants", "notes", "decisions"),
    ),
    crossing.PersonalData(
        model="defectors.ImplementationPlan",
        retention=ASSIGNMENT,
        of=_ON_ASSIGNMENT,
        free_text=("goals",),
    ),
    crossing.PersonalData(
        model="defectors.PlannedIntervention",
        retention=ASSIGNMENT,
        of=("plan__assignment",),
        free_text=("description", "decline_reason"),
    ),
    # A cost's note goes with its assignment; its voucher is accounting and follows the
    # bookkeeping period.
    crossing.PersonalData(
        model=VOUCHER, retention=ASSIGNMENT, of=_ON_ASSIGNMENT, free_text=("note",)
    ),
    crossing.PersonalData(model=VOUCHER, retention=VOUCHER, documents=("document",)),
    crossing.PersonalData(
        model="defectors.FollowUp",
        retention=ASSIGNMENT,
        of=_ON_ASSIGNMENT,
        free_text=("participants", "intervention_status", "motivation", "threat", "next_step"),
    ),
    crossing.PersonalData(
        model="defectors.CatalogueIntervention", not_personal={"name": "a kind of intervention"}
    ),
    crossing.PersonalData(
        model="defectors.TermsChange",
        not_personal={
            "changed_by_name": "the staff member who changed the agreement's terms",
            "what": "which term of the agreement changed",
            "before": "a cap, a threshold or an intervention's name",
            "after": "a cap, a threshold or an intervention's name",
        },
    ),
    crossing.PersonalData(
        model="defectors.EvaluationLesson",
        not_personal={"text": "lessons about the way of working, written without names"},
    ),
)

# --- uploaded documents (core/documents.py) ---------------------------------------------

documents.register_documents(
    documents.StoredDocument(
        kind="avhoppare-forutsattning",
        model="defectors.PreconditionConfirmation",
        visible_to=documents.records_on(
            d.PreconditionConfirmation, "assignment", access.visible_to
        ),
        controller=lambda confirmation: confirmation.assignment.home_municipality.code,
    ),
    documents.StoredDocument(
        kind="avhoppare-underlag",
        model=VOUCHER,
        visible_to=documents.records_on(d.CostEntry, "assignment", access.visible_to),
        controller=lambda entry: entry.assignment.home_municipality.code,
    ),
)
