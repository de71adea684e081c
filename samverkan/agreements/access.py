"""Who may see and change agreements: the one place that asks.

Agreements hold no personal data. Every user of a party (or of an
organisation above one) reads them, and an API client reads those of its own
organisation. Only agreement administrators of a party change them; an API
client never does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import ApiClient, RoleCode
from samverkan.agreements.models import Agreement
from samverkan.registry.models import Organisation

# Who registers and changes agreements (of the parties they are responsible for).
AGREEMENT_ADMIN_ROLES: tuple[RoleCode, ...] = (RoleCode.AGREEMENT_ADMIN,)
# who finds the agreements in the menu: their administrators, analysts and the system's
MENU_ROLES: tuple[RoleCode, ...] = (
    RoleCode.AGREEMENT_ADMIN,
    RoleCode.ANALYST,
    RoleCode.ADMINISTRATOR,
)


def visible_to(actor: Any) -> QuerySet[Agreement]:
    """The agreements of the actor's parties: a user's, or an API client's organisation."""
    if isinstance(actor, ApiClient):
        return Agreement.objects.filter(parties__organisation_id=actor.organisation_id).distinct()
    return Agreement.objects.visible_to(actor)


def is_agreement_admin(user: Any) -> bool:
    return user is not None and has_role(user, *AGREEMENT_ADMIN_ROLES)


def can_create(user: Any, organisations: Iterable[Organisation]) -> bool:
    """An agreement administrator may register an agreement their own organisation is party to."""
    ids = responsible_organisation_ids(user)
    return is_agreement_admin(user) and any(o.pk in ids for o in organisations)


def can_administer(user: Any, agreement: Agreement) -> bool:
    """An agreement administrator of (or above) one of the parties."""
    if not is_agreement_admin(user):
        return False
    ids = responsible_organisation_ids(user)
    return agreement.parties.filter(organisation_id__in=ids).exists()


def administered_by(user: Any) -> QuerySet[Agreement]:
    """The agreements the user administers (their reminders)."""
    if not is_agreement_admin(user):
        return Agreement.objects.none()
    return visible_to(user)
