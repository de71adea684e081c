"""Load reference data and the demo data set. Safe to run again: nothing is duplicated."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand
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
