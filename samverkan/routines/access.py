"""Who may read and write the routines library: the one place the routines app asks.

A routine is seen by its owner, the parties it applies to, and the parties of
the forums and agreements it is attached to (`Routine.objects.visible_to`).
Only a collaboration coordinator of the owner organisation (or one above it)
creates, revises or confirms a routine.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import RoleCode
from samverkan.registry.models import Organisation, OrganisationKind
from samverkan.routines.models import Routine

# Who writes routines: the coordinators of the owner organisation.
EDITOR = RoleCode.COLLABORATION_COORDINATOR
EDITORS = (EDITOR,)
# Who reads the library (menu, search, API).
READERS = (
    RoleCode.COLLABORATION_COORDINATOR,
    RoleCode.SCHOOL_STAFF,
    RoleCode.RECEIVER,
    RoleCode.ANALYST,
    RoleCode.AGREEMENT_ADMIN,
)
# Who may open a forum's pages, so a routine links its forums only for them (an
# agreement administrator reads the routine but not the forum). The same roles as
# collaboration's participants; kept here so routines does not depend on that app.
FORUM_READERS = (
    RoleCode.COLLABORATION_COORDINATOR,
    RoleCode.SCHOOL_STAFF,
    RoleCode.RECEIVER,
    RoleCode.ANALYST,
)


def visible_to(user: Any) -> QuerySet[Routine]:
    return Routine.objects.visible_to(user).select_related("owner", "current_version")


def can_read(user: Any) -> bool:
    return has_role(user, *READERS)


def can_open_forums(user: Any) -> bool:
    return has_role(user, *FORUM_READERS)


def can_own(user: Any, owner_id: int) -> bool:
    """Whether the user writes routines owned by this organisation."""
    return has_role(user, *EDITORS) and owner_id in responsible_organisation_ids(user)


def can_edit(user: Any, routine: Routine) -> bool:
    return can_own(user, routine.owner_id)


def owners_for(user: Any) -> QuerySet[Organisation]:
    """The organisations whose routines the user writes (schools own none)."""
    ids = [pk for pk in responsible_organisation_ids(user) if can_own(user, pk)]
    return (
        Organisation.objects.filter(pk__in=ids)
        .exclude(kind=OrganisationKind.SCHOOL)
        .order_by("name")
    )


def is_reminded(user: Any) -> bool:
    """Only editors are reminded of reviews: they are the ones who can act."""
    return has_role(user, *EDITORS)
