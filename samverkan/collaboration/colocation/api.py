"""Co-location, consultations, trainings and serious talks in the collaboration API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from samverkan.collaboration import access
from samverkan.collaboration.colocation import selectors, services
from samverkan.collaboration.common import api as shared
from samverkan.collaboration.common.forms import today
from samverkan.core.api_schemas import PersonalDataGuardedSchema

router = shared.CollaborationRouter()


class CalendarDayOut(Schema):
    day: date
    working_day: bool
    stationed: list[str]


@router.get("/colocation/calendar", response=list[CalendarDayOut])
def colocation_calendar(
    request: HttpRequest, start: date | None = None, days: int = 28
) -> list[CalendarDayOut]:
    shared.require_role(request, access.COORDINATORS)
    colocations = list(access.colocations_visible_to(request.user))
    calendar = selectors.colocation_calendar(
        colocations, start or today(), days=max(1, min(days, 366))
    )
    return [
        CalendarDayOut(
            day=d.day,
            working_day=d.working_day,
            stationed=[f"{c.social_worker} ({c.police_unit.code})" for c in d.stationed],
        )
        for d in calendar
    ]


class ConsultationIn(shared.JointEventIn):
    question_type: str
    question: str
    advice: str
    report_followed: str = "unknown"
    report_filed_on: date | None = None
    confirmed_no_personal_data: bool = False


@router.post("/consultations", response={201: shared.CreatedOut})
def consultation_create(request: HttpRequest, payload: ConsultationIn) -> tuple[int, Any]:
    return shared.record_joint(request, payload, services.consultation_record)


class TrainingIn(shared.JointEventIn):
    topic: str
    participants: int


@router.post("/trainings", response={201: shared.CreatedOut})
def training_create(request: HttpRequest, payload: TrainingIn) -> tuple[int, Any]:
    return shared.record_joint(request, payload, services.training_record)


class CoLocationIn(shared.JointIn):
    social_worker: str
    weekdays: list[int]  # 0 = Monday … 4 = Friday
    valid_from: date
    valid_to: date | None = None
    note: str = ""


class CoLocationChangeIn(Schema):
    weekdays: list[int]
    effective_from: date
    valid_to: date | None = None


@router.post("/colocations", response={201: shared.CreatedOut})
def colocation_create(request: HttpRequest, payload: CoLocationIn) -> tuple[int, Any]:
    return shared.record_joint(request, payload, services.colocation_create)


@router.post("/colocations/{colocation_id}/changes", response=shared.CreatedOut)
def colocation_change(request: HttpRequest, colocation_id: int, payload: CoLocationChangeIn) -> Any:
    """Answers with the entry valid from `effective_from` (a new one when the days changed)."""
    return shared.write_from_body(
        request,
        access.COORDINATORS,
        services.colocation_change,
        payload,
        colocation_id=colocation_id,
    )


class SeriousTalkIn(PersonalDataGuardedSchema, shared.JointEventIn):
    numbers_only_fields = ("follow_up",)  # the young person's number has its field
    person_id: str
    social_worker: str
    police_officer: str
    guardians_present: bool = True
    plan_agreed: bool = False
    follow_up: str = ""


@router.post("/serious-talks", response={201: shared.CreatedOut})
def serious_talk_create(request: HttpRequest, payload: SeriousTalkIn) -> tuple[int, Any]:
    return shared.record_joint(
        request, payload, services.serious_talk_record, access.TALK_RECORDERS
    )
