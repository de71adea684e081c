"""A school's concern report (SPEC §6) through the single-entry services.

A school reports straight to the district (or municipality) where the pupil is
registered: the report is handed over in the system to that intake unit, never
shown to the hub, and tracked with the same deadlines and acceptance.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from samverkan.core.errors import InvalidInput, NotAllowed
from samverkan.intake import selectors, services
from samverkan.intake.access import visible_to
from samverkan.intake.models import ConcernReport, Handover, ReportStatus, SourceChannel
from samverkan.intake.tests.factories import at
from samverkan.registry.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

PUPIL = services.ReportInput(
    person_id="201205152380",
    birth_date=None,
    found_in="0180",
    home_municipality="0180",
    home_district="Farsta",
    gang_related=False,
    reporting_officer_name="Rektor Testsson",
    reporting_officer_unit="Testskolan",
    narrative="Eleven har varit frånvarande i tre veckor.",
    source_channel=SourceChannel.SCHOOL,
)


@pytest.fixture
def principal(school_staff):
    school = Organisation.objects.filter(kind=OrganisationKind.SCHOOL).first()
    school_staff.organisation = school
    school_staff.save(update_fields=["organisation"])
    return school_staff


def test_school_report_goes_to_the_pupils_district_intake_unit(principal, farsta_receiver):
    # Received at night: a police report would go to the hub; a school's goes to the unit.
    result = services.report_register(
        actor=principal, data=PUPIL, received_at=at("2026-11-24T21:30")
    )
    report = result.report
    assert report.source_channel == SourceChannel.SCHOOL
    assert report.controller.code == "0180-farsta"
    assert report.receiving_unit.kind == "intake"
    assert report.receiving_unit.organisation.code == "0180-farsta"
    assert report.reporting_organisation == principal.organisation
    assert report.status == ReportStatus.HANDED_OVER
    assert report.preliminary_assessment_due == date(2026, 12, 8)
    assert [row.id for row in selectors.receiving_queue(user=farsta_receiver)] == [report.pk]
    services.handover_accept(actor=farsta_receiver, report_id=report.pk)
    assert report.handovers.get().outcome == Handover.Outcome.ACCEPTED


def test_hub_never_sees_a_school_report(principal, hub_worker):
    report = services.report_register(actor=principal, data=PUPIL).report
    assert selectors.hub_queue(user=hub_worker) == []
    assert not visible_to(hub_worker).filter(pk=report.pk).exists()
    with pytest.raises(services.ReportNotFound):
        services.handover_accept_by_phone(
            actor=hub_worker, report_id=report.pk, receiver_name="Någon"
        )


def test_school_report_needs_no_agreement_and_routes_to_another_municipality(principal):
    # Norrtälje has no single-entry agreement: irrelevant for a school's report.
    data = replace(PUPIL, home_municipality="0188", home_district=None)
    report = services.report_register(actor=principal, data=data).report
    assert report.controller.code == "0188"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"person_id": "19900101-0017"}, "person_id"),  # an adult
        ({"home_municipality": None, "home_district": None}, "home_municipality"),
        ({"home_district": None}, "home_district"),
    ],
)
def test_school_report_refused_with_a_swedish_message(principal, overrides, field):
    with pytest.raises(InvalidInput) as error:
        services.report_register(actor=principal, data=replace(PUPIL, **overrides))
    assert error.value.field == field
    assert ConcernReport.objects.count() == 0


def test_only_school_staff_of_a_school_file_school_reports(farsta_receiver, school_staff):
    for actor in (farsta_receiver, school_staff):  # school_staff here still sits in a district
        with pytest.raises(NotAllowed):
            services.report_register(actor=actor, data=PUPIL)
