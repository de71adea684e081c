"""Situational pictures and action plans in the collaboration API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from samverkan.collaboration import access
from samverkan.collaboration.common import api as shared
from samverkan.collaboration.plans import selectors, services
from samverkan.core.api_lookups import organisation_in_body
from samverkan.core.errors import InvalidInput, NotFound

router = shared.CollaborationRouter()


class CellOut(Schema):
    label: str
    count: int | None  # null: suppressed
    # "primary": fewer than the threshold ("<5"); "secondary": hidden because it
    # would give such a count back by subtraction ("–"), as in the follow-up's JSON.
    hidden: str | None = None


class PictureOut(Schema):
    id: int
    district: str
    title: str
    period_start: date
    period_end: date
    suppressed_below: int | None
    total: int | None
    by_reporter: list[CellOut]
    by_age: list[CellOut]
    by_area: list[CellOut]
    texts: list[dict[str, str]]


@router.get("/situational-pictures/{picture_id}", response=PictureOut)
def picture_detail(request: HttpRequest, picture_id: int) -> PictureOut:
    shared.require_role(request, access.PLAN_READERS)
    picture = access.pictures_visible_to(request.user).filter(pk=picture_id).first()
    if picture is None:
        raise NotFound("Lägesbilden finns inte.")
    tables = selectors.picture_tables(picture, request.user)

    def cells(items: list[selectors.Cell]) -> list[CellOut]:
        return [CellOut(label=c.label, count=c.count, hidden=c.hidden or None) for c in items]

    return PictureOut(
        id=picture.pk,
        district=picture.district.code,
        title=picture.title,
        period_start=picture.period_start,
        period_end=picture.period_end,
        suppressed_below=None if tables["inside"] else tables["threshold"],
        total=tables["total"].count,
        by_reporter=cells(tables["by_reporter"]),
        by_age=cells(tables["by_age"]),
        by_area=cells(tables["by_area"]),
        texts=[
            {"organisation": c.organisation.code, "text": c.text}
            for c in picture.contributions.select_related("organisation")
        ],
    )


class ActivityOut(Schema):
    id: int
    title: str
    owner: str
    target_group: str
    status: str
    due_date: date
    can_update: bool
    notes: list[str]


@router.get("/action-plans/{plan_id}/activities", response=list[ActivityOut])
def plan_activities(request: HttpRequest, plan_id: int) -> list[ActivityOut]:
    shared.require_role(request, access.PLAN_READERS)
    plan = access.plans_visible_to(request.user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("Åtgärdsplanen finns inte.")
    activities = (
        access.activities_visible_to(request.user)
        .filter(plan=plan)
        .select_related("owner")
        .prefetch_related("notes")
    )
    return [
        ActivityOut(
            id=a.pk,
            title=a.title,
            owner=a.owner.code,
            target_group=a.target_group,
            status=a.status,
            due_date=a.due_date,
            can_update=access.can_update_activity(request.user, a),
            notes=[n.text for n in a.notes.all()],
        )
        for a in activities
    ]


class ActivityUpdateIn(Schema):
    status: str
    note: str = ""
    due_date: date | None = None


@router.post("/activities/{activity_id}", response=shared.CreatedOut)
def activity_update(request: HttpRequest, activity_id: int, payload: ActivityUpdateIn) -> Any:
    return shared.write_from_body(
        request, access.PLAN_READERS, services.activity_update, payload, activity_id=activity_id
    )


class PeriodIn(Schema):
    district: str
    title: str
    period_start: date
    period_end: date


class ActionPlanIn(PeriodIn):
    situational_picture: int | None = None


class TextIn(Schema):
    text: str


@router.post("/situational-pictures", response={201: shared.CreatedOut})
def picture_create(request: HttpRequest, payload: PeriodIn) -> tuple[int, Any]:
    shared.require_role(request, access.COORDINATORS)
    return shared.created(
        services.situational_picture_create(actor=request.user, **shared.owned_by_district(payload))
    )


@router.post("/situational-pictures/{picture_id}/texts", response={201: shared.CreatedOut})
def picture_text_add(request: HttpRequest, picture_id: int, payload: TextIn) -> tuple[int, Any]:
    shared.require_role(request, access.PLAN_READERS)
    return shared.created(
        services.contribution_add(actor=request.user, picture_id=picture_id, text=payload.text)
    )


@router.post("/action-plans", response={201: shared.CreatedOut})
def plan_create(request: HttpRequest, payload: ActionPlanIn) -> tuple[int, Any]:
    shared.require_role(request, access.COORDINATORS)
    district = organisation_in_body(payload.district, "district")
    picture = None
    if payload.situational_picture is not None:
        picture = (
            access.pictures_visible_to(request.user)
            .filter(pk=payload.situational_picture, district=district)
            .first()
        )
        if picture is None:
            raise InvalidInput(
                "situational_picture", "Lägesbilden finns inte för det stadsdelsområdet."
            )
    return shared.created(
        services.action_plan_create(
            actor=request.user, **shared.owned_by_district(payload, situational_picture=picture)
        )
    )


class ActivityIn(Schema):
    title: str
    owner: str
    target_group: str
    due_date: date
    status: str = "planned"


@router.post("/action-plans/{plan_id}/activities", response={201: shared.CreatedOut})
def activity_create(request: HttpRequest, plan_id: int, payload: ActivityIn) -> tuple[int, Any]:
    shared.require_role(request, access.COORDINATORS)
    return shared.created(
        services.activity_add(
            actor=request.user,
            plan_id=plan_id,
            title=payload.title,
            owner=organisation_in_body(payload.owner, "owner"),
            target_group=payload.target_group,
            due_date=payload.due_date,
            status=payload.status,
        )
    )
