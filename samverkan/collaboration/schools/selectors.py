"""Reads of the school register: schools with their school-collaboration agreement."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from samverkan.agreements.models import Agreement, AgreementTypeCode
from samverkan.registry.models import Organisation, School


@dataclass(frozen=True)
class SchoolRow:
    school: School
    agreement: Agreement | None


def school_register(district: Organisation | None = None) -> list[SchoolRow]:
    """Schools (municipal and independent) with their school-collaboration agreement, if any."""
    schools = School.objects.select_related("organisation", "district").order_by(
        "district__name", "organisation__name"
    )
    if district is not None:
        schools = schools.filter(district=district)
    agreements: dict[int, Agreement] = {}
    for agreement in (
        Agreement.objects.filter(type__code=AgreementTypeCode.SCHOOL_COLLABORATION)
        .prefetch_related("parties")
        .order_by("start_date")
    ):
        for party in agreement.parties.all():
            agreements[party.organisation_id] = agreement
    return [SchoolRow(s, agreements.get(s.organisation_id)) for s in schools]


def districts_with_schools() -> QuerySet[Organisation]:
    return Organisation.objects.filter(schools_located__isnull=False).distinct().order_by("name")
