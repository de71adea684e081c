"""Writes of the situational picture and the action plan (SPEC §6).

One transaction, a right, an audit entry each; errors as in `common.services`.
Texts reach every party: they pass the personal-data guard.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.audit.models import AuditAction
from samverkan.collaboration.access import (
    activities_visible_to,
    can_update_activity,
    is_inside,
    others_activity,
    pictures_visible_to,
    require_coordinator,
)
from samverkan.collaboration.common.services import (
    audit,
    guard_text,
    titled_period_fields,
)
from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    PictureContribution,
    ProgressNote,
    SituationalPicture,
    TargetGroup,
)
from samverkan.collaboration.plans.selectors import inflow_figures, plan_parties
from samverkan.core.audited import create_audited
from samverkan.core.errors import InvalidInput, NotAllowed, NotFound
from samverkan.registry.models import Organisation


@transaction.atomic
def situational_picture_create(
    *,
    actor: Any,
    district: Organisation,
    title: str,
    period_start: date,
    period_end: date,
) -> SituationalPicture:
    period = titled_period_fields(
        actor, district, title, period_start, period_end, what="Periodens"
    )
    return create_audited(
        actor,
        SituationalPicture,
        controller=district.code,
        **period,
        figures=inflow_figures(district, period_start, period_end),
        computed_at=timezone.now(),
        created_by=actor,
    )


@transaction.atomic
def situational_picture_refresh(*, actor: Any, picture_id: int) -> SituationalPicture:
    picture = SituationalPicture.objects.select_related("district").filter(pk=picture_id).first()
    if picture is None or not is_inside(actor, picture.district_id):
        raise NotFound()
    require_coordinator(actor, picture.district_id)
    picture.figures = inflow_figures(picture.district, picture.period_start, picture.period_end)
    picture.computed_at = timezone.now()
    picture.save(update_fields=["figures", "computed_at"])
    audit(actor, AuditAction.CHANGE, picture, picture.district, refreshed=True)
    return picture


@transaction.atomic
def contribution_add(*, actor: Any, picture_id: int, text: str) -> PictureContribution:
    """A party's text in the situational picture (no personal data: it reaches every party)."""
    picture = pictures_visible_to(actor).filter(pk=picture_id).first()
    if picture is None or not isinstance(actor, User) or actor.organisation is None:
        raise NotFound()
    if not text.strip():
        raise InvalidInput("text", "Skriv texten.")
    guard_text("text", text, names="refuse", confirmed=False)
    return create_audited(
        actor,
        PictureContribution,
        controller=picture.district.code,
        picture=picture,
        organisation=actor.organisation,
        text=text.strip(),
        author=actor,
    )


@transaction.atomic
def action_plan_create(
    *,
    actor: Any,
    district: Organisation,
    title: str,
    period_start: date,
    period_end: date,
    situational_picture: SituationalPicture | None = None,
) -> ActionPlan:
    period = titled_period_fields(actor, district, title, period_start, period_end, what="Planens")
    return create_audited(
        actor,
        ActionPlan,
        controller=district.code,
        **period,
        situational_picture=situational_picture,
    )


@transaction.atomic
def activity_add(
    *,
    actor: Any,
    plan_id: int,
    title: str,
    owner: Organisation,
    target_group: str,
    due_date: date,
    status: str = ActivityStatus.PLANNED,
) -> Activity:
    """The plan's district coordinator adds an activity for any owner."""
    plan = ActionPlan.objects.select_related("district").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    if actor is not None:
        if not is_inside(actor, plan.district_id):
            raise NotFound()
        require_coordinator(actor, plan.district_id)
    if target_group not in TargetGroup.values:
        raise InvalidInput("target_group", "Välj målgrupp.")
    if status not in ActivityStatus.values:
        raise InvalidInput("status", "Välj status.")
    if not title.strip():
        raise InvalidInput("title", "Beskriv aktiviteten.")
    if not plan_parties(plan).filter(pk=owner.pk).exists():
        raise InvalidInput(
            "owner", f"{owner.name} är inte part i planen. Välj en av planens parter."
        )
    return create_audited(
        actor,
        Activity,
        controller=plan.district.code,
        detail={"owner": owner.code},
        plan=plan,
        title=title.strip(),
        owner=owner,
        target_group=target_group,
        due_date=due_date,
        status=status,
    )


@transaction.atomic
def activity_update(
    *, actor: Any, activity_id: int, status: str, note: str = "", due_date: date | None = None
) -> Activity:
    if not activities_visible_to(actor).filter(pk=activity_id).exists():
        raise NotFound()
    # Lock by primary key: PostgreSQL refuses FOR UPDATE on the scoped (DISTINCT) query.
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("plan__district", "owner")
        .get(pk=activity_id)
    )
    if not can_update_activity(actor, activity):
        raise NotAllowed(others_activity(activity))
    if status not in ActivityStatus.values:
        raise InvalidInput("status", "Välj status.")
    if note.strip():
        guard_text("note", note, names="refuse", confirmed=False)
    changed = status != activity.status or (due_date is not None and due_date != activity.due_date)
    if not changed and not note.strip():
        raise InvalidInput("note", "Ändra status eller skriv en lägesrapport.")
    activity.status = status
    if due_date is not None:
        activity.due_date = due_date
    activity.save()
    if note.strip():
        ProgressNote.objects.create(
            activity=activity, text=note.strip(), author=actor, at=timezone.now()
        )
    audit(actor, AuditAction.CHANGE, activity, activity.plan.district, status=status)
    return activity
