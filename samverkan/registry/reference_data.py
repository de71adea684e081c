"""Reference data shipped with Samverkan (SPEC §2, §9), loaded by migration 0003.

Municipalities: SCB *kommunkod*, name, official name, county code and
organisation number. An organisation number is filled in only where a public
source confirmed it; the others are left blank for the agreement
administrator to enter (the admin validates them), never guessed:

- 212000-0142 Stockholms stad (SPEC §9; CORDIS VAT SE212000014201)
- 212000-1355 Göteborgs stad (CORDIS VAT SE212000135501)
- 212000-1124 Malmö stad (CORDIS VAT SE212000112401)
- 212000-0167 Nacka kommun (Nacka kommun's e-service footer)
- 212000-2882 Botkyrka kommun (footer of Botkyrka's Tumba gymnasium; re-check)
- 212000-0027 Vallentuna kommun (vallentuna.se, e-faktura page)
- 212000-0035 Värmdö kommun (varmdo.se, upphandling och inköp)
- 212000-0100 Upplands-Bro kommun (upplands-bro.se, Peppol-ID 0007:2120000100)
- 202100-0076 Polismyndigheten (Bolagsverket/ESV myndighetsregister)

Stockholm's 11 districts (*stadsdelsområden*) have the code ``0180-<slug>`` and
the plain name the routing command and the UI use. Two of them were formed on
2023-07-01 (issue 10, source 03): Järva from Rinkeby-Kista and Spånga-Tensta,
Norra innerstaden from Östermalm and Norrmalm. The four former districts are
shipped too, valid up to and including 2023-06-30, with the two mergers as
`OrganisationChange` rows (`MERGERS_2023`) so that history, routing at past
instants and former names ("Spånga-Tensta" → Järva) stay true. Hägersten-Älvsjö
dates from 2020-01-01; the other districts carry no start date here.

Police units: ``polisen`` (Polismyndigheten), ``polisen-roc``, ``polisen-bops``
and local police areas ``polisen-lpo-<area>`` of Polisregion Stockholm as
organised from 2025-01-01 (Norrmalm became Norra innerstaden and
Lidingö-Kungsholmen).

Every other Swedish municipality (issue 18, point 13: a child from Uppsala is
found in Stockholm): the 290 municipalities with their SCB codes and names are
shipped in `data/municipalities.json`, with its source and date, and updated by
`manage.py update_municipality_codes`. They get their code, name and county
code (the first two digits); official names and organisation numbers are left
to the administrator, as above.

`load_reference_data` takes the Organisation model class so the data
migration can pass its historical model; it is idempotent (update_or_create
by code) and also called by `registry.demo.load_demo`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

STOCKHOLM_COUNTY = "01"
SKANE_COUNTY = "12"
VASTRA_GOTALAND_COUNTY = "14"
POLICE_ORG_NUMBER = "202100-0076"
DISTRICTS_SINCE = date(2023, 7, 1)  # Järva and Norra innerstaden
MERGED_2023 = DISTRICTS_SINCE
FORMER_UNTIL = date(2023, 6, 30)


class Municipality(NamedTuple):
    code: str
    name: str
    official_name: str
    county_code: str
    org_number: str


MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("0114", "Upplands Väsby", "Upplands Väsby kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0115", "Vallentuna", "Vallentuna kommun", STOCKHOLM_COUNTY, "212000-0027"),
    Municipality("0117", "Österåker", "Österåkers kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0120", "Värmdö", "Värmdö kommun", STOCKHOLM_COUNTY, "212000-0035"),
    Municipality("0123", "Järfälla", "Järfälla kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0125", "Ekerö", "Ekerö kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0126", "Huddinge", "Huddinge kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0127", "Botkyrka", "Botkyrka kommun", STOCKHOLM_COUNTY, "212000-2882"),
    Municipality("0128", "Salem", "Salems kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0136", "Haninge", "Haninge kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0138", "Tyresö", "Tyresö kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0139", "Upplands-Bro", "Upplands-Bro kommun", STOCKHOLM_COUNTY, "212000-0100"),
    Municipality("0140", "Nykvarn", "Nykvarns kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0160", "Täby", "Täby kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0162", "Danderyd", "Danderyds kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0163", "Sollentuna", "Sollentuna kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0180", "Stockholm", "Stockholms stad", STOCKHOLM_COUNTY, "212000-0142"),
    Municipality("0181", "Södertälje", "Södertälje kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0182", "Nacka", "Nacka kommun", STOCKHOLM_COUNTY, "212000-0167"),
    Municipality("0183", "Sundbyberg", "Sundbybergs stad", STOCKHOLM_COUNTY, ""),
    Municipality("0184", "Solna", "Solna stad", STOCKHOLM_COUNTY, ""),
    Municipality("0186", "Lidingö", "Lidingö stad", STOCKHOLM_COUNTY, ""),
    Municipality("0187", "Vaxholm", "Vaxholms stad", STOCKHOLM_COUNTY, ""),
    Municipality("0188", "Norrtälje", "Norrtälje kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0191", "Sigtuna", "Sigtuna kommun", STOCKHOLM_COUNTY, ""),
    Municipality("0192", "Nynäshamn", "Nynäshamns kommun", STOCKHOLM_COUNTY, ""),
    Municipality("1280", "Malmö", "Malmö stad", SKANE_COUNTY, "212000-1124"),
    Municipality("1480", "Göteborg", "Göteborgs stad", VASTRA_GOTALAND_COUNTY, "212000-1355"),
)

STOCKHOLM_CODE = "0180"

MUNICIPALITY_CODES_FILE = Path(__file__).with_name("data") / "municipalities.json"


class MunicipalityCodes(NamedTuple):
    """SCB's list of every Swedish municipality as shipped: (code, name) and where from."""

    source: str
    source_date: str
    municipalities: tuple[tuple[str, str], ...]


def swedish_municipalities(path: Path = MUNICIPALITY_CODES_FILE) -> MunicipalityCodes:
    data = json.loads(path.read_text(encoding="utf-8"))
    return MunicipalityCodes(
        source=data["source"],
        source_date=data["source_date"],
        municipalities=tuple((m["code"], m["name"]) for m in data["municipalities"]),
    )


# slug -> name, as in SPEC §9 and CONTRACTS.md.
STOCKHOLM_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("bromma", "Bromma"),
    ("enskede-arsta-vantor", "Enskede-Årsta-Vantör"),
    ("farsta", "Farsta"),
    ("hagersten-alvsjo", "Hägersten-Älvsjö"),
    ("hasselby-vallingby", "Hässelby-Vällingby"),
    ("jarva", "Järva"),
    ("kungsholmen", "Kungsholmen"),
    ("norra-innerstaden", "Norra innerstaden"),
    ("skarpnack", "Skarpnäck"),
    ("skarholmen", "Skärholmen"),
    ("sodermalm", "Södermalm"),
)


# Districts formed later than the rest: slug -> first day.
DISTRICT_VALID_FROM: dict[str, date] = {
    "jarva": DISTRICTS_SINCE,
    "norra-innerstaden": DISTRICTS_SINCE,
    "hagersten-alvsjo": date(2020, 1, 1),
}

# Former districts (ended 2023-06-30): slug -> name.
FORMER_STOCKHOLM_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("rinkeby-kista", "Rinkeby-Kista"),
    ("spanga-tensta", "Spånga-Tensta"),
    ("ostermalm", "Östermalm"),
    ("norrmalm", "Norrmalm"),
)

# The 2023 mergers: (ending slugs, successor slug, decision).
MERGERS_2023: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("rinkeby-kista", "spanga-tensta"),
        "jarva",
        "Stockholms stads omorganisation av stadsdelsnämnderna 2023",
    ),
    (
        ("ostermalm", "norrmalm"),
        "norra-innerstaden",
        "Stockholms stads omorganisation av stadsdelsnämnderna 2023",
    ),
)


def district_code(slug: str) -> str:
    return f"{STOCKHOLM_CODE}-{slug}"


POLICE_ROOT = ("polisen", "Polismyndigheten", "Polismyndigheten")
ROC_CODE = "polisen-roc"
# Local police areas (lokalpolisområden) have codes `polisen-lpo-<area>`.
LOCAL_POLICE_PREFIX = "polisen-lpo-"
# code, name (parent: polisen)
POLICE_UNITS: tuple[tuple[str, str], ...] = (
    ("polisen-roc", "Polisen, Regionalt operativt center Stockholm (ROC)"),
    ("polisen-bops", "Polisen, brottsoffer- och personsäkerhetssektionen Stockholm (BOPS)"),
    ("polisen-lpo-norra-innerstaden", "Polisen, lokalpolisområde Norra innerstaden"),
    ("polisen-lpo-sodermalm", "Polisen, lokalpolisområde Södermalm"),
    ("polisen-lpo-farsta", "Polisen, lokalpolisområde Farsta"),
    ("polisen-lpo-nacka", "Polisen, lokalpolisområde Nacka"),
    ("polisen-lpo-sodertalje", "Polisen, lokalpolisområde Södertälje"),
    ("polisen-lpo-jarva", "Polisen, lokalpolisområde Järva"),
    ("polisen-lpo-solna", "Polisen, lokalpolisområde Solna"),
    ("polisen-lpo-sodra-roslagen", "Polisen, lokalpolisområde Södra Roslagen"),
)


def write_municipality_codes(
    codes: MunicipalityCodes, checked: date, path: Path = MUNICIPALITY_CODES_FILE
) -> None:
    """The shipped file, one municipality a line (a diff shows a renamed municipality)."""
    rows = ",\n".join(
        "  " + json.dumps({"code": code, "name": name}, ensure_ascii=False)
        for code, name in codes.municipalities
    )
    head = json.dumps(
        {"source": codes.source, "source_date": codes.source_date, "checked": str(checked)},
        ensure_ascii=False,
        indent=1,
    )
    path.write_text(f'{head[:-2]},\n "municipalities": [\n{rows}\n ]\n}}\n', encoding="utf-8")


def load_swedish_municipalities(organisation_model: Any, codes: MunicipalityCodes) -> None:
    """Every municipality of SCB's list not among `MUNICIPALITIES`: created, or its name
    and county code brought up to date. What an administrator entered stays; a code
    no longer listed is kept (reports and agreements point at it)."""
    detailed = {m.code for m in MUNICIPALITIES}
    wanted = {code: name for code, name in codes.municipalities if code not in detailed}
    existing = {o.code: o for o in organisation_model.objects.filter(code__in=wanted)}
    organisation_model.objects.bulk_create(
        organisation_model(code=code, name=name, kind="municipality", county_code=code[:2])
        for code, name in wanted.items()
        if code not in existing
    )
    for code, organisation in existing.items():
        if (organisation.name, organisation.county_code) != (wanted[code], code[:2]):
            organisation.name, organisation.county_code = wanted[code], code[:2]
            organisation.save(update_fields=["name", "county_code"])


def load_reference_data(organisation_model: Any, codes: MunicipalityCodes | None = None) -> None:
    """Create or update every reference organisation. Safe to run again.

    `codes`: SCB's municipality list to load (default: the shipped file)."""
    load_swedish_municipalities(organisation_model, codes or swedish_municipalities())
    upsert = organisation_model.objects.update_or_create
    for municipality in MUNICIPALITIES:
        defaults = {
            "name": municipality.name,
            "official_name": municipality.official_name,
            "kind": "municipality",
            "county_code": municipality.county_code,
            "parent": None,
        }
        if municipality.org_number:
            # A number an administrator entered where we ship none is kept.
            defaults["org_number"] = municipality.org_number
        upsert(code=municipality.code, defaults=defaults)
    stockholm = organisation_model.objects.get(code=STOCKHOLM_CODE)
    # Current districts (some valid from a later day) and the former ones (until 2023).
    districts: list[tuple[str, str, dict[str, date | None]]] = [
        (slug, name, {"valid_from": DISTRICT_VALID_FROM.get(slug)})
        for slug, name in STOCKHOLM_DISTRICTS
    ]
    districts += [
        (slug, name, {"valid_to": FORMER_UNTIL}) for slug, name in FORMER_STOCKHOLM_DISTRICTS
    ]
    for slug, name, validity in districts:
        upsert(
            code=district_code(slug),
            defaults={
                "name": name,
                "official_name": f"{name} stadsdelsnämnd",
                "kind": "district",
                "county_code": STOCKHOLM_COUNTY,
                "parent": stockholm,
                **validity,
            },
        )
    root_code, root_name, root_official = POLICE_ROOT
    police, _ = upsert(
        code=root_code,
        defaults={
            "name": root_name,
            "official_name": root_official,
            "kind": "police_unit",
            "org_number": POLICE_ORG_NUMBER,
            "parent": None,
        },
    )
    for code, name in POLICE_UNITS:
        upsert(
            code=code,
            defaults={
                "name": name,
                "official_name": root_official,
                "kind": "police_unit",
                "county_code": STOCKHOLM_COUNTY,
                "org_number": POLICE_ORG_NUMBER,
                "parent": police,
            },
        )


def load_mergers_2023(organisation_model: Any, change_model: Any, successor_model: Any) -> None:
    """The two 2023 mergers as planned changes (once; the job applies them, moving nothing
    on a fresh install and the demo's open work on a demo instance)."""
    for ending_slugs, successor_slug, decision in MERGERS_2023:
        successor = organisation_model.objects.get(code=district_code(successor_slug))
        if successor_model.objects.filter(
            organisation=successor, change__effective_date=MERGED_2023
        ).exists():
            continue
        change = change_model.objects.create(
            kind="merger", effective_date=MERGED_2023, decision=decision, status="planned"
        )
        change.ending.set(
            organisation_model.objects.filter(code__in=[district_code(s) for s in ending_slugs])
        )
        successor_model.objects.create(
            change=change,
            organisation=successor,
            responsibilities=["agreements", "defectors", "collaboration", "units", "users"],
        )
