"""Reading the access log: an auditor sees the entries of their own organisation's records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.audit.models import AuditEntry
from samverkan.core.calendar import STOCKHOLM
from samverkan.registry.models import Organisation


@dataclass(frozen=True)
class AuditFilters:
    record_type: str = ""
    record_id: str = ""
    actor: str = ""
    action: str = ""
    date_from: date | None = None  # Swedish dates, both inclusive
    date_to: date | None = None


def controller_codes_for(user: Any) -> list[str]:
    """The organisation codes whose records the user's organisation is responsible for."""
    ids = responsible_organisation_ids(user)
    if not ids:
        return []
    return list(Organisation.objects.filter(id__in=ids).values_list("code", flat=True))


def audit_entries_for_auditor(*, user: Any, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Entries whose controller is the user's organisation (or one below it), newest first."""
    codes = controller_codes_for(user)
    if not codes:
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.filter(controller__in=codes)
    if filters.record_type:
        entries = entries.filter(record_type=filters.record_type)
    if filters.record_id:
        entries = entries.filter(record_id=filters.record_id)
    if filters.actor:
        entries = entries.filter(actor_label__icontains=filters.actor)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.date_from:
        entries = entries.filter(at__gte=datetime.combine(filters.date_from, time(), STOCKHOLM))
    if filters.date_to:
        next_day = filters.date_to + timedelta(days=1)
        entries = entries.filter(at__lt=datetime.combine(next_day, time(), STOCKHOLM))
    return entries.order_by("-id")
