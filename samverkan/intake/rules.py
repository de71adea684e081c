"""Single entry: eligibility, routing and deadlines of a police concern report (pure).

SPEC §4.2–4.5 and §9, issue 4. Nothing here touches the database or the clock:
`decide(facts, registry, late_from=...)` takes the report's facts and a snapshot
of the registry at the instant of receipt and returns a `Decision`.

Reading of the rules (docs/decisions/0002-eligibility.md):

* All four conditions of the agreement's target group must hold (source 02 §2):
  under 18 on the Swedish date of receipt, found within Stockholm county, risk in
  connection with gang-related crime, and *hemmahörande i avtalssamverkande
  kommun* — a home municipality with an agreement in force at the instant.
  Stockholm (0180) needs no agreement: the hub is its own out-of-hours service;
  its children are routed to their district.
* Home municipality unknown: the reason ``home_municipality_unknown`` is listed
  and the report is NOT eligible — the agreement covers only children
  *hemmahörande* in an agreeing municipality, and without a home municipality
  there is no controller on whose behalf the hub may keep the data. The
  municipality of stay (``found_in``, vistelsekommun, SoL 29 kap. 4 §) is then
  responsible, and the decision names it and its receiving unit so the hub can
  tell the police whom to call. (Stockholm found-in: the hub is that
  municipality's own service, but it is still outside single entry.)
* ``no_agreement_in_force`` is only reported when the home municipality is known.
* An invalid identity number leaves the age unknown: only ``invalid_person_id``
  is reported for identity, never a guessed age.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from functools import cached_property
from typing import Any

from samverkan.core.calendar import api_instant, local_date, local_datetime
from samverkan.core.deadlines import (
    preliminary_assessment_due,
    protection_assessment_due,
)
from samverkan.core.identity import InvalidPersonId, age_on, parse_person_id
from samverkan.registry.reference_data import STOCKHOLM_CODE
from samverkan.registry.rules import Line, NumberToCall, OpeningInterval, is_open, numbers_to_call

AGE_LIMIT = 18


class Reason:
    """Reason codes, in the order they are listed."""

    INVALID_PERSON_ID = "invalid_person_id"
    AGE_18_OR_OVER = "age_18_or_over"
    FOUND_OUTSIDE_COUNTY = "found_outside_county"
    NOT_GANG_RELATED = "not_gang_related"
    HOME_MUNICIPALITY_UNKNOWN = "home_municipality_unknown"
    NO_AGREEMENT_IN_FORCE = "no_agreement_in_force"

    ALL = (
        INVALID_PERSON_ID,
        AGE_18_OR_OVER,
        FOUND_OUTSIDE_COUNTY,
        NOT_GANG_RELATED,
        HOME_MUNICIPALITY_UNKNOWN,
        NO_AGREEMENT_IN_FORCE,
    )


REASON_LABELS = {
    Reason.INVALID_PERSON_ID: "Identitetsnumret är ogiltigt",
    Reason.AGE_18_OR_OVER: "Personen har fyllt 18 år",
    Reason.FOUND_OUTSIDE_COUNTY: "Påträffad utanför Stockholms län",
    Reason.NOT_GANG_RELATED: "Inte risk i samband med gängrelaterad brottslighet",
    Reason.HOME_MUNICIPALITY_UNKNOWN: "Bosättningskommunen är okänd",
    Reason.NO_AGREEMENT_IN_FORCE: "Bosättningskommunen har inget avtal om en ingång som gäller nu",
}


class UnitKind:
    INTAKE = "intake"
    OUT_OF_HOURS = "out_of_hours"


# --- Inputs -------------------------------------------------------------------


@dataclass(frozen=True)
class ChildFacts:
    """What the police tell the hub about the child: all the rules decide on, but the time.

    `birth_date` is the estimate when `person_id` is None.
    """

    person_id: str | None
    birth_date: date | None
    found_in: str
    home_municipality: str | None
    home_district: str | None  # a Stockholm district's name as in the registry
    gang_related: bool

    def received(self, at: datetime) -> ReportFacts:
        """Just these facts (not a subclass's other fields), received by the hub `at`."""
        told = {fact.name: getattr(self, fact.name) for fact in fields(ChildFacts)}
        return ReportFacts(**told, received_at=at)


@dataclass(frozen=True)
class ReportFacts(ChildFacts):
    """The facts about the child as the hub received them: what `decide` decides on."""

    received_at: datetime


@dataclass(frozen=True)
class UnitInfo:
    name: str
    kind: str  # UnitKind
    organisation: str  # code of the organisation the unit belongs to
    covers: tuple[str, ...] = ()  # codes of the organisations it receives reports for
    phone: str = ""
    intervals: tuple[OpeningInterval, ...] = ()
    open_24_7: bool = False
    id: int | None = None  # registry.Unit pk, when built from the database
    is_hub: bool = False  # Socialjouren Stockholm: the one calling, never told to call itself
    lines: tuple[Line, ...] = ()  # every phone line, for `numbers_to_call`

    def serves(self, code: str) -> bool:
        return self.organisation == code or code in self.covers


@dataclass(frozen=True)
class RegistrySnapshot:
    """The registry and the agreements as they are at the instant of receipt."""

    county_municipalities: frozenset[str]
    municipality_names: Mapping[str, str]  # every known municipality code → name
    districts: Mapping[str, str]  # Stockholm district name → organisation code
    units: tuple[UnitInfo, ...]
    agreements_in_force: frozenset[str]
    district_names: Mapping[str, str] = field(default_factory=dict)  # code → name
    # code → registry.Organisation pk of every municipality and district above, when
    # built from the database: intake stores the routed report without looking them up.
    organisation_ids: Mapping[str, int] = field(default_factory=dict)

    @cached_property
    def units_serving(self) -> dict[tuple[str, str], tuple[UnitInfo, ...]]:
        """(unit kind, organisation code) → the units of that kind serving it, in order.

        Built once per snapshot (the snapshot is cached per day), so routing is a
        dictionary look-up instead of a scan of every unit (issue 8).
        """
        found: dict[tuple[str, str], list[UnitInfo]] = {}
        for unit in self.units:
            for code in dict.fromkeys((unit.organisation, *unit.covers)):
                found.setdefault((unit.kind, code), []).append(unit)
        return {key: tuple(units) for key, units in found.items()}

    def district_name(self, code: str) -> str:
        if code in self.district_names:
            return self.district_names[code]
        for name, value in self.districts.items():
            if value == code:
                return name
        return code


# --- Output -------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivingUnit:
    name: str
    kind: str
    phone: str
    covers: tuple[str, ...]
    id: int | None = None
    is_hub: bool = False


@dataclass(frozen=True)
class Decision:
    eligible: bool
    reasons: tuple[str, ...]
    responsible_municipality: str | None
    responsible_district: str | None  # district name, as given
    responsible_organisation: str | None  # controller code: municipality or district
    office_hours: bool
    receiving_unit: ReceivingUnit | None
    received_at: datetime
    protection_assessment_due: datetime
    preliminary_assessment_due: date
    advice: str
    birth_date: date | None = None
    age: int | None = None
    person_id: str | None = None  # normalised 12 digits, when valid
    # Every number to call for the responsible organisation, who answers now first.
    numbers: tuple[NumberToCall, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The decision exactly as the `route` command and the API print it.

        A report that is not covered carries no deadlines: nothing is registered
        for the hub to keep, so no assessment is due on its account (issue 18)."""
        unit = self.receiving_unit
        deadlines: dict[str, str | None] = (
            {
                "protection_assessment_due": api_instant(self.protection_assessment_due),
                "preliminary_assessment_due": self.preliminary_assessment_due.isoformat(),
            }
            if self.eligible
            else {"protection_assessment_due": None, "preliminary_assessment_due": None}
        )
        return {
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            "responsible_municipality": self.responsible_municipality,
            "responsible_district": self.responsible_district,
            "office_hours": self.office_hours,
            "receiving_unit": (
                None
                if unit is None
                else {
                    "name": unit.name,
                    "kind": unit.kind,
                    "phone": unit.phone,
                    "covers": list(unit.covers),
                }
            ),
            "received_at": api_instant(self.received_at),
            **deadlines,
            "numbers": [number.as_json() for number in self.numbers],
        }


# --- Rules --------------------------------------------------------------------


def route(
    registry: RegistrySnapshot, organisation: str, municipality: str, instant: datetime
) -> tuple[UnitInfo | None, bool]:
    """The unit to call now for `organisation` (a municipality or district) and office hours.

    The organisation's intake unit while it is open; otherwise the out-of-hours
    service (own or joint) serving the organisation or, for a district, its
    municipality.
    """
    serving = registry.units_serving
    intake = next(iter(serving.get((UnitKind.INTAKE, organisation), ())), None)
    if intake is None and organisation != municipality:
        intake = next(iter(serving.get((UnitKind.INTAKE, municipality), ())), None)
    office_hours = intake is not None and is_open(
        intake.intervals, instant, open_24_7=intake.open_24_7
    )
    if intake is not None and office_hours:
        return intake, True
    for code in (organisation, municipality):
        out_of_hours = next(
            (
                u
                for u in serving.get((UnitKind.OUT_OF_HOURS, code), ())
                if is_open(u.intervals, instant, open_24_7=u.open_24_7 or not u.intervals)
            ),
            None,
        )
        if out_of_hours is not None:
            return out_of_hours, False
    # No out-of-hours service open by its hours: still name one rather than none.
    for code in (organisation, municipality):
        fallback = next(iter(serving.get((UnitKind.OUT_OF_HOURS, code), ())), None)
        if fallback is not None:
            return fallback, False
    return intake, False


def birth_date_and_age(facts: ReportFacts) -> tuple[str | None, date | None, int | None, bool]:
    """(normalised person id, birth date, age on the Swedish date of receipt, id valid)."""
    day = local_date(facts.received_at)
    if facts.person_id:
        try:
            person = parse_person_id(facts.person_id, on=day)
        except InvalidPersonId:
            return None, None, None, False
        return person.number, person.birth_date, age_on(person.birth_date, day), True
    if facts.birth_date is None or facts.birth_date > day:
        return None, None, None, False
    return None, facts.birth_date, age_on(facts.birth_date, day), True


def decide(facts: ReportFacts, registry: RegistrySnapshot, *, late_from: time) -> Decision:
    """Eligibility, responsibility, routing and deadlines for one report."""
    if facts.received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    reasons: list[str] = []
    person_id, birth_date, age, valid = birth_date_and_age(facts)
    if not valid:
        reasons.append(Reason.INVALID_PERSON_ID)
    elif age is not None and age >= AGE_LIMIT:
        reasons.append(Reason.AGE_18_OR_OVER)
    if facts.found_in not in registry.county_municipalities:
        reasons.append(Reason.FOUND_OUTSIDE_COUNTY)
    if not facts.gang_related:
        reasons.append(Reason.NOT_GANG_RELATED)
    home = facts.home_municipality
    if home is None:
        reasons.append(Reason.HOME_MUNICIPALITY_UNKNOWN)
    elif home != STOCKHOLM_CODE and home not in registry.agreements_in_force:
        reasons.append(Reason.NO_AGREEMENT_IN_FORCE)

    municipality = home if home is not None else facts.found_in
    district_name = facts.home_district if home == STOCKHOLM_CODE else None
    district_code = registry.districts.get(district_name) if district_name else None
    organisation = district_code or municipality

    # Converted to Swedish time once; route and the deadlines take it as it is.
    local = local_datetime(facts.received_at)
    unit, office_hours = route(registry, organisation, municipality, local)
    receiving = _receiving(unit)
    # Where the child is now: its municipality answers for an acute need (SoL 29 kap. 4 §).
    acute = _receiving(route(registry, facts.found_in, facts.found_in, local)[0])
    decision_reasons = tuple(reasons)
    return Decision(
        eligible=not decision_reasons,
        reasons=decision_reasons,
        responsible_municipality=municipality,
        # A former name ("Spånga-Tensta") answers with the district it is now (issue 10).
        responsible_district=registry.district_name(district_code) if district_code else None,
        responsible_organisation=organisation,
        office_hours=office_hours,
        receiving_unit=receiving,
        received_at=facts.received_at,
        protection_assessment_due=protection_assessment_due(local, late_from=late_from),
        preliminary_assessment_due=preliminary_assessment_due(local),
        advice=advice(
            decision_reasons, municipality, district_code, receiving, registry, facts, acute=acute
        ),
        birth_date=birth_date,
        age=age,
        person_id=person_id,
        numbers=numbers_to_call(units_to_call(registry, unit, organisation, municipality), local),
    )


def _receiving(unit: UnitInfo | None) -> ReceivingUnit | None:
    if unit is None:
        return None
    # Written out, not copied by name (`core.mapping`): `decide` runs for every report and
    # every check of the hub's form while it is filled in, and costs less this way.
    return ReceivingUnit(
        name=unit.name,
        kind=unit.kind,
        phone=unit.phone,
        covers=unit.covers,
        id=unit.id,
        is_hub=unit.is_hub,
    )


def units_to_call(
    registry: RegistrySnapshot, routed: UnitInfo | None, organisation: str, municipality: str
) -> list[UnitInfo]:
    """The unit routed to, the intake unit and the out-of-hours service serving the
    organisation (a district's own, else its municipality's), as
    `registry.selectors.units_to_call` does: the units whose numbers the hub may call."""
    serving = registry.units_serving
    units = [routed] if routed is not None else []
    for kind in (UnitKind.INTAKE, UnitKind.OUT_OF_HOURS):
        found = serving.get((kind, organisation)) or serving.get((kind, municipality), ())
        units += [u for u in found[:1] if u not in units]
    return units


def _name(registry: RegistrySnapshot, code: str | None) -> str:
    if code is None:
        return "okänd kommun"
    return registry.municipality_names.get(code, code)


def _call(unit: ReceivingUnit | None, registry: RegistrySnapshot, code: str | None) -> str:
    """Whom to call, as the hub worker reads it out (the hub never calls itself)."""
    if unit is None:
        return f"socialtjänsten i {_name(registry, code)} (inget nummer i registret)"
    if unit.is_hub:
        return f"{unit.name} – ni själva, Stockholms stads socialjour, tar emot direkt"
    return f"{unit.name}, telefon {unit.phone}" if unit.phone else unit.name


def advice(
    reasons: tuple[str, ...],
    municipality: str | None,
    district_code: str | None,
    unit: ReceivingUnit | None,
    registry: RegistrySnapshot,
    facts: ReportFacts,
    *,
    acute: ReceivingUnit | None = None,
) -> str:
    """What the hub worker says to the police, in Swedish (SPEC §4.3)."""
    call = _call(unit, registry, municipality)
    if not reasons:
        where = (
            f"stadsdelsområdet {registry.district_name(district_code)} i Stockholms stad"
            if district_code
            else _name(registry, municipality)
        )
        text = f"Anmälan omfattas av en ingång. Socialjouren tar emot den för {where}s räkning " + (
            "och är utanför kontorstid själv stadens socialjour: ni tar hand om den nu, "
            "och mottagningen tar över när den öppnar."
            if unit is not None and unit.is_hub
            else f"och lämnar över den till {call}."
        )
        if facts.home_municipality == STOCKHOLM_CODE and not district_code:
            text += (
                " Stockholm behöver inget avtal; ta reda på barnets stadsdelsområde "
                "och lämna över dit."
            )
        return text
    lines: list[str] = []
    if Reason.INVALID_PERSON_ID in reasons:
        lines.append(
            "Identitetsnumret är ogiltigt. Kontrollera det med polisen; är identiteten okänd, "
            "registrera ett uppskattat födelsedatum i stället."
        )
    if Reason.AGE_18_OR_OVER in reasons:
        lines.append(
            "Personen har fyllt 18 år och omfattas inte av en ingång, som gäller barn. "
            f"Hänvisa polisen till {call}."
        )
    if Reason.FOUND_OUTSIDE_COUNTY in reasons:
        lines.append(
            "Barnet påträffades utanför Stockholms län och omfattas inte av en ingång. "
            f"Hänvisa polisen till {call} eller socialtjänsten där barnet befinner sig."
        )
    if Reason.NOT_GANG_RELATED in reasons:
        lines.append(
            "Oron gäller inte risk i samband med gängrelaterad brottslighet. "
            f"Polisen gör orosanmälan direkt till {call}."
        )
    if Reason.HOME_MUNICIPALITY_UNKNOWN in reasons:
        lines.append(
            "Bosättningskommunen är okänd. Vistelsekommunen, där barnet påträffades "
            f"({_name(registry, facts.found_in)}), ansvarar för akuta behov "
            f"(SoL 29 kap. 4 §). Hänvisa polisen till {call}."
        )
    if Reason.NO_AGREEMENT_IN_FORCE in reasons:
        lines.append(
            f"{_name(registry, municipality)} har inget avtal om en ingång som gäller nu. "
            f"Ge polisen bosättningskommunens eget nummer: {call}."
        )
        if facts.found_in != municipality:
            lines.append(
                "Vid akut behov ansvarar vistelsekommunen, där barnet påträffades "
                f"({_name(registry, facts.found_in)}, SoL 29 kap. 4 §): "
                f"{_call(acute, registry, facts.found_in)}."
            )
    lines.append("Spara inga personuppgifter: endast en anonym uppgift för statistik sparas.")
    return " ".join(lines)


# --- the receiving side's steps -------------------------------------------------------


def overdue(due: datetime | date, *, done: bool, now: datetime) -> bool:
    """A deadline is overdue only when it has passed and its step is not done.

    A date deadline (preliminary assessment, feedback) passes when its Swedish day
    has ended; a time deadline (protection assessment) at that instant.
    """
    if done:
        return False
    if isinstance(due, datetime):
        return due < now
    return due < local_date(now)


PROTECTION_FIRST = (
    "Registrera den omedelbara skyddsbedömningen först. Förhandsbedömningen kan inte "
    "registreras före skyddsbedömningen (SoL 20 kap. 1–2 §§)."
)
PRELIMINARY_BEFORE_PROTECTION_DAY = (
    "Förhandsbedömningen kan inte vara beslutad före skyddsbedömningen ({day})."
)


def preliminary_refusal(
    protection_made_at: datetime | None, decided_on: date
) -> tuple[str | None, str] | None:
    """Why a preliminary assessment decided on `decided_on` cannot be recorded yet, as
    (field or None for the report's state, Swedish message); None when it can.

    The protection assessment is made at once (SoL 20 kap. 1 §); the preliminary
    assessment decides on the report after it, so it comes second, also in time.
    """
    if protection_made_at is None:
        return None, PROTECTION_FIRST
    made_on = local_date(protection_made_at)
    if decided_on < made_on:
        return "decided_on", PRELIMINARY_BEFORE_PROTECTION_DAY.format(day=made_on.isoformat())
    return None
