"""Base pieces shared by the apps' models."""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.core.model_fields import user_fk


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user's organisation is responsible for.

    Subclasses name the path to the responsible organisation in `scope_field`
    (a foreign key to `registry.Organisation`), or override `visible_to` when
    more than one organisation may see a record.
    """

    scope_field: str = "controller"

    def visible_to(self, user: Any) -> Self:
        organisation_ids = responsible_organisation_ids(user)
        if not organisation_ids:
            return self.none()
        return self.filter(**{f"{self.scope_field}__in": organisation_ids})


class RecordedBy(models.Model):
    """Who recorded a row, and when: the one convention for that pair across the apps.

    `recorded_by` is empty for what the system records (reference and demo data)
    and is protected, so a user who recorded something is never deleted from
    under the record. `recorded_at` defaults to now; a service that already
    holds the instant it acts at passes that, so the row and its event agree.
    """

    recorded_by = user_fk(_("registrerat av"), optional=True)
    recorded_at = models.DateTimeField(_("registrerat"), default=timezone.now)

    class Meta:
        abstract = True


class OutboxAttempt(models.Model):
    """One try to send an outbox row (`core.outbox`): when, the receiver's HTTP status,
    how long it took, and what went wrong. Webhook deliveries and case-system handovers
    log their tries alike, so the admin reads both the same way."""

    at = models.DateTimeField(_("tid"))
    status_code = models.PositiveIntegerField(_("HTTP-status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("tid (ms)"))
    error = models.CharField(_("fel"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"
