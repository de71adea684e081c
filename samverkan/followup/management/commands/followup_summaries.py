"""Keep the follow-up daily summaries (ADR 0008).

    python manage.py followup_summaries             # refresh the days marked stale
    python manage.py followup_summaries --rebuild   # rebuild every day from the history
    python manage.py followup_summaries --rebuild --from 2026-01-01 --to 2026-12-31
    python manage.py followup_summaries --enqueue   # let the task worker refresh

Both are idempotent: a day's rows are recomputed whole from the reports.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samverkan.followup import summaries
from samverkan.followup.periods import InvalidPeriod, parse_date


class Command(BaseCommand):
    help = "Uppdatera uppföljningens dagssummeringar (inaktuella dagar, eller allt med --rebuild)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rebuild", action="store_true", help="bygg om alla dagar")
        parser.add_argument("--enqueue", action="store_true", help="lägg i arbetskön")
        parser.add_argument("--from", dest="first", help="ÅÅÅÅ-MM-DD")
        parser.add_argument("--to", dest="last", help="ÅÅÅÅ-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            first = parse_date(options["first"], "--from") if options["first"] else None
            last = parse_date(options["last"], "--to") if options["last"] else None
        except InvalidPeriod as error:
            raise CommandError(str(error)) from None
        if options["enqueue"]:
            from samverkan.followup.tasks import refresh_summaries

            refresh_summaries.enqueue()
            self.stdout.write("Uppdateringen ligger i kön.")
            return
        if options["rebuild"]:
            days = summaries.backfill(first, last)
            self.stdout.write(f"{days} dagar byggda.")
            return
        days = summaries.refresh(first, last)
        self.stdout.write(f"{days} dagar uppdaterade.")
