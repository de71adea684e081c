"""Reference data comes with `migrate`: what routing, agreements and users all stand on."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from stdnum.se import orgnr

from samverkan.registry.models import Organisation, OrganisationKind
from samverkan.registry.validators import validate_org_number

SPEC_MUNICIPALITIES = {
    "0114": "Upplands Väsby", "0115": "Vallentuna", "0117": "Österåker", "0120": "Värmdö",
    "0123": "Järfälla", "0125": "Ekerö", "0126": "Huddinge", "0127": "Botkyrka",
    "0128": "Salem", "0136": "Haninge", "0138": "Tyresö", "0139": "Upplands-Bro",
    "0140": "Nykvarn", "0160": "Täby", "0162": "Danderyd", "0163": "Sollentuna",
    "0180": "Stockholm", "0181": "Södertälje", "0182": "Nacka", "0183": "Sundbyberg",
    "0184": "Solna", "0186": "Lidingö", "0187": "Vaxholm", "0188": "Norrtälje",
    "0191": "Sigtuna", "0192": "Nynäshamn", "1480": "Göteborg", "1280": "Malmö",
}  # fmt: skip

SPEC_DISTRICTS = {
    "0180-bromma": "Bromma",
    "0180-enskede-arsta-vantor": "Enskede-Årsta-Vantör",
    "0180-farsta": "Farsta",
    "0180-hagersten-alvsjo": "Hägersten-Älvsjö",
    "0180-hasselby-vallingby": "Hässelby-Vällingby",
    "0180-jarva": "Järva",
    "0180-kungsholmen": "Kungsholmen",
    "0180-norra-innerstaden": "Norra innerstaden",
    "0180-skarpnack": "Skarpnäck",
    "0180-skarholmen": "Skärholmen",
    "0180-sodermalm": "Södermalm",
}

pytestmark = pytest.mark.django_db


def test_the_28_municipalities_with_their_scb_codes_and_names():
    found = dict(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).values_list("code", "name")
    )
    assert SPEC_MUNICIPALITIES.items() <= found.items()
    assert len(found) == 290  # and every other Swedish municipality (issue 18)


def test_county_codes():
    counties = dict(
        Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, code__in=SPEC_MUNICIPALITIES
        ).values_list("code", "county_code")
    )
    assert counties["1480"] == "14"
    assert counties["1280"] == "12"
    assert {code: c for code, c in counties.items() if code not in {"1480", "1280"}} == {
        code: "01" for code in SPEC_MUNICIPALITIES if code not in {"1480", "1280"}
    }


def test_stockholms_11_districts_belong_to_stockholm():
    districts = Organisation.objects.filter(kind=OrganisationKind.DISTRICT)
    today = districts.valid_on(date(2026, 1, 1))
    assert dict(today.values_list("code", "name")) == SPEC_DISTRICTS
    assert set(districts.values_list("parent__code", flat=True)) == {"0180"}


def test_the_four_districts_that_ended_with_the_2023_mergers():
    former = Organisation.objects.filter(kind=OrganisationKind.DISTRICT, valid_to__isnull=False)
    assert dict(former.values_list("code", "valid_to")) == {
        "0180-rinkeby-kista": date(2023, 6, 30),
        "0180-spanga-tensta": date(2023, 6, 30),
        "0180-ostermalm": date(2023, 6, 30),
        "0180-norrmalm": date(2023, 6, 30),
    }
    assert Organisation.objects.get(code="0180-jarva").valid_from == date(2023, 7, 1)
    assert Organisation.objects.get(code="0180-farsta").valid_from is None


def test_every_organisation_number_given_is_valid_and_formatted():
    numbers = Organisation.objects.exclude(org_number="").values_list("code", "org_number")
    assert numbers, "some organisation numbers are confirmed"
    for code, number in numbers:
        assert orgnr.is_valid(number), code
        assert len(number) == 11 and number[6] == "-", code
    assert Organisation.objects.get(code="0180").org_number == "212000-0142"
    assert Organisation.objects.get(code="polisen-roc").org_number == "202100-0076"


def test_police_units_exist_under_the_police_authority():
    codes = set(Organisation.objects.filter(parent__code="polisen").values_list("code", flat=True))
    assert {"polisen-roc", "polisen-bops", "polisen-lpo-farsta", "polisen-lpo-jarva"} <= codes
    assert all(code.startswith("polisen-") for code in codes)


@pytest.mark.parametrize("bad", ["212000-0143", "2120000142", "121212-1212", "abc"])
def test_a_bad_organisation_number_is_refused_in_swedish(bad):
    with pytest.raises(ValidationError) as error:
        validate_org_number(bad)
    assert "giltigt organisationsnummer" in str(error.value)


def test_an_organisation_with_a_bad_number_does_not_validate():
    organisation = Organisation(
        code="9999", name="Test", kind="municipality", org_number="212000-0143"
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "org_number" in error.value.message_dict


def test_reloading_keeps_an_organisation_number_entered_by_an_administrator():
    from samverkan.registry.reference_data import load_reference_data

    Organisation.objects.filter(code="0184").update(org_number="212000-0142")
    load_reference_data(Organisation)
    assert Organisation.objects.get(code="0184").org_number == "212000-0142"
    assert Organisation.objects.get(code="0182").org_number == "212000-0167"
