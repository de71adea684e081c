"""`manage.py route --at ISO8601 FILE.json`: the single-entry decision for one report.

Prints the decision as one JSON object and writes nothing. Exit status 2 with a
message on malformed input, an unknown code or a bad instant.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from samverkan.intake.inputs import parse_instant, parse_report_facts
from samverkan.intake.services import InvalidInput, report_decide


class Command(BaseCommand):
    help = "Beslut om en ingång för en anmälan (JSON-fil) vid en tidpunkt; skriver inget."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at",
            help="Tidpunkt då navet tog emot anmälan (ISO 8601; utan tidszon: svensk tid).",
        )
        parser.add_argument("file", help="JSON-fil med anmälans uppgifter ('-' = stdin).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = (
                sys.stdin.read()
                if options["file"] == "-"
                else Path(options["file"]).read_text(encoding="utf-8")
            )
        except OSError as error:
            raise CommandError(f"Kan inte läsa {options['file']}: {error}", returncode=2) from error
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"Ogiltig JSON: {error}", returncode=2) from error
        try:
            at = parse_instant(options["at"]) if options["at"] else timezone.now()
            data = parse_report_facts(payload)
            decision = report_decide(data=data, at=at)
        except InvalidInput as error:
            raise CommandError(f"{error.field}: {error.message}", returncode=2) from error
        self.stdout.write(json.dumps(decision.as_json(), ensure_ascii=False))
