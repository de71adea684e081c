"""What the retention job has done: one row per anonymised record (no personal data).

The row is the marker that makes the job idempotent (the other apps' tables get
no schema change): a record with a row here is never touched again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Anonymisation(models.Model):
    record_type = models.CharField(_("posttyp"), max_length=60)
    record_id = models.PositiveBigIntegerField(_("post-id"))
    rule = models.CharField(_("regel"), max_length=40)
    last_entry = models.DateField(_("sista anteckning"))
    retention_end = models.DateField(_("gallras från"))
    anonymised_at = models.DateTimeField(_("avidentifierad"))

    class Meta:
        verbose_name = _("avidentifiering")
        verbose_name_plural = _("avidentifieringar")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"], name="retention_anonymised_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} ({self.anonymised_at:%Y-%m-%d})"
