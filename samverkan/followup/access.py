"""Who may see follow-up figures, and in what detail: the one place the follow-up app asks.

Analysts, agreement administrators and system administrators (and staff) open
the dashboards. Small figures are suppressed unless the user belongs to the
organisation responsible for every figure shown (`must_suppress`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import RoleCode

if TYPE_CHECKING:
    from samverkan.followup.selectors import Scope

FOLLOWUP_ROLES = (RoleCode.ANALYST, RoleCode.AGREEMENT_ADMIN, RoleCode.ADMINISTRATOR)
# Who gets the menu entry (the administrator may open the pages but is not offered them).
MENU_ROLES = (RoleCode.ANALYST, RoleCode.AGREEMENT_ADMIN)


def can_view(user: Any) -> bool:
    """Whether the user opens the dashboards and downloads their figures."""
    return bool(getattr(user, "is_staff", False)) or has_role(user, *FOLLOWUP_ROLES)


def must_suppress(user: Any, scope: Scope) -> bool:
    """Suppress unless the user belongs to the organisation responsible for every figure.

    A municipality's (or district's) own people see its figures in full; the
    provider party of an agreement (e.g. Stockholm for single entry, which
    handles every report at the hub) sees that agreement's figures in full.
    Everyone else — and every open-data export — gets suppressed figures.
    """
    responsible = scope.responsible_organisation_ids()
    if responsible is None:
        return True
    return not responsible <= set(responsible_organisation_ids(user))
