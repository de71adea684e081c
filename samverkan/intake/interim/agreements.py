"""Stand-in for `samverkan.agreements.selectors.single_entry_municipalities_in_force`.

Until the agreements branch is merged no agreement exists in the database; the
stand-in answers from the `INTAKE_INTERIM_AGREEMENTS` setting (a list of codes),
empty by default. Tests override it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings


def single_entry_municipalities_in_force(on: date) -> set[str]:
    return set(getattr(settings, "INTAKE_INTERIM_AGREEMENTS", ()))
