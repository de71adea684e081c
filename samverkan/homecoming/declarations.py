"""What homecoming declares for mergers and retention (issue 16, see core/crossing.py).

A plan holds the young person's identity number, name and risk assessment:
it is a social-services document (SoL 16 kap. 1 §) anonymised five years
after its last entry. An open plan moves with its district, police unit and
school in a merger or split; a closed one keeps them (history).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet

from samverkan.core import crossing
from samverkan.homecoming import models as h
from samverkan.registry.change_rules import COLLABORATION
from samverkan.retention import rules

PLAN = "homecoming.HomecomingPlan"


def _plan_open(plan: Any, _day: date) -> bool:
    return plan.status != h.PlanStatus.CLOSED


crossing.register_organisation_records(
    crossing.OrganisationRecords(
        model=PLAN,
        fields=("district", "police_unit", "school"),
        category=COLLABORATION,
        label=lambda plan: f"Hemtagningsplan {plan.reference}",
        is_open=_plan_open,
        detail={
            "district": "ansvarigt stadsdelsområde",
            "police_unit": "polisen",
            "school": "skola",
        },
    ),
    crossing.OrganisationRecords(
        model="homecoming.HomecomingAction",
        fields=("party",),
        category=COLLABORATION,
        label=lambda action: f"Åtgärd i hemtagningsplan H-{action.plan_id}",
        is_open=lambda action, _day: action.status == h.ActionStatus.OPEN,
        detail={"party": "ansvarig part"},
    ),
    crossing.OrganisationRecords(
        model="homecoming.HomecomingContact",
        fields=("organisation",),
        category=COLLABORATION,
        label=lambda contact: f"Kontakt i hemtagningsplan H-{contact.plan_id}",
        is_open=lambda contact, day: _plan_open(contact.plan, day),
        prepare=lambda contacts: contacts.select_related("plan"),
    ),
)

# --- retention (SoL 16 kap. 1 §) ----------------------------------------------------


def _plan_candidates(today: date) -> QuerySet[Any]:
    plan = OuterRef("pk")
    return (
        h.HomecomingPlan.objects.filter(
            created_at__lt=crossing.start_of(rules.earliest_last_entry_due(today))
        )
        .select_related("district")
        .annotate(
            last_action=crossing.newest(h.HomecomingAction.objects.filter(plan=plan), "updated_at"),
            last_action_done=crossing.newest(
                h.HomecomingAction.objects.filter(plan=plan), "completed_on"
            ),
            last_followup=crossing.newest(h.HomecomingFollowUp.objects.filter(plan=plan), "at"),
            last_followup_held=crossing.newest(
                h.HomecomingFollowUp.objects.filter(plan=plan), "held_on"
            ),
        )
    )


def _plan_evaluate(plan: Any) -> tuple[date, date, str]:
    last = crossing.latest(
        [
            plan.created_at,
            plan.updated_at,
            plan.released_on,
            plan.basis_recorded_on,
            plan.last_action,
            plan.last_action_done,
            plan.last_followup,
            plan.last_followup_held,
        ]
    )
    end, rule = rules.homecoming_plan_retention_end(last_entry=last)
    return last, end, rule


crossing.register_retention(
    crossing.Retention(
        label=PLAN,
        counts_from="the last entry on the plan, its actions and follow-ups",
        candidates=_plan_candidates,
        evaluate=_plan_evaluate,
        # QuerySet.update leaves updated_at (auto_now) alone: the last entry stays what it was.
        replacements=lambda plan: {
            "name": crossing.ANONYMISED_NAME,
            "birth_date": rules.coarse_birth_date(plan.birth_date),
        },
        controller=lambda plan: plan.district.code,
        order=60,
    ),
)

crossing.register_personal_data(
    crossing.PersonalData(
        model=PLAN,
        retention=PLAN,
        identity=("person_id",),
        names=("name",),
        free_text=("concrete_risk", "risk_assessment", "basis_note"),
    ),
    crossing.PersonalData(
        model="homecoming.HomecomingAction",
        retention=PLAN,
        of=("plan",),
        names=("owner_name",),
        free_text=("text", "note"),
    ),
    crossing.PersonalData(
        model="homecoming.HomecomingContact", retention=PLAN, of=("plan",), names=("name", "phone")
    ),
    crossing.PersonalData(
        model="homecoming.HomecomingFollowUp", retention=PLAN, of=("plan",), free_text=("text",)
    ),
)
