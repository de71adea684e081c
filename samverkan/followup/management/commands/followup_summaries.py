"""`manage.py followup_summaries [--rebuild [--from DATE --to DATE]] [--loop] [--enqueue]`.

Keeps the follow-up daily summaries (ADR 0008): without options, refreshes the
days marked stale since the last round; `--rebuild` builds every day of the
history again (or the days from `--from` to `--to`). Both are idempotent (a
day's rows are recomputed whole from the reports); `scripts/serve.sh` runs it
with `--loop` beside the server, a dashboard refreshes the days it shows itself.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from samverkan.core.management.looping import LoopingCommand
from samverkan.followup import summaries
from samverkan.followup.periods import InvalidPeriod, parse_date


class Command(LoopingCommand):
    help = "Uppdaterar uppföljningens dagssummeringar (inaktuella dagar, eller allt med --rebuild)."
    default_interval = 60.0

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--rebuild", action="store_true", help="Bygg om alla dagar.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Lägg jobbet i kön för django-tasks-arbetaren i stället för att köra det här.",
        )
        parser.add_argument("--from", dest="first", help="ÅÅÅÅ-MM-DD")
        parser.add_argument("--to", dest="last", help="ÅÅÅÅ-MM-DD")

    def run_once(self, options: dict[str, Any]) -> None:
        try:
            first = parse_date(options["first"], "--from") if options["first"] else None
            last = parse_date(options["last"], "--to") if options["last"] else None
        except InvalidPeriod as error:
            raise CommandError(str(error)) from None
        if options["enqueue"]:
            from samverkan.followup.tasks import refresh_summaries

            result = refresh_summaries.enqueue()
            self.stdout.write(f"köad: {result.id}")
        elif options["rebuild"]:
            self.stdout.write(f"byggda dagar: {summaries.backfill(first, last)}")
        else:
            days = summaries.refresh(first, last)
            if days or options["verbosity"] > 1:
                self.stdout.write(f"uppdaterade dagar: {days}")
