"""Who receives a report: the intake unit in office hours, the out-of-hours service otherwise."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from samverkan.registry.models import Organisation, Unit, UnitKind
from samverkan.registry.reference_data import MUNICIPALITIES, STOCKHOLM_DISTRICTS, district_code
from samverkan.registry.selectors import (
    covered_codes,
    district_by_name,
    hub_unit,
    intake_unit_for,
    organisation_by_code,
    out_of_hours_unit_for,
    phone_for,
    receiving_unit_for,
    unit_is_open,
)

STHLM = ZoneInfo("Europe/Stockholm")
TUESDAY_MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=STHLM)
TUESDAY_NIGHT = datetime(2026, 11, 24, 2, 10, tzinfo=STHLM)

pytestmark = pytest.mark.usefixtures("registry_demo_data")


def test_organisation_by_code_and_unknown_code():
    assert organisation_by_code("0182").name == "Nacka"
    with pytest.raises(Organisation.DoesNotExist):
        organisation_by_code("9999")


@pytest.mark.parametrize(
    ("code", "service"),
    [
        ("0182", "socialjour-sydost"),
        ("0120", "socialjour-sydost"),
        ("0138", "socialjour-sydost"),
        ("0184", "socialjour-nordvast"),
        ("0191", "socialjour-nordvast"),
        ("0188", "socialjour-nordost"),
        ("0192", "socialjour-sodertorn"),
        ("0140", "socialjour-sodertalje"),
        ("0180", "socialjouren-stockholm"),
        ("1480", "1480-socialjour"),
        ("1280", "1280-socialjour"),
    ],
)
def test_out_of_hours_service_covering_each_municipality(code, service):
    assert out_of_hours_unit_for(organisation_by_code(code)).code == service


def test_nacka_hands_over_to_its_own_intake_by_day_and_to_sydost_at_night():
    nacka = organisation_by_code("0182")
    by_day = receiving_unit_for(nacka, TUESDAY_MORNING)
    assert by_day.code == "0182-mottagning" and by_day.kind == UnitKind.INTAKE
    at_night = receiving_unit_for(nacka, TUESDAY_NIGHT)
    assert at_night.code == "socialjour-sydost"
    assert covered_codes(at_night) == ["0120", "0138", "0182"]
    assert at_night.organisation.code == "0182"  # hosted by Nacka


def test_solna_at_night_goes_to_nordvast():
    assert receiving_unit_for(organisation_by_code("0184"), TUESDAY_NIGHT).code == (
        "socialjour-nordvast"
    )


def test_a_stockholm_district_has_its_own_intake_unit_and_the_hub_out_of_hours():
    farsta = district_by_name(organisation_by_code("0180"), "farsta")
    assert farsta.code == "0180-farsta"
    assert intake_unit_for(farsta).code == "0180-farsta-mottagning"
    assert receiving_unit_for(farsta, TUESDAY_MORNING).code == "0180-farsta-mottagning"
    assert out_of_hours_unit_for(farsta) == hub_unit()
    assert receiving_unit_for(farsta, TUESDAY_NIGHT) == hub_unit()


def test_every_municipality_and_district_has_both_units_with_a_phone():
    codes = [m.code for m in MUNICIPALITIES] + [district_code(s) for s, _ in STOCKHOLM_DISTRICTS]
    for code in codes:
        organisation = organisation_by_code(code)
        intake = intake_unit_for(organisation)
        assert intake is not None and phone_for(intake), code
        assert unit_is_open(intake, TUESDAY_MORNING) and not unit_is_open(intake, TUESDAY_NIGHT)
        service = out_of_hours_unit_for(organisation)
        assert service is not None and phone_for(service), code
        assert unit_is_open(service, TUESDAY_NIGHT), code


def test_the_hub_is_open_around_the_clock_with_a_police_line():
    hub = hub_unit()
    assert hub.is_hub and hub.open_24_7 and hub.name == "Socialjouren Stockholm"
    assert unit_is_open(hub, TUESDAY_MORNING) and unit_is_open(hub, TUESDAY_NIGHT)
    assert hub.phone_lines.filter(purpose="police_line").exists()
    assert phone_for(hub) != hub.phone_lines.get(purpose="police_line").number


def test_units_outside_their_validity_are_not_chosen():
    nacka = organisation_by_code("0182")
    Unit.objects.filter(code="0182-mottagning").update(valid_to=datetime(2026, 1, 1).date())
    assert intake_unit_for(nacka, on=datetime(2026, 6, 1).date()) is None
    assert intake_unit_for(nacka) is not None
