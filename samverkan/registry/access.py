"""Who may do what with the registry's organisation changes (issue 16 point 1).

Reference data (organisations, units, phone lines, schools) is public and
read by everyone; only administrators see, register, withdraw and correct
mergers and splits. Views, panels, services and the access-matrix test take
the role group and checks from here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samverkan.accounts.access import has_role
from samverkan.accounts.models import RoleCode
from samverkan.registry.models import ChangeStatus, OrganisationChange

ADMINISTRATORS: tuple[RoleCode, ...] = (RoleCode.ADMINISTRATOR,)


def can_manage_changes(user: Any) -> bool:
    """See, register and follow organisation changes."""
    return has_role(user, *ADMINISTRATORS)


def can_revise(user: Any, change: OrganisationChange) -> bool:
    """Withdraw or correct the change: an administrator, while it is still planned."""
    return can_manage_changes(user) and change.status == ChangeStatus.PLANNED


def visible_to(user: Any) -> QuerySet[OrganisationChange]:
    """Every change for an administrator, none for anyone else."""
    if not can_manage_changes(user):
        return OrganisationChange.objects.none()
    return OrganisationChange.objects.all()
