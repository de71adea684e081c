"""The school register in the collaboration API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Schema

from samverkan.collaboration import access
from samverkan.collaboration.common import api as shared
from samverkan.collaboration.schools import selectors
from samverkan.core.api_lookups import organisation_in_body

router = shared.CollaborationRouter()


class SchoolOut(Schema):
    code: str
    name: str
    operator: str
    forms: list[str]
    district: str
    agreement: str | None


@router.get("/schools", response=list[SchoolOut])
def school_list(request: HttpRequest, district: str | None = None) -> list[SchoolOut]:
    shared.require_role(request, access.PARTICIPANTS)
    located = organisation_in_body(district, "district") if district else None
    return [
        SchoolOut(
            code=row.school.organisation.code,
            name=row.school.organisation.name,
            operator=row.school.operator,
            forms=row.school.school_forms,
            district=row.school.district.code,
            agreement=row.agreement.reference if row.agreement else None,
        )
        for row in selectors.school_register(located)
    ]
