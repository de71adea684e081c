"""Create an API client for an organisation and print its token once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.accounts.api_auth import api_client_create
from samverkan.registry.models import Organisation


class Command(BaseCommand):
    help = (
        "Creates an API client (e.g. a police system) for an organisation and prints its "
        "token. The token is shown only this once; it is stored hashed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", required=True, help="organisation code, e.g. polisen-roc"
        )
        parser.add_argument(
            "--name", required=True, help="a name for the client, unique per organisation"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["organisation"].strip()
        try:
            organisation = Organisation.objects.get(code=code)
        except Organisation.DoesNotExist as error:
            raise CommandError(
                f"Okänd organisationskod: {code!r}. Ange koden som i registret, "
                "t.ex. polisen-roc eller 0182."
            ) from error
        try:
            client, token = api_client_create(organisation=organisation, name=options["name"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"API-klient skapad: {client.name} ({organisation.code}, id {client.pk}).\n"
            "Token (visas bara nu – spara den säkert):"
        )
        self.stdout.write(token)
