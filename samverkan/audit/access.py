"""Who may read the access log: the one place the audit app asks.

An auditor reads the entries whose controller is their own organisation or one
below it (a municipality's auditor reviews its districts' records too), and the
entries whose actor belongs to one of those organisations — what Nacka's users
did in Stockholm's records is filed under Nacka too. Nobody else reads the log
in the application (administrators use the admin, read-only).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import RoleCode
from samverkan.audit.models import AuditEntry
from samverkan.registry.models import Organisation

AUDITORS = (RoleCode.AUDITOR,)


def can_search(user: Any) -> bool:
    return has_role(user, *AUDITORS)


def controller_codes_for(user: Any) -> list[str]:
    """The organisation codes whose records the user's organisation is responsible for."""
    ids = responsible_organisation_ids(user)
    if not ids:
        return []
    return list(Organisation.objects.filter(id__in=ids).values_list("code", flat=True))


def visible_to(user: Any) -> QuerySet[AuditEntry]:
    """Entries whose controller or actor is of the user's organisation (or one below it);
    auditors only."""
    codes = controller_codes_for(user) if can_search(user) else []
    if not codes:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(Q(controller__in=codes) | Q(actor_organisation__in=codes))
