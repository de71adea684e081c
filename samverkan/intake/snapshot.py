"""Build the rules' `RegistrySnapshot` from the registry and agreements at an instant."""

from __future__ import annotations

from datetime import datetime, time

from samverkan.agreements.selectors import single_entry_municipalities_in_force
from samverkan.core.calendar import local_date
from samverkan.core.deadlines import late_report_from
from samverkan.intake.rules import (
    STOCKHOLM_CODE,
    OpeningInterval,
    RegistrySnapshot,
    UnitInfo,
    UnitKind,
)
from samverkan.registry.models import Organisation, OrganisationKind, Unit
from samverkan.registry.selectors import phone_for

STOCKHOLM_COUNTY = "01"


def late_from() -> time:
    """The `LATE_REPORT_FROM` setting as a time (default 20:00)."""
    return late_report_from()


def _valid_on(obj: Organisation | Unit, instant: datetime) -> bool:
    day = local_date(instant)
    return (obj.valid_from is None or obj.valid_from <= day) and (
        obj.valid_to is None or day <= obj.valid_to
    )


def registry_snapshot(instant: datetime) -> RegistrySnapshot:
    """The registry as it is at `instant` (a handful of queries, no per-row queries)."""
    organisations = [
        o
        for o in Organisation.objects.filter(
            kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.DISTRICT]
        ).select_related("parent")
        if _valid_on(o, instant)
    ]
    municipalities = [o for o in organisations if o.kind == OrganisationKind.MUNICIPALITY]
    districts = [
        o
        for o in organisations
        if o.kind == OrganisationKind.DISTRICT
        and o.parent is not None
        and o.parent.code == STOCKHOLM_CODE
    ]
    units = (
        Unit.objects.filter(kind__in=[UnitKind.INTAKE, UnitKind.OUT_OF_HOURS])
        .select_related("organisation")
        .prefetch_related("covers", "office_hours", "phone_lines")
        .order_by("organisation__code", "kind", "id")
    )
    unit_infos = tuple(
        UnitInfo(
            name=unit.name,
            kind=unit.kind,
            organisation=unit.organisation.code,
            covers=tuple(sorted((o.code for o in unit.covers.all()), key=_cover_order(unit))),
            phone=phone_for(unit),
            intervals=tuple(
                OpeningInterval(
                    weekday=h.weekday,
                    opens=h.opens,
                    closes=h.closes,
                    working_days_only=h.working_days_only,
                )
                for h in unit.office_hours.all()
            ),
            open_24_7=unit.open_24_7,
            id=unit.pk,
        )
        for unit in units
        if _valid_on(unit, instant)
    )
    return RegistrySnapshot(
        county_municipalities=frozenset(
            o.code for o in municipalities if o.county_code == STOCKHOLM_COUNTY
        ),
        municipality_names={o.code: o.name for o in municipalities},
        districts={o.name: o.code for o in districts},
        district_names={o.code: o.name for o in districts},
        units=unit_infos,
        agreements_in_force=frozenset(single_entry_municipalities_in_force(local_date(instant))),
    )


def _cover_order(unit: Unit):  # type: ignore[no-untyped-def]
    """The unit's own organisation first, then by code (["0182", "0120", "0138"])."""
    own = unit.organisation.code
    return lambda code: (code != own, code)
