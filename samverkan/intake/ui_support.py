"""Small read helpers the web UI needs beside the backend's services and selectors.

No business rule lives here: eligibility, routing and deadlines come from
`services.report_decide`; what a user may see comes from the selectors. This
module only turns registry rows into what a form needs (municipality names
and codes for the search list) and looks up the phone numbers shown beside
an escalated queue row (ordered by `registry.rules.numbers_to_call`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from django.utils import timezone

from samverkan.core.calendar import local_date, local_datetime
from samverkan.core.identity import InvalidPersonId, PersonId, age_on, parse_person_id
from samverkan.intake.rules import units_to_call
from samverkan.intake.snapshot import registry_snapshot
from samverkan.registry.models import ContactPerson, Organisation
from samverkan.registry.rules import NumberToCall, numbers_to_call
from samverkan.registry.selectors import municipalities, municipality_of, stockholm_districts

_CODE_IN_TEXT = re.compile(r"\b(\d{4})\b")
_NAME_SUFFIXES = (" kommun", " stad", " stadsdelsförvaltning", " stadsdelsområde")


@dataclass(frozen=True)
class MunicipalityOption:
    code: str
    name: str

    @property
    def label(self) -> str:
        """What the search list shows and the field receives: "Nacka kommun (0182)"."""
        return f"{self.name} ({self.code})"


def municipality_options() -> list[MunicipalityOption]:
    """Every municipality in the registry, by name (the datalist of the registration page)."""
    return [
        MunicipalityOption(code=code, name=name)
        for code, name in municipalities().order_by("name").values_list("code", "name")
    ]


def district_options() -> list[tuple[str, str]]:
    """Stockholm's districts as (name, label): the rules name a district by its registry name."""
    # Former districts (issue 10) are not offered.
    valid = Organisation.objects.valid_on(local_date(timezone.now()))
    names = (valid & stockholm_districts()).order_by("name")
    return [(name, name) for name in names.values_list("name", flat=True)]


def _plain(name: str) -> str:
    name = name.strip().casefold()
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)].strip()
    return name


def municipality_code(value: str, options: list[MunicipalityOption] | None = None) -> str | None:
    """The code for what the user typed: "0182", "Nacka", "nacka kommun" or "Nacka kommun (0182)".

    None when nothing (or more than one municipality) matches.
    """
    value = value.strip()
    if not value:
        return None
    options = options if options is not None else municipality_options()
    codes = {option.code for option in options}
    found = _CODE_IN_TEXT.search(value)
    if found and found.group(1) in codes:
        return found.group(1)
    wanted = _plain(re.sub(r"\(.*?\)", "", value))
    matches = [option.code for option in options if _plain(option.name) == wanted]
    if len(matches) == 1:
        return matches[0]
    starts = [option.code for option in options if _plain(option.name).startswith(wanted)]
    if wanted and len(starts) == 1:
        return starts[0]
    return None


@dataclass(frozen=True)
class PersonIdCheck:
    """What the registration page says beside the identity number while it is typed."""

    ok: bool
    message: str
    person: PersonId | None = None


def person_id_check(value: str, *, on: date) -> PersonIdCheck:
    value = value.strip()
    if not value:
        return PersonIdCheck(ok=True, message="")
    digits = re.sub(r"\D", "", value)
    if len(digits) < 10:
        return PersonIdCheck(ok=False, message="Skriv 10 eller 12 siffror, t.ex. ÅÅMMDD-NNNN.")
    try:
        person = parse_person_id(value, on=on)
    except InvalidPersonId as error:
        return PersonIdCheck(ok=False, message=error.message)
    kind = "Samordningsnummer" if person.is_coordination_number else "Personnummer"
    age = age_on(person.birth_date, on)
    return PersonIdCheck(
        ok=True,
        message=f"{kind} {person.formatted} är giltigt – {age} år.",
        person=person,
    )


@dataclass(frozen=True)
class Fallbacks:
    numbers: tuple[NumberToCall, ...]
    contact_persons: list[ContactPerson]


def fallbacks_for_organisations(codes: set[str], *, now: datetime) -> dict[str, Fallbacks]:
    """The numbers to call, who answers `now` first, and the contact persons per
    controller code (the red rows of the hub queue)."""
    if not codes:
        return {}
    organisations = list(Organisation.objects.filter(code__in=codes).select_related("parent"))
    wanted = {o.pk for o in organisations} | {o.parent_id for o in organisations if o.parent_id}
    persons = list(
        ContactPerson.objects.filter(organisation_id__in=wanted).order_by(
            "escalation_order", "name"
        )
    )
    # The numbers from the registry snapshot the routing uses, not a look-up per unit:
    # the hub's queue, polled all night, ran four queries a red row.
    registry = registry_snapshot(now)
    local = local_datetime(now)

    def numbers(organisation: Organisation) -> tuple[NumberToCall, ...]:
        municipality = municipality_of(organisation) or organisation
        units = units_to_call(registry, None, organisation.code, municipality.code)
        return numbers_to_call(units, local)

    return {
        organisation.code: Fallbacks(
            numbers=numbers(organisation),
            contact_persons=[
                p for p in persons if p.organisation_id in {organisation.pk, organisation.parent_id}
            ],
        )
        for organisation in organisations
    }


V = TypeVar("V")


def remember(entries: dict[str, V], key: str, value: V, *, keep: int) -> dict[str, V]:
    """A session's small memory (sent forms, shown decisions) with one entry added and
    only the newest `keep` kept, so a session never grows without end."""
    remembered = {**entries, key: value}
    return dict(list(remembered.items())[-keep:])
