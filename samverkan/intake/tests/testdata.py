"""Test identities and a registry snapshot shaped like the demo registry (issue 4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from stdnum import luhn

from samverkan.intake.rules import OpeningInterval, RegistrySnapshot, UnitInfo
from samverkan.registry.rules import Line

SE = ZoneInfo("Europe/Stockholm")

# The example: a gang-related Nacka child found in Solna (issue 4).
NACKA_CHILD_FACTS: dict[str, Any] = {
    "person_id": "201205152380",
    "birth_date": None,
    "found_in": "0184",
    "home_municipality": "0182",
    "home_district": None,
    "gang_related": True,
}


def at(text: str) -> datetime:
    """A Swedish local time, "2026-11-24T02:10"."""
    return datetime.fromisoformat(text).replace(tzinfo=SE)


COUNTY = (
    "0114 0115 0117 0120 0123 0125 0126 0127 0128 0136 0138 0139 0140 0160 0162 0163 "
    "0180 0181 0182 0183 0184 0186 0187 0188 0191 0192"
).split()
NAMES = {code: f"Kommun {code}" for code in COUNTY} | {
    "0180": "Stockholm",
    "0182": "Nacka",
    "0184": "Solna",
    "0188": "Norrtälje",
    "1480": "Göteborg",
    "1280": "Malmö",
}
DISTRICTS = {"Farsta": "0180-farsta", "Södermalm": "0180-sodermalm"}
OFFICE = tuple(OpeningInterval(weekday=d, opens=time(8), closes=time(16, 30)) for d in range(5))


# The out-of-hours services besides the hub: name, organisation, whom it covers, phone.
OUT_OF_HOURS = (
    ("Socialjour Sydost", "0182", ("0182", "0120", "0138"), "08-465 004 01"),
    (
        "Socialjour Nordväst",
        "0184",
        ("0114", "0123", "0125", "0139", "0163", "0183", "0184", "0191"),
        "08-465 004 02",
    ),
    (
        "Socialjour Nordost",
        "0160",
        ("0115", "0117", "0160", "0162", "0186", "0187", "0188"),
        "08-465 004 03",
    ),
    ("Socialjour Södertörn", "0126", ("0126", "0127", "0128", "0136", "0192"), "08-465 004 04"),
    ("Socialjour Södertälje", "0181", ("0181", "0140"), "08-465 004 05"),
    ("Socialjouren Malmö", "1280", ("1280",), "040-628 04 00"),
    ("Socialjouren Göteborg", "1480", ("1480",), "031-390 06 00"),
)


def make_person_id(born: date, female: bool = True) -> str:
    """Skatteverket's published test-number series: birth date + 238 (female) / 239 (male)."""
    body = f"{born:%y%m%d}{238 if female else 239}"
    return f"{born:%Y}{body[2:]}{luhn.calc_check_digit(body)}"


def snapshot(*, agreements: set[str] | None = None) -> RegistrySnapshot:
    units = [
        UnitInfo(
            name=f"Mottagningen {NAMES[c]}",
            kind="intake",
            organisation=c,
            phone="08-465 004 10",
            intervals=OFFICE,
        )
        for c in COUNTY + ["1480", "1280"]
    ]
    units += [
        UnitInfo(
            name=f"Mottagningen {name}",
            kind="intake",
            organisation=code,
            phone="08-465 004 20",
            intervals=OFFICE,
        )
        for name, code in DISTRICTS.items()
    ]
    units += [
        UnitInfo(
            name="Socialjouren Stockholm",
            kind="out_of_hours",
            organisation="0180",
            covers=("0180",),
            phone="08-465 004 00",
            open_24_7=True,
        ),
    ]
    units += [
        UnitInfo(name=name, kind="out_of_hours", organisation=code, covers=covers, phone=phone)
        for name, code, covers, phone in OUT_OF_HOURS
    ]
    # Each unit's one line: an intake unit's office line, a service's handover line.
    units = [
        replace(
            unit,
            is_hub=unit.name == "Socialjouren Stockholm",
            lines=(Line(unit.phone, "office_hours" if unit.kind == "intake" else "handover_24_7"),),
        )
        for unit in units
    ]
    if agreements is None:
        agreements = set(COUNTY) - {"0180", "0188", "0192"}
    return RegistrySnapshot(
        county_municipalities=frozenset(COUNTY),
        municipality_names=NAMES,
        districts=DISTRICTS,
        district_names={v: k for k, v in DISTRICTS.items()},
        units=tuple(units),
        agreements_in_force=frozenset(agreements),
    )
