"""`manage.py casesystem_codes CONNECTION_ID --person PERSONNUMMER`: the installation's code
lists (Lifecare: actualisation types, reasons, from whom, organisations), for choosing a
connection's codes. Lifecare answers them for a person: give a test person's number."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.casesystems import adapters, services
from samverkan.casesystems.models import CaseSystemConnection


class Command(BaseCommand):
    help = "Visar verksamhetssystemets kodlistor för en koppling."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("connection", type=int, help="Kopplingens id (admin).")
        parser.add_argument("--person", required=True, help="Ett testpersonnummer (12 siffror).")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = CaseSystemConnection.objects.filter(pk=options["connection"]).first()
        if connection is None:
            raise CommandError("Kopplingen finns inte.")
        try:
            lists = services.code_lists(connection, options["person"])
        except adapters.AdapterError as error:
            raise CommandError(f"{error.message} {error.answer}".strip()) from error
        for name, codes in lists.items():
            self.stdout.write(f"{name}:")
            for code in codes:
                self.stdout.write(f"  {code.id}\t{code.name}")
