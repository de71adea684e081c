"""Who may see and change agreements: the one place that asks.

Agreements hold no personal data. Every user of a party (or of an
organisation above one) reads them, and an API client reads those of its own
organisation. Only agreement administrators of a party change them; an API
client never does.

A party acts only for itself (issue 17): an administrator records decisions
and gives notice for their own organisation's party (`acts_for`). The hub
municipality (Stockholm), which collects the other party's signed decision,
may register that decision on the party's behalf (`decision_authority` says
`ON_BEHALF`; the service then requires the signed document). Pages, forms and
the API all ask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import ApiClient, RoleCode, User
from samverkan.agreements.models import Agreement, AgreementParty, TerminationNotification
from samverkan.registry.models import Organisation
from samverkan.registry.reference_data import STOCKHOLM_CODE
from samverkan.registry.selectors import descendant_ids

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


def acts_for(user: Any, party: AgreementParty) -> bool:
    """An agreement administrator of the party's own organisation (or of one above it)."""
    return is_agreement_admin(user) and party.organisation_id in responsible_organisation_ids(user)


class Authority(StrEnum):
    """On what authority a user registers a party's decision."""

    OWN = "own"  # the party's own administrator
    ON_BEHALF = "on_behalf"  # the hub municipality, for the other party (signed document)
    NONE = "none"


def hub_party(agreement: Agreement) -> AgreementParty | None:
    """The hub municipality's party of the agreement, if it is one."""
    party: AgreementParty | None = agreement.parties.filter(
        organisation__code=STOCKHOLM_CODE
    ).first()
    return party


def decision_authority(user: Any, party: AgreementParty) -> Authority:
    """May the user register this party's decision, and as whom."""
    if acts_for(user, party):
        return Authority.OWN
    hub = hub_party(party.agreement)
    if hub is not None and hub.pk != party.pk and acts_for(user, hub):
        return Authority.ON_BEHALF
    return Authority.NONE


def decision_parties(user: Any, agreement: Agreement) -> QuerySet[AgreementParty]:
    """The parties whose decisions the user may register (own, and on behalf for the hub)."""
    ids = [p.pk for p in agreement.parties.all() if decision_authority(user, p) != Authority.NONE]
    return agreement.parties.filter(pk__in=ids).select_related("organisation")


def notice_parties(user: Any, agreement: Agreement) -> QuerySet[AgreementParty]:
    """The parties in whose name the user may give notice: only their own."""
    return agreement.parties.filter(
        organisation_id__in=responsible_organisation_ids(user) if is_agreement_admin(user) else []
    ).select_related("organisation")


def party_administrators(party: AgreementParty) -> QuerySet[User]:
    """The active agreement administrators who act for the party (told of what others did)."""
    ids: list[int] = []
    organisation: Organisation | None = party.organisation
    while organisation is not None:  # the party's organisation and those above it
        ids.append(organisation.pk)
        organisation = organisation.parent
    return User.objects.filter(
        is_active=True, organisation_id__in=ids, roles__code__in=AGREEMENT_ADMIN_ROLES
    ).distinct()


def notifications_visible_to(user: Any) -> QuerySet[TerminationNotification]:
    """Termination notifications to the user's organisation, or of agreements they read."""
    ids = responsible_organisation_ids(user)
    if not ids:
        return TerminationNotification.objects.none()
    return TerminationNotification.objects.filter(
        Q(recipient_id__in=ids) | Q(agreement__parties__organisation_id__in=ids)
    ).distinct()


def notifications_to(user: Any) -> QuerySet[TerminationNotification]:
    """The notifications addressed to the user's organisation (ROC's users)."""
    return TerminationNotification.objects.filter(
        recipient_id__in=responsible_organisation_ids(user)
    )


def can_acknowledge(user: Any, notification: TerminationNotification) -> bool:
    """A user of the recipient organisation (ROC) acknowledges what the system told it."""
    return notification.recipient_id in responsible_organisation_ids(user)


def recipient_users(notification: TerminationNotification) -> QuerySet[User]:
    """The recipient organisation's active users (ROC's), who are told by mail."""
    return User.objects.filter(
        is_active=True, organisation_id__in=descendant_ids([notification.recipient_id])
    )
