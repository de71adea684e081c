"""Prints the demo log-ins: every active user with a TOTP device named "demo"."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice

DEMO_DEVICE_NAME = "demo"


class Command(BaseCommand):
    help = "Prints the demo log-ins (users with a TOTP device named 'demo')."

    def handle(self, *args: Any, **options: Any) -> None:
        user_ids = TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME).values("user_id")
        users = (
            get_user_model()
            .objects.filter(is_active=True, pk__in=user_ids)
            .select_related("organisation")
            .prefetch_related("roles")
            .order_by("organisation__code", "username")
        )
        try:
            demo: Any = import_module("samverkan.accounts.demo")
        except ModuleNotFoundError:
            demo = None
        if not users:
            self.stdout.write("No demo log-ins: run `python manage.py setup_demo` first.")
            return
        rows = [
            (
                user.username,
                user.organisation.name if user.organisation else "–",
                ", ".join(str(role) for role in user.roles.all()) or "–",
            )
            for user in users
        ]
        widths = [
            max(len(row[i]) for row in [("Användarnamn", "Organisation", "Roller"), *rows])
            for i in range(3)
        ]
        self.stdout.write("Demo log-ins (demo data only, never real people):")
        for row in [("Användarnamn", "Organisation", "Roller"), *rows]:
            self.stdout.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
        password = getattr(demo, "DEMO_PASSWORD", None) if demo else None
        if password:
            self.stdout.write(f"Password for all of them: {password}")
        else:
            self.stdout.write("(samverkan.accounts.demo has no DEMO_PASSWORD yet.)")
        self.stdout.write(
            "Second factor: the log-in page of a DEMO instance shows each user's current "
            "one-time code."
        )
        if not settings.DEMO:
            self.stdout.write("Note: SAMVERKAN_DEMO is off, so the log-in page shows no codes.")
        token = getattr(demo, "DEMO_API_TOKEN", None) if demo else None
        if token:
            self.stdout.write(f"Demo API token (ROC): {token}")
