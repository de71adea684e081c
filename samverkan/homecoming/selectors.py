"""Reads of homecoming plans: scoped, redacted by the recorded basis, audited.

`plan_view` and `plan_list` are the only ways the pages and the API read a plan's
content. They return `PlanView`s holding only the sections the viewer's party may
see under the plan's current basis (`rules.sections_for`): a hidden field is None
in the view, so neither a template nor a serialiser can show it by mistake. Every
read of a plan's content writes an audit entry (VIEW) with the party and basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record
from samverkan.core.calendar import local_date
from samverkan.core.identity import age_on
from samverkan.homecoming import access, rules
from samverkan.homecoming.access import (
    can_update_action,
    current_basis,
    party_of,
    works_with_plans,
)
from samverkan.homecoming.models import (
    ActionStatus,
    BasisChange,
    HomecomingAction,
    HomecomingPlan,
    PlanStatus,
    RiskLevel,
    SharingBasis,
)
from samverkan.homecoming.rules import Section

S = Section


def _today() -> date:
    return local_date(timezone.now())


@dataclass(frozen=True)
class ActionView:
    id: int
    party: str
    party_code: str
    text: str
    owner_name: str
    due_date: date
    status: str
    status_label: str
    completed_on: date | None
    note: str
    overdue: bool
    can_update: bool


@dataclass(frozen=True)
class ContactView:
    organisation: str
    name: str
    title: str
    phone: str


@dataclass(frozen=True)
class FollowUpView:
    held_on: date
    text: str


@dataclass(frozen=True)
class PlanView:
    """A plan as one viewer may see it: hidden sections are None (or empty)."""

    id: int
    reference: str
    district: str
    district_code: str
    police_unit: str
    police_unit_code: str
    school: str | None
    school_code: str | None
    status: str
    status_label: str
    viewer_party: str
    sharing_basis: str
    sharing_basis_label: str
    basis_recorded_on: date | None
    sections: frozenset[Section]
    person_id: str | None = None
    name: str | None = None
    age: int | None = None
    expected_release: date | None = None
    released_on: date | None = None
    risk_level: str | None = None
    risk_level_label: str | None = None
    concrete_risk: str | None = None
    sis_home: str | None = None
    risk_assessment: str | None = None
    basis_note: str | None = None
    actions: list[ActionView] = field(default_factory=list)
    contacts: list[ContactView] | None = None
    follow_ups: list[FollowUpView] | None = None
    can_edit: bool = False

    def shows(self, section: str) -> bool:
        return Section(section) in self.sections

    @property
    def formatted_person_id(self) -> str | None:
        return f"{self.person_id[:8]}-{self.person_id[8:]}" if self.person_id else None

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.actions if a.overdue)


def _build(user: Any, plan: HomecomingPlan, today: date, *, details: bool) -> PlanView | None:
    party = party_of(user, plan)
    if party is None:
        return None
    basis = current_basis(plan, today)
    sections = rules.sections_for(party, basis)
    if not sections:
        return None
    ids = responsible_organisation_ids(user)
    shown: dict[str, Any] = {}
    if S.IDENTITY in sections:
        shown.update(person_id=plan.person_id, name=plan.name, age=age_on(plan.birth_date, today))
    if S.RELEASE in sections:
        shown.update(expected_release=plan.expected_release, released_on=plan.released_on)
    if S.CONCRETE_RISK in sections:
        shown.update(
            risk_level=plan.risk_level,
            risk_level_label=str(RiskLevel(plan.risk_level).label),
            concrete_risk=plan.concrete_risk,
        )
    if S.PLACEMENT in sections:
        shown["sis_home"] = plan.sis_home
    if S.RISK_ASSESSMENT in sections:
        shown["risk_assessment"] = plan.risk_assessment
    if S.BASIS_NOTE in sections:
        shown["basis_note"] = plan.basis_note
    if details:
        actions = plan.actions.select_related("party").order_by("due_date", "id")
        if S.ALL_ACTIONS not in sections:
            actions = actions.filter(party_id__in=ids)
        shown["actions"] = [
            ActionView(
                id=a.pk,
                party=a.party.name,
                party_code=a.party.code,
                text=a.text,
                owner_name=a.owner_name,
                due_date=a.due_date,
                status=a.status,
                status_label=str(ActionStatus(a.status).label),
                completed_on=a.completed_on,
                note=a.note,
                overdue=a.status == ActionStatus.OPEN and a.due_date < today,
                can_update=can_update_action(user, plan, a),
            )
            for a in actions
        ]
        if S.CONTACTS in sections:
            shown["contacts"] = [
                ContactView(c.organisation.name, c.name, c.title, c.phone)
                for c in plan.contacts.select_related("organisation")
            ]
        if S.FOLLOW_UP in sections:
            shown["follow_ups"] = [FollowUpView(f.held_on, f.text) for f in plan.follow_ups.all()]
    return PlanView(
        id=plan.pk,
        reference=plan.reference,
        district=plan.district.name,
        district_code=plan.district.code,
        police_unit=plan.police_unit.name,
        police_unit_code=plan.police_unit.code,
        school=plan.school.name if plan.school else None,
        school_code=plan.school.code if plan.school else None,
        status=plan.status,
        status_label=str(PlanStatus(plan.status).label),
        viewer_party=str(party),
        sharing_basis=basis,
        sharing_basis_label=str(SharingBasis(basis).label),
        basis_recorded_on=plan.basis_recorded_on,
        sections=sections,
        can_edit=access.can_edit(user, plan),
        **shown,
    )


def _audit_view(user: Any, view: PlanView, reason: str) -> None:
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        record_type="homecoming.HomecomingPlan",
        record_id=view.id,
        controller=view.district_code,
        reason=reason,
        detail={
            "party": view.viewer_party,
            "basis": view.sharing_basis,
            "sections": sorted(str(s) for s in view.sections),
        },
    )


def plan_view(
    user: Any,
    plan_id: int,
    *,
    reason: str = "",
    today: date | None = None,
    audited: bool = True,
) -> PlanView | None:
    """One plan as the user may see it, audited; None if it does not exist for the user.

    `audited=False` is for a caller that may still refuse the request: it calls
    `plan_view_audit` once it shows the plan, so a refusal leaves no VIEW entry.
    """
    day = today or _today()
    plan = access.visible_to(user, today=day).filter(pk=plan_id).first()
    if plan is None:
        return None
    view = _build(user, plan, day, details=True)
    if view is not None and audited:
        _audit_view(user, view, reason or "hemtagningsplan")
    return view


def plan_view_audit(user: Any, view: PlanView, reason: str = "") -> None:
    """The VIEW entry for a plan built with `plan_view(..., audited=False)` and then shown."""
    _audit_view(user, view, reason or "hemtagningsplan")


def plan_list(user: Any, *, reason: str = "", today: date | None = None) -> list[PlanView]:
    """The plans the user sees (summary: no actions), each read audited."""
    day = today or _today()
    views = []
    for plan in access.visible_to(user, today=day).order_by("status", "expected_release", "id"):
        view = _build(user, plan, day, details=False)
        if view is not None:
            _audit_view(user, view, reason or "hemtagningsplaner, lista")
            views.append(view)
    return views


@dataclass(frozen=True)
class DueAction:
    """An open action of the user's party, for the start page (no personal data)."""

    id: int
    plan_id: int
    plan_reference: str
    text: str
    due_date: date
    overdue: bool


def overdue_actions_for(
    user: Any, today: date | None = None, *, soon_days: int = 0
) -> list[DueAction]:
    """Open actions of the user's own party that are past their date (or within `soon_days`).

    Only in plans the party may see under the current basis: a police action in a
    plan whose basis was withdrawn, or lapsed at 21, is not shown to the police.
    """
    day = today or _today()
    ids = responsible_organisation_ids(user)
    plans = access.visible_to(user, today=day)
    limit = day.toordinal() + soon_days
    actions = (
        HomecomingAction.objects.filter(
            plan__in=plans,
            party_id__in=ids,
            status=ActionStatus.OPEN,
            due_date__lte=date.fromordinal(limit),
        )
        .exclude(plan__status=PlanStatus.CLOSED)
        .select_related("plan")
        .order_by("due_date", "id")
    )
    return [
        DueAction(a.pk, a.plan_id, a.plan.reference, a.text, a.due_date, a.due_date < day)
        for a in actions
        if a.due_date < day or soon_days
    ]


BASIS_CHANGE_DAYS = 30


def basis_changes_for_police(user: Any, now: datetime | None = None) -> list[BasisChange]:
    """Recent changes that took part of a plan out of the view of the user's police unit.

    Told even when the plan is no longer shared at all: the police knew the plan, and must
    know why it is gone. Only the plan's reference and what is no longer shared are shown.
    """
    ids = responsible_organisation_ids(user)
    if not ids or not works_with_plans(user):
        return []
    since = (now or timezone.now()) - timedelta(days=BASIS_CHANGE_DAYS)
    return list(
        BasisChange.objects.filter(plan__police_unit_id__in=ids, changed_at__gte=since)
        .exclude(lost_to_police=[])
        .select_related("plan__district")
        .order_by("-changed_at")
    )


def basis_history(user: Any, plan_id: int) -> list[BasisChange]:
    """The plan's changes of basis, newest first, for social services of its district."""
    return list(
        BasisChange.objects.filter(plan_id=plan_id, plan__in=access.visible_to(user))
        .select_related("changed_by")
        .order_by("-changed_at", "-id")
    )
