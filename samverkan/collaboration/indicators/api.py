"""Result indicators in the collaboration API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from samverkan.agreements.models import Agreement
from samverkan.collaboration import access
from samverkan.collaboration.common import api as shared
from samverkan.collaboration.common.forms import today
from samverkan.collaboration.indicators import selectors, services
from samverkan.core.api_schemas import PersonalDataGuardedSchema
from samverkan.core.errors import InvalidInput

router = shared.CollaborationRouter()


class PointOut(Schema):
    term: str
    value: float | None  # null: none yet, or hidden (`hidden`)
    source: str
    detail: str
    # Outside the district, as the follow-up publishes it: "primary" a count under
    # the threshold, "secondary" a figure that would give one back.
    hidden: str | None = None


class IndicatorOut(Schema):
    id: int
    name: str
    kind: str
    forum: int | None
    agreement: int | None
    unit: str
    trend: str
    good: bool | None
    points: list[PointOut]


@router.get("/indicators", response=list[IndicatorOut])
def indicator_list(request: HttpRequest, terms: int = 4) -> list[IndicatorOut]:
    shared.require_role(request, access.PARTICIPANTS)
    result = []
    for indicator in access.indicators_visible_to(request.user):
        series = selectors.published_series(
            selectors.indicator_series(indicator, today=today(), terms=max(1, min(terms, 20))),
            enabled=not access.is_inside(request.user, indicator.district_id),
        )
        result.append(
            IndicatorOut(
                id=indicator.pk,
                name=indicator.name,
                kind=indicator.kind,
                forum=indicator.forum_id,
                agreement=indicator.agreement_id,
                unit=indicator.unit,
                trend=series.trend,
                good=series.good,
                points=[
                    PointOut(
                        term=p.term.key,
                        value=None if p.value.hidden else p.value.value,  # type: ignore[arg-type]
                        source=p.source,
                        detail=p.detail,
                        hidden=p.value.suppressed or None,
                    )
                    for p in series.points
                ],
            )
        )
    return result


class IndicatorValueIn(Schema):
    term: str
    value: Decimal
    source: str


@router.put("/indicators/{indicator_id}/values", response=shared.CreatedOut)
def indicator_value(request: HttpRequest, indicator_id: int, payload: IndicatorValueIn) -> Any:
    return shared.write_from_body(
        request,
        access.COORDINATORS,
        services.indicator_value_enter,
        payload,
        indicator_id=indicator_id,
    )


def _forum_of(request: HttpRequest, forum_id: int | None) -> Any:
    if forum_id is None:
        return None
    forum = access.forums_visible_to(request.user).filter(pk=forum_id).first()
    if forum is None:
        raise InvalidInput("forum", f"Okänt forum: {forum_id}.")
    return forum


class IndicatorIn(PersonalDataGuardedSchema):
    guarded_fields = ("description",)
    district: str
    name: str
    kind: str
    forum: int | None = None
    agreement: str | None = None  # the agreement's reference (diarienummer)
    unit: str = ""
    higher_is_better: bool = True
    description: str = ""


@router.post("/indicators", response={201: shared.CreatedOut})
def indicator_create(request: HttpRequest, payload: IndicatorIn) -> tuple[int, Any]:
    shared.require_role(request, access.COORDINATORS)
    agreement = None
    if payload.agreement is not None:
        agreement = Agreement.objects.filter(reference=payload.agreement).first()
        if agreement is None:
            raise InvalidInput("agreement", f"Okänt avtal: {payload.agreement!r}.")
    return shared.created(
        services.indicator_create(
            actor=request.user,
            **shared.owned_by_district(
                payload, forum=_forum_of(request, payload.forum), agreement=agreement
            ),
        )
    )
