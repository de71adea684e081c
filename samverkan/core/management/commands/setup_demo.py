"""Load reference data and the demo data set. Safe to run again: nothing is duplicated.

Never on a real instance: it refuses with production settings, and on a database
that holds any user who is not a demo user (the demo gives its users a public
password and would write fictional records beside real ones).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Order matters: later apps refer to what earlier ones created.
DEMO_MODULES = [
    "samverkan.registry.demo",
    "samverkan.accounts.demo",
    "samverkan.agreements.demo",
    "samverkan.intake.demo",
    "samverkan.defectors.demo",
    "samverkan.collaboration.demo",
    "samverkan.followup.demo",
    "samverkan.routines.demo",
    "samverkan.homecoming.demo",
    # Last: applies the 2023 mergers, moving the demo's open work to Järva (issue 10).
    "samverkan.registry.demo_changes",
]


class Command(BaseCommand):
    help = "Loads the demo data set (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_on_real_instance()
        for module_name in DEMO_MODULES:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name == module_name:
                    continue
                raise
            with transaction.atomic():
                module.load_demo()
            self.stdout.write(f"demo data loaded: {module_name}")


def refuse_on_real_instance() -> None:
    """CommandError with the reason when this database may hold real people's data."""
    if settings.PRODUCTION:
        raise CommandError(
            "setup_demo refuses to run with production settings (SAMVERKAN_ENV=production): "
            "the demo data is for development and test instances only."
        )
    try:
        accounts_demo: Any = import_module("samverkan.accounts.demo")
    except ModuleNotFoundError:
        return
    others = list(accounts_demo.non_demo_users().order_by("username")[:6])
    if others:
        names = ", ".join(user.username for user in others[:5])
        more = " …" if len(others) > 5 else ""
        raise CommandError(
            f"setup_demo refuses to run: this database holds users who are not demo users "
            f"({names}{more}). Load the demo only into a new, empty database."
        )
