"""Print each matching agreement's status at an instant, one JSON object per line.

    manage.py agreement_status --at 2026-11-25T12:00:00+01:00 [--type T] [--municipality CODE]

The same answer the UI shows (`selectors.agreement_status_at`). An instant
without an offset is Swedish local time.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.agreements.models import Agreement, AgreementTypeCode
from samverkan.agreements.selectors import agreement_status_at, with_events
from samverkan.core.calendar import STOCKHOLM


def parse_instant(value: str) -> datetime:
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"Ogiltig tidpunkt {value!r}: ange ISO 8601, t.ex. 2026-11-25T12:00:00+01:00.",
            returncode=2,
        ) from error
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=STOCKHOLM)
    return instant


def status_line(agreement: Agreement, at: datetime) -> dict[str, Any]:
    status = agreement_status_at(agreement, at)
    return {
        "agreement": str(agreement.pk),
        "type": agreement.type.code,
        "parties": [party.organisation.code for party in agreement.parties.all()],
        "in_force": status.in_force,
        "reason": status.reason.value,
        "last_day": status.last_day.isoformat() if status.last_day else None,
    }


class Command(BaseCommand):
    help = "Avtalens status vid en tidpunkt, ett JSON-objekt per rad."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", required=True, help="tidpunkt, ISO 8601")
        parser.add_argument("--type", choices=None, help=", ".join(AgreementTypeCode.values))
        parser.add_argument("--municipality", help="organisationskod för en part, t.ex. 0182")

    def handle(self, *args: Any, **options: Any) -> None:
        at = parse_instant(options["at"])
        agreements = Agreement.objects.all()
        if options["type"]:
            if options["type"] not in AgreementTypeCode.values:
                raise CommandError(
                    f"Okänd avtalstyp {options['type']!r}; giltiga: "
                    + ", ".join(AgreementTypeCode.values),
                    returncode=2,
                )
            agreements = agreements.filter(type__code=options["type"])
        if options["municipality"]:
            agreements = agreements.filter(
                parties__organisation__code=options["municipality"]
            ).distinct()
        for agreement in with_events(agreements.order_by("pk")):
            self.stdout.write(json.dumps(status_line(agreement, at), ensure_ascii=False))
