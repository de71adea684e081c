"""Who may do what in local collaboration: role groups, visible records, checks.

The one place this app asks "may this user…?". Every record belongs to a
district (or a municipality without districts); who else sees it follows from
its parties: the police unit of a co-location, the parties of a forum, the
owners of an action plan's activities. Pages, API, panels, services and
selectors import the groups and checks from here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import RoleCode, User
from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    AnonymousConsultation,
    CoLocation,
    Forum,
    ForumKind,
    Indicator,
    Meeting,
    SeriousTalk,
    SituationalPicture,
    Training,
)
from samverkan.core.errors import NotAllowed
from samverkan.core.shared_scope import shared_with
from samverkan.registry.models import Organisation, OrganisationKind

# --- role groups ---------------------------------------------------------------------------

COORDINATOR = RoleCode.COLLABORATION_COORDINATOR
COORDINATORS = (COORDINATOR,)
# Read the overview, forums, schools and indicators. An organisation's other staff
# (the hub, agreement administrators, ...) do not read its collaboration data.
PARTICIPANTS = (COORDINATOR, RoleCode.SCHOOL_STAFF, RoleCode.RECEIVER, RoleCode.ANALYST)
# The police own activities of action plans: they read plans and pictures too.
PLAN_READERS = (*PARTICIPANTS, RoleCode.POLICE_OPERATOR)
# Those who act for a party; an analyst reads aggregates and changes nothing.
ACTING_ROLES = (COORDINATOR, RoleCode.SCHOOL_STAFF, RoleCode.RECEIVER, RoleCode.POLICE_OPERATOR)
# Serious talks are social services' records: its coordinator or its receivers.
TALK_RECORDERS = (COORDINATOR, RoleCode.RECEIVER)
# The start-page panel of the activities a party owns.
ACTIVITY_OWNERS = (COORDINATOR, RoleCode.SCHOOL_STAFF, RoleCode.ANALYST)

# The kinds of organisation that own collaboration records.
OWNER_KINDS = (OrganisationKind.DISTRICT, OrganisationKind.MUNICIPALITY)


# --- visible records -----------------------------------------------------------------------


def forums_visible_to(user: Any) -> QuerySet[Forum]:
    return Forum.objects.visible_to(user).select_related("district")


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).select_related("forum__district")


def colocations_visible_to(user: Any) -> QuerySet[CoLocation]:
    return CoLocation.objects.visible_to(user).select_related("district", "police_unit")


def consultations_visible_to(user: Any) -> QuerySet[AnonymousConsultation]:
    return AnonymousConsultation.objects.visible_to(user).select_related("district", "police_unit")


def trainings_visible_to(user: Any) -> QuerySet[Training]:
    return Training.objects.visible_to(user).select_related("district", "police_unit")


def serious_talks_visible_to(user: Any) -> QuerySet[SeriousTalk]:
    """Only the district responsible for the child's record (reads are audited by selectors)."""
    return SeriousTalk.objects.visible_to(user).select_related("district", "police_unit")


def pictures_visible_to(user: Any) -> QuerySet[SituationalPicture]:
    """The district, and the owners of activities in its action plans."""
    return shared_with(
        SituationalPicture.objects.all(),
        user,
        ("district_id", "action_plans__activities__owner_id"),
    ).select_related("district")


def plans_visible_to(user: Any) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.visible_to(user).select_related("district", "situational_picture")


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    """Every activity of the plans the user sees: a joint plan is seen whole by each party
    (issue 19 point 7); `can_update_activity` says which are the party's own."""
    return Activity.objects.filter(plan__in=ActionPlan.objects.visible_to(user).values("pk"))


def indicators_visible_to(user: Any) -> QuerySet[Indicator]:
    """The district's, and those of the forums and agreements its organisation is party to."""
    return shared_with(
        Indicator.objects.all(),
        user,
        ("district_id", "forum__parties__id", "agreement__parties__organisation_id"),
    ).select_related("district", "forum", "agreement")


def coordinated_districts(user: Any) -> QuerySet[Organisation]:
    """The districts (or municipalities) whose records this coordinator may create."""
    ids = [pk for pk in responsible_organisation_ids(user) if is_coordinator_for(user, pk)]
    return Organisation.objects.filter(pk__in=ids, kind__in=OWNER_KINDS).order_by("name")


def own_districts(user: Any) -> QuerySet[Organisation]:
    """The districts (or municipalities) the user works for, whatever the role."""
    return Organisation.objects.filter(
        pk__in=responsible_organisation_ids(user), kind__in=OWNER_KINDS
    )


# --- checks --------------------------------------------------------------------------------


def is_inside(user: Any, district_id: int) -> bool:
    """The user works for the district (or above it): figures are shown unsuppressed."""
    return district_id in responsible_organisation_ids(user)


def is_coordinator_for(user: Any, organisation_id: int) -> bool:
    return has_role(user, COORDINATOR) and is_inside(user, organisation_id)


def is_coordinator(user: Any) -> bool:
    return has_role(user, COORDINATOR)


def is_school_staff(user: Any) -> bool:
    return has_role(user, RoleCode.SCHOOL_STAFF)


def can_record_talks(user: Any) -> bool:
    return has_role(user, *TALK_RECORDERS)


def can_record_talk(user: Any, district_id: int) -> bool:
    """Social services of the district responsible for the child's record."""
    return isinstance(user, User) and can_record_talks(user) and is_inside(user, district_id)


def picture_district(user: Any) -> Organisation | None:
    """The district a coordinator's new situational picture belongs to (None: may not create)."""
    if not is_coordinator(user):
        return None
    return own_districts(user).filter(kind=OrganisationKind.DISTRICT).first()


def can_update_activity(user: Any, activity: Activity) -> bool:
    """Each party updates its own activities: the owner organisation (or one above it)."""
    return (
        isinstance(user, User)
        and has_role(user, *ACTING_ROLES)
        and is_inside(user, activity.owner_id)
    )


def others_activity(activity: Activity) -> str:
    """Why a party may not update an activity of the plan that is not its own."""
    return (
        f"Aktiviteten ägs av {activity.owner.name}. "
        "Varje part i planen uppdaterar bara sina egna aktiviteter."
    )


def can_read_minutes(user: Any, forum: Forum) -> bool:
    """Minutes of a children-at-risk forum discuss individual cases under secrecy: they are
    for those who take part for a party, not for an analyst of the same organisation."""
    return forum.kind != ForumKind.CHILDREN_AT_RISK or has_role(user, *ACTING_ROLES)


def require_coordinator(user: Any, *organisation_ids: int) -> User:
    """The user coordinates one of the organisations, or `NotAllowed`."""
    if not isinstance(user, User) or not any(is_coordinator_for(user, i) for i in organisation_ids):
        raise NotAllowed("Bara samverkanssamordnare hos en part får göra detta.")
    return user
