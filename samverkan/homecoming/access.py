"""Who may see and write homecoming plans: the one place the homecoming app asks.

Social services of the responsible district (collaboration coordinators and
social workers, role `receiver`) write the plan. The local police and the school
see it only as the recorded basis for sharing allows (`rules.sections_for`,
`HomecomingPlan.objects.visible_to`); each party updates its own actions and
adds its own contacts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import RoleCode, User
from samverkan.core.calendar import local_date
from samverkan.homecoming import rules
from samverkan.homecoming.models import HomecomingAction, HomecomingPlan

# Who works with homecoming plans: social services (coordinators, social workers),
# the local police (its collaboration coordinators) and school staff.
SOCIAL_SERVICES_ROLES = (RoleCode.COLLABORATION_COORDINATOR, RoleCode.RECEIVER)
HOMECOMING_ROLES = (*SOCIAL_SERVICES_ROLES, RoleCode.SCHOOL_STAFF)


def visible_to(user: Any, *, today: date | None = None) -> QuerySet[HomecomingPlan]:
    """Plans the user's organisation is a party of and may see under the basis (no audit)."""
    if not has_role(user, *HOMECOMING_ROLES):
        return HomecomingPlan.objects.none()
    return HomecomingPlan.objects.visible_to(user, today=today).select_related(
        "district", "police_unit", "school"
    )


def actions_visible_to(user: Any) -> QuerySet[HomecomingAction]:
    """Actions the user sees: every action for the district; for another party, its own.

    (With consent the other parties also see each other's actions: `selectors.plan_view`.)
    """
    ids = responsible_organisation_ids(user)
    return HomecomingAction.objects.filter(plan__in=visible_to(user)).filter(
        Q(plan__district_id__in=ids) | Q(party_id__in=ids)
    )


def works_with_plans(user: Any) -> bool:
    return has_role(user, *HOMECOMING_ROLES)


def is_social_services_for(user: Any, district_id: int) -> bool:
    """Social services of the responsible district: may write the plan."""
    return has_role(user, *SOCIAL_SERVICES_ROLES) and district_id in responsible_organisation_ids(
        user
    )


def can_edit(user: Any, plan: HomecomingPlan) -> bool:
    return is_social_services_for(user, plan.district_id)


def party_of(user: Any, plan: HomecomingPlan) -> rules.Party | None:
    """The user's side in the plan (the district first, when one user could be several)."""
    ids = responsible_organisation_ids(user)
    if plan.district_id in ids:
        return rules.Party.DISTRICT
    if plan.police_unit_id in ids:
        return rules.Party.POLICE
    if plan.school_id is not None and plan.school_id in ids:
        return rules.Party.SCHOOL
    return None


def party_kind(plan: HomecomingPlan, organisation_id: int) -> rules.Party | None:
    """Which side of the plan an organisation is, if any."""
    if organisation_id == plan.district_id:
        return rules.Party.DISTRICT
    if organisation_id == plan.police_unit_id:
        return rules.Party.POLICE
    if plan.school_id is not None and organisation_id == plan.school_id:
        return rules.Party.SCHOOL
    return None


def current_basis(plan: HomecomingPlan, day: date | None = None) -> str:
    """The basis for sharing in force on `day` (it lapses when the young person turns 21)."""
    return rules.effective_basis(
        plan.sharing_basis, plan.birth_date, day or local_date(timezone.now())
    )


def can_update_action(user: Any, plan: HomecomingPlan, action: HomecomingAction) -> bool:
    """A party updates its own actions; social services of the district update every action."""
    if not isinstance(user, User) or not has_role(user, *HOMECOMING_ROLES):
        return False
    return action.party_id in responsible_organisation_ids(user) or can_edit(user, plan)


def can_add_contact_for(user: Any, plan: HomecomingPlan, organisation_id: int) -> bool:
    """Social services add anyone's contact; another party adds its own."""
    own = organisation_id in responsible_organisation_ids(user) and has_role(
        user, *HOMECOMING_ROLES
    )
    return own or can_edit(user, plan)


def police_recipients(plan: HomecomingPlan) -> list[str]:
    """Mail addresses of the police party's users who work with homecoming plans."""
    return list(
        User.objects.filter(
            organisation_id=plan.police_unit_id,
            is_active=True,
            roles__code__in=HOMECOMING_ROLES,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
