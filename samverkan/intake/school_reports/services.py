"""Filing a school's concern report through the single-entry services.

Errors are intake's, which are the core errors: they go on to the page's
`form_action` and the API's exception handler as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from samverkan.accounts.models import User
from samverkan.core.errors import InvalidInput, NotAllowed
from samverkan.intake import services as intake_services
from samverkan.intake.models import ConcernReport, GangRisk, SourceChannel
from samverkan.intake.school_reports import rules
from samverkan.registry.models import School
from samverkan.registry.selectors import municipality_of

ONLY_SCHOOL_STAFF = "Bara personal på en skolenhet anmäler oro för sina elever här."


@dataclass(frozen=True)
class SchoolReportInput:
    person_id: str | None
    birth_date: date | None
    registered_municipality: str  # kommunkod where the pupil is registered (folkbokförd)
    registered_district: str | None  # Stockholm district name, when the municipality is 0180
    narrative: str
    reporter_name: str
    reporter_title: str = ""
    reporter_phone: str = ""
    wants_feedback: bool = False
    # Ja / Nej / Vet inte (GangRisk); None: the school was not asked (an older client)
    gang_risk: str | None = None


def reporting_school(actor: Any) -> School:
    """The school unit the actor works at, or `NotAllowed`."""
    school = getattr(actor.organisation, "school", None) if isinstance(actor, User) else None
    if school is None or actor.organisation is None:
        raise NotAllowed(ONLY_SCHOOL_STAFF)
    return school


def school_report_file(
    *, actor: Any, data: SchoolReportInput, received_at: datetime | None = None
) -> ConcernReport:
    """A school's concern report (SoL 19 kap. 1 §) through the single-entry services.

    Routed by the pupil's registered district — not the school's — to that intake
    unit, with the same handover and deadline tracking (`intake.services`).
    """
    school = reporting_school(actor)
    if not data.narrative.strip():
        raise InvalidInput("narrative", "Beskriv vad som ger skolan anledning till oro.")
    if not data.reporter_name.strip():
        raise InvalidInput("reporter_name", "Ange ditt namn.")
    if data.gang_risk is not None and data.gang_risk not in rules.GANG_RISK_ANSWERS:
        raise InvalidInput("gang_risk", rules.GANG_RISK_QUESTION)
    found_in = municipality_of(school.district) or school.district
    result = intake_services.report_register(
        actor=actor,
        data=intake_services.ReportInput(
            person_id=data.person_id or None,
            birth_date=data.birth_date if not data.person_id else None,
            found_in=found_in.code,
            home_municipality=data.registered_municipality or None,
            home_district=data.registered_district or None,
            gang_related=data.gang_risk == GangRisk.YES,
            gang_risk=data.gang_risk or GangRisk.NOT_ASKED,
            reporting_officer_name=data.reporter_name.strip(),
            reporting_officer_unit=rules.reporting_unit(
                data.reporter_title, actor.organisation.name
            ),
            reporting_officer_phone=data.reporter_phone.strip(),
            narrative=data.narrative.strip(),
            wants_feedback=data.wants_feedback,
            source_channel=SourceChannel.SCHOOL,
        ),
        received_at=received_at,
    )
    # a school's report is never "not eligible" (intake decides it for the school channel)
    assert result.report is not None
    return result.report
