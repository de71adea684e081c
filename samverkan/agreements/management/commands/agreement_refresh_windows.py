"""Recompute every agreement's stored in-force window from its events.

The services keep the window current; run this after repairing data by hand
(e.g. in the database) so that the routing query agrees with the status again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from samverkan.agreements.models import Agreement
from samverkan.agreements.services import agreement_refresh_window


class Command(BaseCommand):
    help = "Räknar om avtalens giltighetsperioder från besluten och uppsägningarna."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = 0
        for agreement in Agreement.objects.order_by("pk"):
            before = (agreement.in_force_from, agreement.in_force_until)
            with transaction.atomic():
                agreement_refresh_window(agreement=agreement)
            if before != (agreement.in_force_from, agreement.in_force_until):
                changed += 1
                self.stdout.write(f"{agreement.pk} {agreement.reference}: {before} → ändrad")
        self.stdout.write(f"{changed} avtal ändrade")
