"""Mail coordinators the routines whose review date has passed (run daily; safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samverkan.routines.reminders import send_review_reminders


class Command(BaseCommand):
    help = "Skickar påminnelser om rutiner vars översynsdatum har passerats (en gång per dag)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_review_reminders()
        self.stdout.write(f"{count} påminnelser skickade")
