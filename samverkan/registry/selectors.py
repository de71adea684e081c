"""Reads of the registry. Reference data is not personal data: no scoping, no audit.

Routing (issue 4) asks, per report: whose intake unit, whose out-of-hours
service, open or not. That is three to four indexed queries here; the units
come with their office hours and phone lines prefetched so the caller can
ask `unit_is_open` and show `phone_for` without more queries. No process
cache: with several application servers a cache would need invalidation
across processes to never show a stale phone number, and the queries are
cheap (a few hundred rows in all). Revisit with a version-stamped cache only
if profiling the hub's registration page says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Q, QuerySet

from samverkan.registry.models import (
    Organisation,
    OrganisationKind,
    PhoneLine,
    PhonePurpose,
    Unit,
    UnitKind,
)
from samverkan.registry.reference_data import LOCAL_POLICE_PREFIX, STOCKHOLM_CODE
from samverkan.registry.rules import (
    Line,
    NumberToCall,
    OpeningInterval,
    UnitLines,
    is_open,
    numbers_to_call,
)


def local_police_units() -> QuerySet[Organisation]:
    """The local police areas (lokalpolisområden), the police parties of local collaboration."""
    return Organisation.objects.filter(
        kind=OrganisationKind.POLICE_UNIT, code__startswith=LOCAL_POLICE_PREFIX
    ).order_by("name")


def stockholm_districts() -> QuerySet[Organisation]:
    """Stockholm's districts (stadsdelsområden), current and former."""
    return Organisation.objects.filter(
        kind=OrganisationKind.DISTRICT, parent__code=STOCKHOLM_CODE
    ).order_by("name")


def municipality_of(organisation: Organisation | None) -> Organisation | None:
    """The municipality an organisation belongs to: itself, or the nearest one above it."""
    seen = 0
    while organisation is not None and seen < 10:  # the tree is shallow; a cycle must not hang
        if organisation.kind == OrganisationKind.MUNICIPALITY:
            return organisation
        organisation = organisation.parent
        seen += 1
    return None


def descendant_ids(root_ids: Iterable[int]) -> frozenset[int]:
    """The given organisations and every organisation below them (one query per level)."""
    found = set(root_ids)
    frontier = set(found)
    while frontier:
        frontier = (
            set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
            - found
        )
        found |= frontier
    return frozenset(found)


def organisation_by_code(code: str) -> Organisation:
    """The organisation with this code; raises `Organisation.DoesNotExist`."""
    return Organisation.objects.select_related("parent").get(code=code)


def municipalities() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("code")


def districts_of(municipality: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrganisationKind.DISTRICT, parent=municipality
    ).order_by("name")


def district_by_name(municipality: Organisation, name: str) -> Organisation:
    """A district of `municipality` by its registry name, case-insensitively ("Farsta")."""
    return districts_of(municipality).get(name__iexact=name.strip())


def _units(on: date | None) -> QuerySet[Unit]:
    units = Unit.objects.select_related("organisation").prefetch_related(
        "office_hours", "phone_lines", "covers"
    )
    if on is not None:
        units = units.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
    return units.order_by("code")


def intake_unit_for(organisation: Organisation, *, on: date | None = None) -> Unit | None:
    """The organisation's own intake unit (a district's own, a municipality's own)."""
    return _units(on).filter(kind=UnitKind.INTAKE, organisation=organisation).first()


def out_of_hours_unit_for(organisation: Organisation, *, on: date | None = None) -> Unit | None:
    """The out-of-hours service covering the organisation, own or joint.

    A district is covered through its municipality when no unit covers it
    directly: a Stockholm district gets the hub, which covers 0180.
    """
    current: Organisation | None = organisation
    while current is not None:
        unit = _units(on).filter(kind=UnitKind.OUT_OF_HOURS, covers=current).first()
        if unit is not None:
            return unit
        current = current.parent if current.kind == OrganisationKind.DISTRICT else None
    return None


def hub_unit() -> Unit:
    """Socialjouren Stockholm, the hub; raises `Unit.DoesNotExist` without registry data."""
    return _units(None).get(is_hub=True)


def opening_intervals(unit: Unit) -> list[OpeningInterval]:
    return [
        OpeningInterval(hours.weekday, hours.opens, hours.closes, hours.working_days_only)
        for hours in unit.office_hours.all()
    ]


def unit_is_open(unit: Unit, instant: datetime) -> bool:
    return is_open(opening_intervals(unit), instant, open_24_7=unit.open_24_7)


def receiving_unit_for(organisation: Organisation, instant: datetime) -> Unit | None:
    """The intake unit while it is open, the out-of-hours service otherwise."""
    intake = intake_unit_for(organisation)
    if intake is not None and unit_is_open(intake, instant):
        return intake
    return out_of_hours_unit_for(organisation)


PHONE_PREFERENCE = {
    UnitKind.INTAKE: [PhonePurpose.OFFICE_HOURS, PhonePurpose.HANDOVER_24_7],
    UnitKind.OUT_OF_HOURS: [PhonePurpose.HANDOVER_24_7, PhonePurpose.OFFICE_HOURS],
}


def phone_lines(unit: Unit) -> list[PhoneLine]:
    """The unit's lines in calling order: main purpose first, fallbacks last."""
    order = PHONE_PREFERENCE.get(UnitKind(unit.kind), [PhonePurpose.OFFICE_HOURS])
    rank = {purpose: index for index, purpose in enumerate(order)}
    lines = list(unit.phone_lines.all())
    return sorted(lines, key=lambda line: (rank.get(PhonePurpose(line.purpose), 99), line.priority))


def phone_for(unit: Unit) -> str:
    """The number to call to hand a report over to the unit ("" if none is registered)."""
    lines = [line for line in phone_lines(unit) if line.purpose != PhonePurpose.POLICE_LINE]
    return lines[0].number if lines else ""


def unit_lines(unit: Unit) -> UnitLines:
    """The unit as `rules.numbers_to_call` sees it (hours and lines prefetched by `_units`)."""
    return UnitLines(
        name=unit.name,
        kind=unit.kind,
        intervals=tuple(opening_intervals(unit)),
        open_24_7=unit.open_24_7,
        is_hub=unit.is_hub,
        lines=tuple(
            Line(line.number, line.purpose, line.priority) for line in unit.phone_lines.all()
        ),
        id=unit.pk,
    )


def units_to_call(organisation: Organisation, *, first: Unit | None = None) -> list[Unit]:
    """The units that take reports for `organisation` (a municipality or district): the
    unit the report was routed to, its intake unit (a district's, else its
    municipality's) and the out-of-hours service covering it, own or joint."""
    municipality = municipality_of(organisation)
    intake = intake_unit_for(organisation)
    if intake is None and municipality is not None and municipality != organisation:
        intake = intake_unit_for(municipality)
    found = [first, intake, out_of_hours_unit_for(organisation)]
    units: list[Unit] = []
    for unit in found:
        if unit is not None and unit.pk not in {u.pk for u in units}:
            units.append(unit)
    return units


def numbers_to_call_for(
    organisation: Organisation, instant: datetime, *, first: Unit | None = None
) -> tuple[NumberToCall, ...]:
    """The numbers the hub calls for `organisation` at `instant`, who answers now first."""
    return numbers_to_call(
        [unit_lines(unit) for unit in units_to_call(organisation, first=first)], instant
    )


def covered_codes(unit: Unit) -> list[str]:
    return sorted(organisation.code for organisation in unit.covers.all())


def home_district(municipality: Organisation, name: str, *, on: date | None = None) -> Organisation:
    """The district a child registered in district `name` belongs to on `on` (default today).

    Accepts former names and answers with the successor: "Spånga-Tensta" is Järva
    from 2023-07-01 (issue 10). Raises `Organisation.DoesNotExist` for an unknown
    name, or a former one whose successor is not yet valid on `on`.
    """
    from django.utils import timezone

    from samverkan.core.calendar import local_date
    from samverkan.registry.change_rules import current_names
    from samverkan.registry.changes import successions

    day = on or local_date(timezone.now())
    every = districts_of(municipality)
    names = current_names(
        {d.name.casefold(): d.pk for d in every},
        {d.pk: d.name.casefold() for d in every if d.is_valid_on(day)},
        day,
        successions(),
    )
    found = names.get(name.strip().casefold())
    if found is None:
        raise Organisation.DoesNotExist(f"no district {name!r} of {municipality.code} on {day}")
    return Organisation.objects.select_related("parent").get(pk=found)
