"""A school's concern report (SPEC §6) through the single-entry services.

A school reports straight to the district (or municipality) where the pupil is
registered: the report is handed over in the system to that intake unit, never
shown to the hub, and tracked with the same deadlines and acceptance.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse

from samverkan.accounts.models import Role, User
from samverkan.core.errors import InvalidInput, NotAllowed
from samverkan.core.testing.forms import page_after_refusal
from samverkan.intake import selectors, services
from samverkan.intake.access import RECEIVERS, visible_to
from samverkan.intake.models import (
    ConcernReport,
    GangRisk,
    Handover,
    ReportStatus,
    SourceChannel,
)
from samverkan.intake.tests.factories import at, file_school_report, register

# `threaded`'s skip condition is evaluated in this module: it needs `_in_memory_sqlite` here
from samverkan.intake.tests.test_concurrency import _in_memory_sqlite, _race, threaded  # noqa: F401
from samverkan.intake.tests.testdata import make_person_id
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
        ({"home_district": "Atlantis"}, "home_district"),
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


def _file(principal, received_at="2026-11-24T10:00", **overrides):
    return file_school_report(principal, received_at=at(received_at), **overrides)


@pytest.fixture
def stockholm_receiver(intake_registry):
    """A receiver of Stockholm's central intake (the municipality, above its districts)."""
    user = User.objects.create(
        username="stockholm-mottagning", first_name="Stina", organisation=intake_registry["0180"]
    )
    user.roles.add(*(Role.objects.get_or_create(code=code)[0] for code in RECEIVERS))
    return user


def test_school_not_knowing_the_district_sends_to_stockholms_central_intake(
    principal, stockholm_receiver, farsta_receiver
):
    report = _file(principal, registered_district=None)
    assert report.controller.code == "0180"
    assert report.receiving_unit.code == "0180-mottagning"
    assert report.status == ReportStatus.HANDED_OVER
    assert [row.id for row in selectors.receiving_queue(user=stockholm_receiver)] == [report.pk]
    assert selectors.receiving_queue(user=farsta_receiver) == []


def test_receipt_numbers_are_short_sequential_and_per_year(principal):
    first = _file(principal, received_at="2026-03-02T09:00")
    second = _file(principal, received_at="2026-11-24T10:00")
    # Swedish New Year's night: 2027 by the Swedish date, though still 2026 in UTC
    new_year = _file(principal, received_at="2027-01-01T00:30")
    assert (first.receipt_number, second.receipt_number) == ("S-2026-0001", "S-2026-0002")
    assert new_year.receipt_number == "S-2027-0001"


def test_a_police_report_has_no_school_receipt_number(principal, hub_worker):
    assert register(hub_worker).report.receipt_number == ""


@threaded[0]
@threaded[1]
def test_two_schools_filing_at_once_get_distinct_receipt_numbers(registry_demo, school_staff):
    school = Organisation.objects.filter(kind=OrganisationKind.SCHOOL).first()
    school_staff.organisation = school
    school_staff.save(update_fields=["organisation"])
    results = _race(
        [
            lambda: _file(school_staff, person_id="201205152380").receipt_number,
            lambda: _file(school_staff, person_id=make_person_id(date(2013, 1, 1))).receipt_number,
        ]
    )
    assert sorted(map(str, results)) == ["S-2026-0001", "S-2026-0002"], results


@pytest.mark.parametrize(
    ("answer", "shown"),
    [("yes", GangRisk.YES), ("no", GangRisk.NO), ("unknown", GangRisk.UNKNOWN)],
)
def test_the_school_is_asked_about_gang_related_risk(principal, answer, shown):
    report = _file(principal, gang_risk=answer)
    assert report.gang_risk == shown
    assert report.gang_related is (answer == "yes")


def test_a_school_report_without_the_answer_says_not_asked(principal):
    assert _file(principal, gang_risk=None).gang_risk == GangRisk.NOT_ASKED
    with pytest.raises(InvalidInput) as error:
        _file(principal, gang_risk="kanske")
    assert error.value.field == "gang_risk"


def test_receiver_sees_a_school_report_as_a_school_report(
    principal, farsta_receiver, logged_in_client
):
    report = _file(principal, wants_feedback=True)
    client = logged_in_client(farsta_receiver)
    inbox = client.get(reverse("intake:inbox")).content.decode()
    assert f"Skola: {principal.organisation.name}" in inbox
    assert "S-2026-0001" in inbox
    assert "Mottagen av Socialjouren" not in inbox
    page = client.get(reverse("intake:receiver_report", args=[report.pk])).content.decode()
    assert principal.organisation.name in page
    assert "Karin Björkman, Rektor" in page
    assert "Skolan vill ha återkoppling" in page
    assert "Vet inte" in page  # gang-related risk, as the school answered
    for police_words in ("Mottagen av Socialjouren", "Anmälande polis", "Polisen vill ha"):
        assert police_words not in page


def test_an_older_school_report_shows_gang_risk_as_not_asked(
    principal, farsta_receiver, logged_in_client
):
    report = _file(principal, gang_risk=None)
    page = logged_in_client(farsta_receiver).get(
        reverse("intake:receiver_report", args=[report.pk])
    )
    assert "Ej tillfrågat" in page.content.decode()


def test_school_form_asks_gang_risk_and_sends_without_district(
    principal, stockholm_receiver, logged_in_client
):
    client = logged_in_client(principal)
    form = {
        "person_id": "20120515-2380",
        "registered_municipality": "0180",
        "registered_district": "",
        "narrative": "Eleven har hög frånvaro.",
        "reporter_name": "Karin Björkman",
        "submission": "s1",
    }
    refused = page_after_refusal(client, reverse("collaboration:school_report"), form)
    assert "Svara Ja, Nej eller Vet inte" in refused
    assert ConcernReport.objects.count() == 0
    sent = client.post(reverse("collaboration:school_report"), {**form, "gang_risk": "unknown"})
    assert sent.status_code == 302
    report = ConcernReport.objects.get()
    assert report.controller.code == "0180"
    receipt = client.get(sent["Location"]).content.decode()
    assert report.receipt_number in receipt
    assert report.receipt_number.startswith("S-") and len(report.receipt_number) == 11
