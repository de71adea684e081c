"""What routines declares for mergers and retention (issue 16, see core/crossing.py)."""

from __future__ import annotations

from samverkan.core import crossing
from samverkan.registry.change_rules import COLLABORATION

crossing.register_organisation_records(
    # A routine is in force until it is replaced: the successor owns and is party to it.
    crossing.OrganisationRecords(
        model="routines.Routine",
        fields=("owner", "parties"),
        category=COLLABORATION,
        label=lambda routine: f"Rutin {routine.title}",
        is_open=lambda _routine, _day: True,
        detail={"owner": "ägare", "parties": "gäller för"},
    ),
)

_ROUTINE = "a routine's text: how the organisations work, not about individuals"
crossing.register_personal_data(
    crossing.PersonalData(
        model="routines.Routine", not_personal={"search_text": _ROUTINE, "search_keys": _ROUTINE}
    ),
    crossing.PersonalData(model="routines.RoutineVersion", not_personal={"body": _ROUTINE}),
)
