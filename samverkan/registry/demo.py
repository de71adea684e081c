"""Demo data of the registry (issue 4 "Demo data"), loaded by `setup_demo`. Idempotent.

Every municipality and every Stockholm district gets an intake unit open
Monday–Friday 08:00–16:30 on working days; out-of-hours services are open
exactly when the intake units are closed (evenings, nights, weekends,
holidays and eves), except the hub, Socialjouren Stockholm, which is open
24/7. A joint service is a Unit of its host municipality that covers all its
municipalities.

Phone numbers are ONLY from the ranges the Swedish Post and Telecom Authority
(PTS) reserves for fiction: 08-465 004 00–99 (Stockholm), 031-390 06 00–99
(Göteborg), 040-628 04 00–99 (Malmö) and 070-174 06 05–99 (mobile). People
and schools are made up; e-mail addresses use the reserved `.example` domain.
"""

from __future__ import annotations

from datetime import time
from typing import NamedTuple

from samverkan.registry.models import (
    ChangeSuccessor,
    ContactPerson,
    OfficeHours,
    Organisation,
    OrganisationChange,
    OrganisationKind,
    PhoneLine,
    PhonePurpose,
    School,
    SchoolOperator,
    Unit,
    UnitKind,
)
from samverkan.registry.reference_data import (
    FORMER_STOCKHOLM_DISTRICTS,
    FORMER_UNTIL,
    MUNICIPALITIES,
    POLICE_UNITS,
    STOCKHOLM_CODE,
    STOCKHOLM_COUNTY,
    STOCKHOLM_DISTRICTS,
    district_code,
    load_mergers_2023,
    load_reference_data,
)
from samverkan.registry.rules import OpeningInterval, complement_intervals, office_hours_intervals

INTAKE_OPENS = time(8, 0)
INTAKE_CLOSES = time(16, 30)


def _fiction(prefix: str, n: int, lowest: int = 0) -> str:
    """A number of a PTS fiction range: `prefix` followed by two digits, `lowest`–99."""
    assert lowest <= n <= 99
    return f"{prefix} {n:02d}"


def stockholm_fiction(n: int) -> str:
    return _fiction("08-465 004", n)


def goteborg_fiction(n: int) -> str:
    return _fiction("031-390 06", n)


def malmo_fiction(n: int) -> str:
    return _fiction("040-628 04", n)


def mobile_fiction(n: int) -> str:
    return _fiction("070-174 06", n, lowest=5)


HUB_CODE = "socialjouren-stockholm"
DEFECTOR_UNIT_CODE = "0180-avhopparverksamhet"
SIG_TEAM_CODE = "0180-jarva-sig"


def intake_unit_code(organisation_code: str) -> str:
    return f"{organisation_code}-mottagning"


class OutOfHours(NamedTuple):
    code: str
    name: str
    host: str
    covers: tuple[str, ...]
    phones: tuple[str, str]  # handover line, fallback


OUT_OF_HOURS: tuple[OutOfHours, ...] = (
    OutOfHours(
        "socialjour-sydost",
        "Socialjour Sydost (Nacka, Värmdö, Tyresö)",
        "0182",
        ("0182", "0120", "0138"),
        (stockholm_fiction(50), stockholm_fiction(51)),
    ),
    OutOfHours(
        "socialjour-nordost",
        "Socialjour Nordost",
        "0160",
        ("0115", "0117", "0160", "0162", "0186", "0187", "0188"),
        (stockholm_fiction(52), stockholm_fiction(53)),
    ),
    OutOfHours(
        "socialjour-nordvast",
        "Socialjour Nordväst",
        "0123",
        ("0114", "0123", "0125", "0139", "0163", "0183", "0184", "0191"),
        (stockholm_fiction(54), stockholm_fiction(55)),
    ),
    OutOfHours(
        "socialjour-sodertorn",
        "Socialjour Södertörn",
        "0126",
        ("0126", "0127", "0128", "0136", "0192"),
        (stockholm_fiction(56), stockholm_fiction(57)),
    ),
    OutOfHours(
        "socialjour-sodertalje",
        "Socialjouren Södertälje och Nykvarn",
        "0181",
        ("0181", "0140"),
        (stockholm_fiction(58), stockholm_fiction(59)),
    ),
    OutOfHours(
        "1480-socialjour",
        "Socialjouren Göteborg",
        "1480",
        ("1480",),
        (goteborg_fiction(1), goteborg_fiction(2)),
    ),
    OutOfHours(
        "1280-socialjour",
        "Socialjouren Malmö",
        "1280",
        ("1280",),
        (malmo_fiction(1), malmo_fiction(2)),
    ),
)

HUB_PHONES = {
    PhonePurpose.POLICE_LINE: stockholm_fiction(0),
    PhonePurpose.HANDOVER_24_7: stockholm_fiction(1),
    PhonePurpose.FALLBACK: stockholm_fiction(2),
}


def intake_phone_numbers() -> dict[str, str]:
    """Organisation code -> the intake unit's office-hours number."""
    numbers = {STOCKHOLM_CODE: stockholm_fiction(10)}
    for index, (slug, _name) in enumerate(STOCKHOLM_DISTRICTS):
        numbers[district_code(slug)] = stockholm_fiction(11 + index)
    others = [m for m in MUNICIPALITIES if m.county_code == STOCKHOLM_COUNTY]
    others = [m for m in others if m.code != STOCKHOLM_CODE]
    for index, municipality in enumerate(others):
        numbers[municipality.code] = stockholm_fiction(22 + index)
    numbers["1480"] = goteborg_fiction(0)
    numbers["1280"] = malmo_fiction(0)
    return numbers


# Police units' own lines (08 fiction range 70–79).
POLICE_PHONES = {
    code: stockholm_fiction(70 + index) for index, (code, _n) in enumerate(POLICE_UNITS)
}

FIRST_NAMES = (
    "Anna",
    "Erik",
    "Maria",
    "Johan",
    "Sara",
    "Karl",
    "Lena",
    "Mikael",
    "Eva",
    "Anders",
    "Karin",
    "Per",
    "Sofia",
    "Lars",
    "Emma",
    "Nils",
    "Ida",
    "Oskar",
    "Elin",
    "Jonas",
    "Hanna",
    "Magnus",
    "Linnea",
    "Fredrik",
    "Maja",
    "Daniel",
    "Amira",
    "Ali",
)
LAST_NAMES = (
    "Lindqvist",
    "Berglund",
    "Holm",
    "Sandberg",
    "Forsberg",
    "Lundgren",
    "Ek",
    "Nyström",
    "Håkansson",
    "Strand",
    "Björk",
    "Wallin",
    "Engström",
    "Sjöberg",
    "Dahl",
    "Hedlund",
    "Åberg",
    "Falk",
    "Blom",
    "Lind",
    "Hassan",
    "Korhonen",
    "Novak",
    "Petrović",
)
CONTACT_TITLES = (
    "Enhetschef, mottagningen barn och unga",
    "Avdelningschef, barn och unga",
)


def _ascii(text: str) -> str:
    table = str.maketrans("åäöéćÅÄÖÉĆ", "aaoecAAOEC")
    return text.translate(table).lower().replace(" ", "-")


def _sync_office_hours(unit: Unit, intervals: list[OpeningInterval]) -> None:
    wanted = {(i.weekday, i.opens, i.closes, i.working_days_only) for i in intervals}
    for hours in unit.office_hours.all():
        key = (hours.weekday, hours.opens, hours.closes, hours.working_days_only)
        if key in wanted:
            wanted.discard(key)
        else:
            hours.delete()
    OfficeHours.objects.bulk_create(
        OfficeHours(unit=unit, weekday=w, opens=o, closes=c, working_days_only=only)
        for (w, o, c, only) in sorted(wanted)
    )


def _phone(unit: Unit, number: str, purpose: str, label: str, priority: int = 1) -> None:
    PhoneLine.objects.update_or_create(
        unit=unit,
        number=number,
        defaults={"purpose": purpose, "label": label, "priority": priority},
    )


def _unit(code: str, organisation: Organisation, name: str, kind: str, **extra: object) -> Unit:
    defaults = {"organisation": organisation, "name": name, "kind": kind}
    defaults.update({"is_hub": False, "open_24_7": False})
    defaults.update(extra)
    unit, _created = Unit.objects.update_or_create(code=code, defaults=defaults)
    return unit


def _intake_units(by_code: dict[str, Organisation]) -> dict[str, Unit]:
    numbers = intake_phone_numbers()
    intervals = office_hours_intervals(opens=INTAKE_OPENS, closes=INTAKE_CLOSES)
    return {
        code: _intake_unit(by_code[code], number, intervals) for code, number in numbers.items()
    }


def _intake_unit(
    organisation: Organisation, number: str, intervals: list[OpeningInterval], **extra: object
) -> Unit:
    """An organisation's own intake unit, open office hours, receiving its own reports."""
    unit = _unit(
        intake_unit_code(organisation.code),
        organisation,
        f"{organisation.name}, mottagningen barn och unga",
        UnitKind.INTAKE,
        **extra,
    )
    unit.covers.set([organisation])
    _sync_office_hours(unit, intervals)
    _phone(unit, number, PhonePurpose.OFFICE_HOURS, "Mottagningen, kontorstid")
    return unit


def _out_of_hours_units(by_code: dict[str, Organisation]) -> None:
    hub = _unit(
        HUB_CODE,
        by_code[STOCKHOLM_CODE],
        "Socialjouren Stockholm",
        UnitKind.OUT_OF_HOURS,
        is_hub=True,
        open_24_7=True,
    )
    hub.covers.set([by_code[STOCKHOLM_CODE]])
    _sync_office_hours(hub, [])
    _phone(hub, HUB_PHONES[PhonePurpose.HANDOVER_24_7], PhonePurpose.HANDOVER_24_7, "Överlämning")
    _phone(hub, HUB_PHONES[PhonePurpose.FALLBACK], PhonePurpose.FALLBACK, "Jourhavande chef", 2)
    _phone(
        hub,
        HUB_PHONES[PhonePurpose.POLICE_LINE],
        PhonePurpose.POLICE_LINE,
        "Direktnummer för polisen (ROC), en ingång",
    )
    intervals = complement_intervals(opens=INTAKE_OPENS, closes=INTAKE_CLOSES)
    for service in OUT_OF_HOURS:
        unit = _unit(service.code, by_code[service.host], service.name, UnitKind.OUT_OF_HOURS)
        unit.covers.set([by_code[code] for code in service.covers])
        _sync_office_hours(unit, intervals)
        handover, fallback = service.phones
        _phone(unit, handover, PhonePurpose.HANDOVER_24_7, "Överlämning under jourtid")
        _phone(unit, fallback, PhonePurpose.FALLBACK, "Jourhavande socialsekreterare", 2)


def _other_units(by_code: dict[str, Organisation]) -> None:
    weekdays = office_hours_intervals(opens=INTAKE_OPENS, closes=INTAKE_CLOSES)
    defector = _unit(
        DEFECTOR_UNIT_CODE,
        by_code[STOCKHOLM_CODE],
        "Stockholms stad, central avhopparverksamhet",
        UnitKind.DEFECTOR_UNIT,
    )
    defector.covers.set([by_code[STOCKHOLM_CODE]])
    _sync_office_hours(defector, weekdays)
    _phone(defector, stockholm_fiction(60), PhonePurpose.OFFICE_HOURS, "Avhopparverksamheten")
    jarva = by_code[district_code("jarva")]
    sig = _unit(SIG_TEAM_CODE, jarva, "SIG-team Järva (sociala insatsgrupper)", UnitKind.SIG_TEAM)
    sig.covers.set([jarva])
    _sync_office_hours(sig, weekdays)
    _phone(sig, stockholm_fiction(61), PhonePurpose.OFFICE_HOURS, "SIG-samordnare")
    for code, name in POLICE_UNITS:
        is_roc = code == "polisen-roc"
        unit = _unit(code, by_code[code], name, UnitKind.POLICE, open_24_7=is_roc)
        if is_roc:
            _phone(unit, POLICE_PHONES[code], PhonePurpose.HANDOVER_24_7, "ROC, vakthavande")
        else:
            _sync_office_hours(unit, weekdays)
            _phone(unit, POLICE_PHONES[code], PhonePurpose.OFFICE_HOURS, "Kontorstid")


def _contact_persons(by_code: dict[str, Organisation], intake: dict[str, Unit]) -> None:
    index = 0
    for municipality in MUNICIPALITIES:
        organisation = by_code[municipality.code]
        for order, title in enumerate(CONTACT_TITLES, start=1):
            first = FIRST_NAMES[index % len(FIRST_NAMES)]
            last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
            ContactPerson.objects.update_or_create(
                organisation=organisation,
                escalation_order=order,
                defaults={
                    "unit": intake[municipality.code],
                    "name": f"{first} {last}",
                    "title": title,
                    "phone": mobile_fiction(5 + index),
                    "email": f"{_ascii(first)}.{_ascii(last)}@{_ascii(municipality.name)}.example",
                },
            )
            index += 1


class DemoSchool(NamedTuple):
    code: str
    name: str
    operator: str
    forms: tuple[bool, bool, bool]  # preschool, compulsory, upper secondary
    located_in: str
    parent: str | None


# Made-up schools; codes in a 9999xxxx series used only for demo data.
DEMO_SCHOOLS: tuple[DemoSchool, ...] = (
    DemoSchool(
        "99990001",
        "Björkdalsskolan (demo)",
        SchoolOperator.MUNICIPAL,
        (True, True, False),
        district_code("farsta"),
        district_code("farsta"),
    ),
    DemoSchool(
        "99990002",
        "Demogymnasiet Järva (demo)",
        SchoolOperator.INDEPENDENT,
        (False, False, True),
        district_code("jarva"),
        None,
    ),
    DemoSchool(
        "99990003",
        "Sicklaviks skola (demo)",
        SchoolOperator.MUNICIPAL,
        (False, True, False),
        "0182",
        "0182",
    ),
)


def _schools(by_code: dict[str, Organisation]) -> None:
    for school in DEMO_SCHOOLS:
        organisation, _created = Organisation.objects.update_or_create(
            code=school.code,
            defaults={
                "name": school.name,
                "kind": OrganisationKind.SCHOOL,
                "parent": by_code[school.parent] if school.parent else None,
                "county_code": STOCKHOLM_COUNTY,
            },
        )
        preschool, compulsory, upper_secondary = school.forms
        School.objects.update_or_create(
            organisation=organisation,
            defaults={
                "operator": school.operator,
                "has_preschool": preschool,
                "has_compulsory": compulsory,
                "has_upper_secondary": upper_secondary,
                "district": by_code[school.located_in],
            },
        )


FORMER_INTAKE_PHONES = {
    district_code(slug): stockholm_fiction(64 + index)
    for index, (slug, _name) in enumerate(FORMER_STOCKHOLM_DISTRICTS)
}


def _former_intake_units(by_code: dict[str, Organisation]) -> None:
    """The former districts' intake units, valid until the 2023 mergers (issue 10)."""
    intervals = office_hours_intervals(opens=INTAKE_OPENS, closes=INTAKE_CLOSES)
    for code, number in FORMER_INTAKE_PHONES.items():
        _intake_unit(by_code[code], number, intervals, valid_to=FORMER_UNTIL)


def load_demo() -> None:
    load_reference_data(Organisation)
    load_mergers_2023(Organisation, OrganisationChange, ChangeSuccessor)
    by_code = {organisation.code: organisation for organisation in Organisation.objects.all()}
    intake = _intake_units(by_code)
    _former_intake_units(by_code)
    _out_of_hours_units(by_code)
    _other_units(by_code)
    _contact_persons(by_code, intake)
    _schools(by_code)
