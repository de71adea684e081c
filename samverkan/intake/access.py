"""Who may see and do what with concern reports: intake's one home for access.

Three sides work a report (SPEC §4): the hub (Socialjouren Stockholm) until the
receiving side has accepted it, the receivers of the responsible organisation
from then on, and the police that reported it (status and information requests
only). A school files its own reports, straight to the pupil's district. Every
intake module asks its access questions here, never by role code.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from django.db.models import Q, QuerySet

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import ApiClient, RoleCode, User
from samverkan.intake.models import ConcernReport, InformationRequest, ReportQuerySet, SourceChannel
from samverkan.registry.models import OrganisationKind

# --- role groups --------------------------------------------------------------------

HUB = (RoleCode.HUB_WORKER,)
RECEIVERS = (RoleCode.RECEIVER,)
POLICE = (RoleCode.POLICE_OPERATOR,)
SCHOOL_STAFF = (RoleCode.SCHOOL_STAFF,)

Actor = User | ApiClient

# The hub acts for the municipalities on police reports until one is accepted;
# a school reports straight to the pupil's district, past the hub.
HUB_SCOPE = Q(accepted_at__isnull=True) & ~Q(source_channel=SourceChannel.SCHOOL)


# --- who the actor is ---------------------------------------------------------------


def is_hub(actor: object) -> TypeGuard[User]:
    return isinstance(actor, User) and has_role(actor, *HUB)


def is_receiver(actor: object) -> TypeGuard[User]:
    return isinstance(actor, User) and has_role(actor, *RECEIVERS)


def is_police_operator(actor: object) -> TypeGuard[User]:
    return isinstance(actor, User) and has_role(actor, *POLICE)


def is_school_staff(actor: object) -> TypeGuard[User]:
    """Staff of a school unit (SPEC §6): they file their own pupils' reports."""
    return (
        isinstance(actor, User)
        and has_role(actor, *SCHOOL_STAFF)
        and actor.organisation is not None
        and actor.organisation.kind == OrganisationKind.SCHOOL
    )


# --- what the actor sees ------------------------------------------------------------


def visible_to(user: Any, reports: ReportQuerySet | None = None) -> ReportQuerySet:
    """Hub workers: every police report until it is accepted. Receivers: their organisation's."""
    reports = reports if reports is not None else ConcernReport.objects.all()
    condition = Q(pk__in=[])
    if is_hub(user):
        condition |= HUB_SCOPE
    if is_receiver(user):
        organisation_ids = responsible_organisation_ids(user)
        if organisation_ids:
            condition |= Q(controller_id__in=organisation_ids)
    return reports.filter(condition)


def hub_reports() -> ReportQuerySet:
    """The reports the hub works on (for a user `is_hub` has admitted)."""
    return ConcernReport.objects.filter(HUB_SCOPE)


def received_by(user: Any) -> ReportQuerySet:
    """The reports the receiver's organisation (and those below it) is responsible for."""
    if not is_receiver(user):
        return ConcernReport.objects.none()
    return ConcernReport.objects.filter(controller_id__in=responsible_organisation_ids(user))


def reported_by(user: Any) -> ReportQuerySet:
    """The reports of a police operator's own organisation (their status only)."""
    if not is_police_operator(user):
        return ConcernReport.objects.none()
    return ConcernReport.objects.filter(reporting_organisation_id=user.organisation_id)


def information_requests_to(actor: Any) -> QuerySet[InformationRequest]:
    """Information requests addressed to the actor's police organisation (operator or system)."""
    if not can_answer_information_requests(actor):
        return InformationRequest.objects.none()
    return InformationRequest.objects.filter(to_organisation_id=actor.organisation_id)


# --- what the actor may do ----------------------------------------------------------


def can_answer_information_requests(actor: object) -> TypeGuard[Actor]:
    """ROC answers the municipalities' questions: an operator in the UI, or a police system."""
    return isinstance(actor, ApiClient) or is_police_operator(actor)
