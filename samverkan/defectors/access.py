"""Who may see and do what with defector assignments: the one place that asks.

Only the two parties of an assignment (the home and the receiving
municipality, or the units handling it for them) see it, and within them only
the defector roles. A party acts for its municipality: `side_of` tells which
side of an assignment a user acts for, and the services refuse an action
taken from the wrong side. A district counts as the municipality it belongs to.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import RoleCode
from samverkan.agreements import access as agreement_access
from samverkan.agreements.models import Agreement, AgreementTypeCode
from samverkan.defectors import rules
from samverkan.defectors.models import Assignment, Reconciliation
from samverkan.registry.models import Organisation
from samverkan.registry.selectors import municipality_of

# Who works with defector assignments (an administrator only within its own organisation).
DEFECTOR_ROLES: tuple[RoleCode, ...] = (RoleCode.DEFECTOR_COORDINATOR, RoleCode.ADMINISTRATOR)
# Who may keep an agreement's defector catalogue without being a party to it.
CATALOGUE_KEEPER_ROLES: tuple[RoleCode, ...] = (RoleCode.ADMINISTRATOR,)
# Who opens the page where an agreement's defector terms are kept.
TERMS_PAGE_ROLES: tuple[RoleCode, ...] = (
    *agreement_access.AGREEMENT_ADMIN_ROLES,
    *CATALOGUE_KEEPER_ROLES,
)
# the menu entry is for the coordinators; the administrator reaches assignments from the admin
MENU_ROLES: tuple[RoleCode, ...] = (RoleCode.DEFECTOR_COORDINATOR,)


def may_work_with_defectors(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and has_role(user, *DEFECTOR_ROLES)


def own_municipality(user: Any) -> Organisation | None:
    """The municipality a defector coordinator acts for (None for everyone else)."""
    if user is None or not may_work_with_defectors(user):
        return None
    return municipality_of(user.organisation)


def visible_to(user: Any) -> QuerySet[Assignment]:
    """The assignments of the user's parties: home, receiving, or handling for one of them.

    The receiving side sees an assignment only once it has been asked (`SHOWN_TO_RECEIVING`).
    """
    if not may_work_with_defectors(user):
        return Assignment.objects.none()
    organisation_ids = responsible_organisation_ids(user)
    if not organisation_ids:
        return Assignment.objects.none()
    receiving = Q(receiving_municipality_id__in=organisation_ids) | Q(
        receiving_handler_id__in=organisation_ids
    )
    return Assignment.objects.filter(
        Q(home_municipality_id__in=organisation_ids)
        | Q(home_handler_id__in=organisation_ids)
        | (receiving & Q(state__in=[s.value for s in rules.SHOWN_TO_RECEIVING]))
    )


def can_edit_draft(user: Any, assignment: Assignment) -> bool:
    """The home municipality changes its own draft, before anyone else has seen it."""
    return (
        side_of(user, assignment) is rules.Side.HOME
        and rules.State(assignment.state) in rules.EDITABLE_STATES
    )


def side_of(user: Any, assignment: Assignment) -> rules.Side | None:
    """Which party of the assignment the user acts for, or None."""
    municipality = own_municipality(user)
    if municipality is None:
        return None
    if municipality.pk == assignment.home_municipality_id:
        return rules.Side.HOME
    if municipality.pk == assignment.receiving_municipality_id:
        return rules.Side.RECEIVING
    return None


def party_codes(agreement: Any) -> set[str]:
    """Codes of the municipalities party to the agreement (a district counts for its own)."""
    codes: set[str] = set()
    for party in agreement.parties.select_related("organisation__parent"):
        organisation = party.organisation
        codes.add((municipality_of(organisation) or organisation).code)
    return codes


def is_party(user: Any, agreement: Any) -> bool:
    own = own_municipality(user)
    return own is not None and own.code in party_codes(agreement)


def agreements_visible_to(user: Any) -> list[Agreement]:
    """The defector agreements the user's municipality is a party to."""
    own = own_municipality(user)
    if own is None:
        return []
    return [
        agreement
        for agreement in Agreement.objects.filter(
            type__code=AgreementTypeCode.DEFECTOR_SERVICES
        ).order_by("pk")
        if own.code in party_codes(agreement)
    ]


def can_keep_terms(user: Any, agreement: Any) -> bool:
    """The agreement's administrators keep its pilot caps, threshold and catalogue.

    Who administers an agreement is the agreements app's rule; a system
    administrator may too (`CATALOGUE_KEEPER_ROLES`).
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return agreement_access.can_administer(user, agreement) or has_role(
        user, *CATALOGUE_KEEPER_ROLES
    )


def can_keep_catalogue(user: Any, agreement: Any) -> bool:
    """The catalogue is one of the agreement's terms: kept by the same people."""
    return can_keep_terms(user, agreement)


def reconciliations_visible_to(user: Any) -> QuerySet[Reconciliation]:
    """The reconciliations the user's municipality is one of the two parties of."""
    own = own_municipality(user)
    if own is None:
        return Reconciliation.objects.none()
    return Reconciliation.objects.filter(Q(party_a=own) | Q(party_b=own))
