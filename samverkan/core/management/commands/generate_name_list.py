"""`manage.py generate_name_list`: rewrite the personal-data guard's list of Swedish names.

The guard (`samverkan.core.personal_data`) recognises names from a maintained
list rather than a hand-written one. The list comes from Faker's Swedish person
provider (`faker.providers.person.sv_SE`, MIT licence), which takes its first
names from the Institute for Language and Folklore (Isof, the 500 most common
per sex) and its surnames from the Swedish Tax Agency (the 500 most common).
Faker is already a development dependency (through factory_boy); the running
service reads only the file written here, so it needs no Faker. Run this after
upgrading Faker and commit the file with the new version in its header.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.core.personal_data import NAME_LIST_PATH


def name_list_text(first_names: set[str], surnames: set[str], *, version: str, on: date) -> str:
    """The file's text: a header saying where the names come from, then `name<TAB>kinds`."""
    header = [
        "# Swedish first names and surnames for the personal-data guard",
        "# (samverkan.core.personal_data).",
        f"# Source: Faker {version}, faker/providers/person/sv_SE: first names from Isof's",
        "# name statistics (the 500 most common per sex), surnames from Skatteverket's list of",
        "# the 500 most common surnames. Licence: MIT (Faker).",
        f"# Generated {on.isoformat()} by `manage.py generate_name_list`; do not edit by hand.",
        "# Columns: name, kinds (first, last or first+last).",
    ]
    rows = []
    for name in sorted(first_names | surnames, key=str.casefold):
        kinds = [k for k, kept in (("first", first_names), ("last", surnames)) if name in kept]
        rows.append(f"{name}\t{'+'.join(kinds)}")
    return "\n".join(header + rows) + "\n"


class Command(BaseCommand):
    help = "Skriver om namnlistan som personuppgiftskontrollen använder, från paketet Faker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=NAME_LIST_PATH, help="Filen att skriva.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            import faker
            from faker.providers.person.sv_SE import Provider
        except ImportError as error:  # a production install has no Faker
            raise CommandError("Paketet Faker saknas: installera utvecklingsberoendena.") from error
        first = set(Provider.first_names_female) | set(Provider.first_names_male)
        last = set(Provider.last_names)
        text = name_list_text(first, last, version=faker.VERSION, on=date.today())
        options["output"].write_text(text, encoding="utf-8")
        self.stdout.write(
            f"{len(first)} förnamn och {len(last)} efternamn skrivna till {options['output']}."
        )
