"""Scheduled export of the follow-up figures for a date range.

    python manage.py followup_export --from 2026-01-01 --to 2026-12-31 --format xlsx \
        --output uppfoljning-2026.xlsx

CSV is written for Swedish spreadsheets (semicolons, decimal comma) unless
`--stil maskin` asks for commas and decimal points.

Figures are suppressed unless `--unsuppressed` is given (for the responsible
organisation's own use); every run is recorded in the access log (action export).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samverkan.core.exports import CSV_STYLES
from samverkan.followup import exports
from samverkan.followup.collaboration_selectors import collaboration_dashboard
from samverkan.followup.defector_selectors import defector_dashboard
from samverkan.followup.periods import InvalidPeriod, custom_period, parse_date
from samverkan.followup.selectors import Scope, single_entry_dashboard
from samverkan.followup.services import export_record
from samverkan.followup.tables import Dashboard
from samverkan.registry.models import Organisation

BOARD_SLUGS = {"En ingång": "en-ingang", "Avhoppare": "avhoppare", "Samverkan": "samverkan"}


class Command(BaseCommand):
    help = "Exportera uppföljningens tabeller för en period (CSV, XLSX eller JSON)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="first", required=True, help="ÅÅÅÅ-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="ÅÅÅÅ-MM-DD")
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], required=True)
        parser.add_argument(
            "--stil",
            choices=sorted(CSV_STYLES),
            default="kalkyl",
            help="CSV: kalkyl (semikolon, decimalkomma; standard) eller maskin (komma, punkt).",
        )
        parser.add_argument("--output", help="Fil att skriva till (standard: standard ut).")
        parser.add_argument("--organisation", help="Kommun- eller stadsdelskod (standard: alla).")
        parser.add_argument(
            "--unsuppressed",
            action="store_true",
            help="Visa även små antal (bara för den ansvariga organisationens eget bruk).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = custom_period(
                parse_date(options["first"], "--from"), parse_date(options["last"], "--to")
            )
        except InvalidPeriod as error:
            raise CommandError(error.message) from None
        organisation = None
        if options["organisation"]:
            try:
                organisation = Organisation.objects.get(code=options["organisation"])
            except Organisation.DoesNotExist:
                raise CommandError(f"Okänd organisation: {options['organisation']}") from None
        scope = Scope(organisation=organisation)
        suppress = not options["unsuppressed"]
        dashboards: list[Dashboard] = [
            single_entry_dashboard(period=period, scope=scope, suppress=suppress),
            defector_dashboard(period=period, scope=scope, suppress=suppress),
            collaboration_dashboard(period=period, scope=scope, suppress=suppress),
        ]
        export_format = options["format"]
        if export_format == "csv":
            content = exports.dashboard_csv(*dashboards, style=CSV_STYLES[options["stil"]])
        elif export_format == "xlsx":
            combined = Dashboard(
                title="Uppföljning",
                period=period,
                scope_label=scope.label,
                suppressed=suppress,
                generated_at=dashboards[0].generated_at,
                tables=[t for d in dashboards for t in d.tables],
                notes=dashboards[0].notes,
            )
            content = exports.xlsx(combined)
        else:
            content = json.dumps(
                {"dashboards": [exports.as_json(d) for d in dashboards]},
                ensure_ascii=False,
                indent=2,
            ).encode()
        for dashboard in dashboards:
            export_record(
                actor=None,
                board=BOARD_SLUGS[dashboard.title],
                export_format=export_format,
                dashboard=dashboard,
            )
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stdout.write(f"Skrev {len(content)} byte till {options['output']}.")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
