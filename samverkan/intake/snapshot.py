"""Build the rules' `RegistrySnapshot` from the registry and agreements at an instant."""

from __future__ import annotations

from datetime import date, datetime, time
from time import monotonic

from django.conf import settings
from django.db import connection

from samverkan.agreements.selectors import single_entry_municipalities_in_force
from samverkan.core.calendar import local_date
from samverkan.core.deadlines import late_report_from
from samverkan.intake.rules import (
    OpeningInterval,
    RegistrySnapshot,
    UnitInfo,
    UnitKind,
)
from samverkan.registry.change_rules import current_names
from samverkan.registry.changes import successions
from samverkan.registry.models import ChangeEvent, Organisation, OrganisationKind, Unit
from samverkan.registry.reference_data import STOCKHOLM_CODE, STOCKHOLM_COUNTY
from samverkan.registry.selectors import phone_for, stockholm_districts, unit_lines


def late_from() -> time:
    """The `LATE_REPORT_FROM` setting as a time (default 20:00)."""
    return late_report_from()


def _valid_on(obj: Organisation | Unit, instant: datetime) -> bool:
    day = local_date(instant)
    return (obj.valid_from is None or obj.valid_from <= day) and (
        obj.valid_to is None or day <= obj.valid_to
    )


# Per-process cache of the day's snapshot (issue 8: building it was 70 % of an API
# intake's time). Any save or delete of the registry or an agreement in this process
# clears it at once (signals wired in apps.py); other server processes see a change
# within REGISTRY_SNAPSHOT_SECONDS. Never used inside a transaction (a test's, or a
# caller's that may yet roll back), so what is cached was committed.
_cached: dict[date, tuple[float, RegistrySnapshot]] = {}


def invalidate_registry_snapshot(**_kwargs: object) -> None:
    _cached.clear()


def registry_snapshot(instant: datetime) -> RegistrySnapshot:
    """The registry as it is at `instant`: from the cache when fresh, else built."""
    seconds = getattr(settings, "REGISTRY_SNAPSHOT_SECONDS", 30)
    if seconds <= 0 or connection.in_atomic_block:
        return build_registry_snapshot(instant)
    day = local_date(instant)
    hit = _cached.get(day)
    now = monotonic()
    if hit is not None and now - hit[0] < seconds:
        return hit[1]
    snapshot = build_registry_snapshot(instant)
    _cached.clear()  # one day at a time: bounded
    _cached[day] = (now, snapshot)
    return snapshot


def build_registry_snapshot(instant: datetime) -> RegistrySnapshot:
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
    day = local_date(instant)
    district_codes = _district_codes(day, districts)
    unit_organisation, unit_covers = _units_as_on(day)
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
            organisation=unit_organisation.get(unit.pk, unit.organisation.code),
            covers=tuple(
                sorted(
                    unit_covers(unit.pk, [o.code for o in unit.covers.all()]),
                    key=_cover_order(unit_organisation.get(unit.pk, unit.organisation.code)),
                )
            ),
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
            is_hub=unit.is_hub,
            lines=unit_lines(unit).lines,
        )
        for unit in units
        if _valid_on(unit, instant)
    )
    return RegistrySnapshot(
        county_municipalities=frozenset(
            o.code for o in municipalities if o.county_code == STOCKHOLM_COUNTY
        ),
        municipality_names={o.code: o.name for o in municipalities},
        districts=district_codes,
        district_names={o.code: o.name for o in districts},
        units=unit_infos,
        agreements_in_force=frozenset(single_entry_municipalities_in_force(local_date(instant))),
        organisation_ids={o.code: o.pk for o in organisations},
    )


def _cover_order(own: str):  # type: ignore[no-untyped-def]
    """The unit's own organisation first, then by code (["0182", "0120", "0138"])."""
    return lambda code: (code != own, code)


def _district_codes(day: date, valid: list[Organisation]) -> dict[str, str]:
    """District name -> code on `day`; a former name answers with its successor (issue 10)."""
    former = stockholm_districts().order_by("code").values_list("name", "pk", "code")
    codes = {pk: code for _name, pk, code in former}
    names = current_names(
        {name: pk for name, pk, _code in former},
        {o.pk: o.name for o in valid},
        day,
        successions(),
    )
    return {name: codes[pk] for name, pk in names.items()}


def _units_as_on(day: date):  # type: ignore[no-untyped-def]
    """Units moved by a change effective after `day` are shown as they were on `day`."""
    organisation: dict[int, str] = {}
    moved_covers: dict[int, list[tuple[str, str | None]]] = {}
    events = (
        ChangeEvent.objects.filter(record_type="registry.Unit", change__effective_date__gt=day)
        .select_related("from_organisation", "to_organisation")
        .order_by("-change__effective_date", "-id")
    )
    for event in events:
        to_code = event.to_organisation.code if event.to_organisation else None
        if event.field == "organisation":
            organisation[event.record_id] = event.from_organisation.code
        elif event.field == "covers":
            added = to_code if event.action == "move" else None
            moved_covers.setdefault(event.record_id, []).append(
                (event.from_organisation.code, added)
            )

    def covers(unit_id: int, codes: list[str]) -> list[str]:
        found = set(codes)
        for former, added in moved_covers.get(unit_id, []):
            if added is not None:
                found.discard(added)
            found.add(former)
        return list(found)

    return organisation, covers
