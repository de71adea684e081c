"""`manage.py update_municipality_codes SOURCE`: bring SCB's municipality codes up to date.

SOURCE is the `kommunkoder` npm package as `npm pack kommunkoder` leaves it
(``kommunkoder-X.Y.Z.tgz``), its ``data.json``, or a file in the shipped format
(``registry/data/municipalities.json``). The list is checked (four-digit codes,
each once, a known county, a name), written to the shipped file with its source
and date, and loaded into the registry. A code no longer listed is reported,
never removed: reports and agreements point at it.
"""

from __future__ import annotations

import json
import tarfile
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from samverkan.core.calendar import local_date
from samverkan.registry.models import Organisation
from samverkan.registry.reference_data import (
    MUNICIPALITY_CODES_FILE,
    MunicipalityCodes,
    load_reference_data,
    swedish_municipalities,
    write_municipality_codes,
)

# The 21 counties (län) by code: a municipality's code starts with its county's.
COUNTY_CODES = frozenset("01 03 04 05 06 07 08 09 10 12 13 14 17 18 19 20 21 22 23 24 25".split())


def _read(source: Path) -> tuple[Any, str]:
    """The list in SOURCE and the package it came from ("" for a plain file)."""
    if source.suffix in (".tgz", ".gz"):
        with tarfile.open(source) as archive:
            package = json.load(archive.extractfile("package/package.json"))  # type: ignore[arg-type]
            data = json.load(archive.extractfile("package/data.json"))  # type: ignore[arg-type]
        return data, f"npm-paketet {package['name']} {package['version']}"
    return json.loads(source.read_text(encoding="utf-8")), ""


def parse_municipality_codes(data: Any, *, source: str, source_date: str) -> MunicipalityCodes:
    """The list as shipped, from the package's data.json or the shipped format; a
    list that is not SCB's whole list raises `CommandError`."""
    if isinstance(data, dict) and "municipalities" in data:
        source = source or data.get("source", "")
        source_date = source_date or data.get("source_date", "")
        data = data["municipalities"]
    if not isinstance(data, list):
        raise CommandError("Ingen lista över kommuner i filen.")
    found: dict[str, str] = {}
    for row in data:
        code = str(row.get("code", "")) if isinstance(row, dict) else ""
        name = str(row.get("name") or row.get("municipality") or "").strip()
        if len(code) != 4 or not code.isdigit() or code[:2] not in COUNTY_CODES:
            raise CommandError(f"Ogiltig kommunkod: {code!r}.")
        if not name:
            raise CommandError(f"Kommunkod {code} saknar namn.")
        if code in found:
            raise CommandError(f"Kommunkod {code} finns två gånger.")
        found[code] = name
    if len(found) < 280:
        raise CommandError(f"Bara {len(found)} kommuner: hela SCB-listan (290) väntas.")
    if not source_date:
        raise CommandError("Ange listans datum med --source-date ÅÅÅÅ-MM-DD.")
    return MunicipalityCodes(
        source=source or "okänd källa",
        source_date=source_date,
        municipalities=tuple(sorted(found.items())),
    )


class Command(BaseCommand):
    help = "Uppdaterar SCB:s kommunkoder (alla Sveriges kommuner) från paketet eller en fil."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source", help="kommunkoder-X.Y.Z.tgz (npm pack), data.json eller egen fil."
        )
        parser.add_argument("--source-date", default="", help="Listans datum (ÅÅÅÅ-MM-DD).")
        parser.add_argument(
            "--output", default=str(MUNICIPALITY_CODES_FILE), help="Filen som skrivs."
        )
        parser.add_argument("--dry-run", action="store_true", help="Visa ändringarna, skriv inget.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            data, package = _read(source)
        except (OSError, KeyError, ValueError, tarfile.TarError) as error:
            raise CommandError(f"Kan inte läsa {source}: {error}") from error
        if options["source_date"]:
            try:
                date.fromisoformat(options["source_date"])
            except ValueError as error:
                raise CommandError("--source-date ska vara ÅÅÅÅ-MM-DD.") from error
        label = f"SCB:s kommunkoder via {package}" if package else ""
        codes = parse_municipality_codes(data, source=label, source_date=options["source_date"])
        output = Path(options["output"])
        current = output if output.exists() else MUNICIPALITY_CODES_FILE
        before = dict(swedish_municipalities(current).municipalities)
        after = dict(codes.municipalities)
        for code in sorted(after.keys() - before.keys()):
            self.stdout.write(f"Ny: {code} {after[code]}")
        for code in sorted(before.keys() & after.keys()):
            if before[code] != after[code]:
                self.stdout.write(f"Nytt namn: {code} {before[code]} → {after[code]}")
        for code in sorted(before.keys() - after.keys()):
            self.stdout.write(
                f"Finns inte längre i listan (behålls i registret): {code} {before[code]}"
            )
        self.stdout.write(f"{len(after)} kommuner, källa: {codes.source} ({codes.source_date}).")
        if options["dry_run"]:
            return
        write_municipality_codes(codes, local_date(timezone.now()), output)
        with transaction.atomic():
            load_reference_data(Organisation, codes)
        self.stdout.write(f"{output} och registret är uppdaterade.")
