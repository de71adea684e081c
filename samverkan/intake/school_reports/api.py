"""The school channel's API operation, mounted at /api/v1/collaboration/school-reports.

Errors are intake's core errors, answered by the API's one exception handler.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema

from samverkan.accounts.access import has_role
from samverkan.agreements.api import VerifiedSessionAuth
from samverkan.core.api_schemas import PersonalDataGuardedSchema
from samverkan.core.errors import NotAllowed
from samverkan.intake.school_reports import access, services

router = Router(tags=["collaboration"], auth=[VerifiedSessionAuth()])


class SchoolReportIn(PersonalDataGuardedSchema):
    numbers_only_fields = ("narrative",)  # the pupil's number has its own field
    person_id: str | None = None
    birth_date: date | None = None
    registered_municipality: str
    registered_district: str | None = None
    narrative: str
    reporter_name: str
    reporter_title: str = ""
    reporter_phone: str = ""
    wants_feedback: bool = False
    # Ja / Nej / Vet inte; left out: shown to the receiver as "Ej tillfrågat"
    gang_risk: Literal["yes", "no", "unknown"] | None = None


class SchoolReportOut(Schema):
    public_id: str
    receipt_number: str
    status: str
    receiver: str
    preliminary_assessment_due: date


@router.post("/school-reports", response={201: SchoolReportOut})
def school_report_create(request: HttpRequest, payload: SchoolReportIn) -> tuple[int, Any]:
    if not has_role(request.user, *access.REPORTERS):
        raise NotAllowed("Du har inte behörighet till detta.")
    report = services.school_report_file(
        actor=request.user, data=services.SchoolReportInput(**payload.dict())
    )
    return 201, SchoolReportOut(
        public_id=str(report.public_id),
        receipt_number=report.receipt_number,
        status=report.status,
        receiver=report.controller.code,
        preliminary_assessment_due=report.preliminary_assessment_due,
    )
