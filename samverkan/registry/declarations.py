"""What the registry declares for mergers and splits (issue 16, see core/crossing.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from samverkan.core import crossing
from samverkan.registry.change_rules import UNITS


def _unit_open(unit: Any, day: date) -> bool:
    return unit.valid_to is None or unit.valid_to >= day


def _unit_detail(unit: Any, name: str) -> str:
    if name == "covers":
        return "tar emot ärenden för"
    return f"med {unit.lines} telefonnummer och {unit.hours} öppettider"


def _with_counts(units: QuerySet[Any]) -> QuerySet[Any]:
    return units.annotate(
        lines=Count("phone_lines", distinct=True), hours=Count("office_hours", distinct=True)
    )


crossing.register_organisation_records(
    crossing.OrganisationRecords(
        model="registry.Unit",
        fields=("organisation", "covers"),
        category=UNITS,
        label=lambda unit: f"Enhet {unit.name}",
        is_open=_unit_open,
        detail=_unit_detail,
        prepare=_with_counts,
    ),
    crossing.OrganisationRecords(
        model="registry.ContactPerson",
        fields=("organisation",),
        category=UNITS,
        label=lambda person: f"Kontaktperson {person.name}",
        is_open=lambda _person, _day: True,
    ),
    crossing.OrganisationRecords(
        model="registry.School",
        fields=("district",),
        category=UNITS,
        label=lambda school: f"Skola {school.organisation.name}",
        is_open=lambda school, day: school.organisation.is_valid_on(day),
        detail={"district": "belägen i"},
        prepare=lambda schools: schools.select_related("organisation"),
    ),
    crossing.OrganisationRecords(
        model="registry.Organisation",
        plural="underordnade organisationer",
        fields=("parent",),
        category=UNITS,
        label=lambda child: f"Organisation {child.name}",
        is_open=lambda child, day: child.is_valid_on(day),
        detail={"parent": "ingår i"},
    ),
)

crossing.register_stays(
    crossing.StaysWithOrganisation(
        "registry.School", ("organisation",), "The school's own organisation: it is the school."
    ),
    crossing.StaysWithOrganisation(
        "registry.OrganisationChange", ("ending",), "The change's own record of what ended."
    ),
    crossing.StaysWithOrganisation(
        "registry.ChangeSuccessor", ("organisation",), "The change's own record of who took over."
    ),
    crossing.StaysWithOrganisation(
        "registry.ChangeEvent",
        ("from_organisation", "to_organisation"),
        "The history of what a change moved.",
    ),
)

crossing.register_personal_data(
    crossing.PersonalData(
        model="registry.ContactPerson",
        names=("name", "phone", "email"),
        kept="Staff contact details, current while the person is the contact; edited in the admin.",
    ),
    crossing.PersonalData(
        model="registry.Organisation",
        not_personal={"name": "an organisation", "official_name": "an organisation"},
    ),
    crossing.PersonalData(
        model="registry.Unit", not_personal={"name": "a unit of an organisation"}
    ),
    crossing.PersonalData(
        model="registry.ChangeRevision",
        not_personal={
            "reason": "why an administrator withdrew or corrected a change of organisations"
        },
    ),
)
