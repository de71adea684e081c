"""What routines declares for mergers and retention (issue 16, see core/crossing.py)."""

from __future__ import annotations

from samverkan.core.crossing import (
    OrganisationRecords,
    PersonalData,
    register_organisation_records,
    register_personal_data,
)
from samverkan.registry.change_rules import COLLABORATION

register_organisation_records(
    # A routine is in force until it is replaced: the successor owns and is party to it.
    OrganisationRecords(
        model="routines.Routine",
        fields=("owner", "parties"),
        category=COLLABORATION,
        label=lambda routine: f"Rutin {routine.title}",
        is_open=lambda _routine, _day: True,
        detail={"owner": "ägare", "parties": "gäller för"},
    ),
)

_ROUTINE = "a routine's text: how the organisations work, not about individuals"
register_personal_data(
    PersonalData(model="routines.Routine", not_personal={"search_text": _ROUTINE}),
    PersonalData(model="routines.RoutineVersion", not_personal={"body": _ROUTINE}),
)
