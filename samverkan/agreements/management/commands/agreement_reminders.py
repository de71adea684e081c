"""Mail agreement administrators their reminders (run daily; safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samverkan.agreements.reminders import send_reminders


class Command(BaseCommand):
    help = "Skickar påminnelser om avtal till avtalsadministratörerna (en gång per dag)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_reminders()
        self.stdout.write(f"{count} påminnelser skickade")
