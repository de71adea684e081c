"""Reading the access log: an auditor sees the entries of their own organisation's records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet

from samverkan.audit import access, names
from samverkan.audit.models import AuditAction, AuditEntry
from samverkan.audit.services import audit_record
from samverkan.core.calendar import STOCKHOLM


@dataclass(frozen=True)
class AuditFilters:
    record_type: str = ""  # a Swedish name ("Orosanmälan") or a code
    record_id: str = ""
    actor: str = ""
    organisation: str = ""  # a name ("Nacka") or a code: the controller's or the actor's
    reason: str = ""
    action: str = ""
    date_from: date | None = None  # Swedish dates, both inclusive
    date_to: date | None = None


def audit_entries_for_auditor(*, user: Any, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The entries the auditor may read (`access.visible_to`) that match, newest first."""
    entries = access.visible_to(user)
    if filters.record_type:
        entries = entries.filter(names.record_type_filter(filters.record_type))
    if filters.record_id:
        entries = entries.filter(record_id=filters.record_id)
    if filters.actor:
        entries = entries.filter(actor_label__icontains=filters.actor)
    if filters.organisation:
        entries = entries.filter(names.organisation_filter(filters.organisation))
    if filters.reason:
        entries = entries.filter(names.reason_filter(filters.reason))
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.date_from:
        entries = entries.filter(at__gte=datetime.combine(filters.date_from, time(), STOCKHOLM))
    if filters.date_to:
        next_day = filters.date_to + timedelta(days=1)
        entries = entries.filter(at__lt=datetime.combine(next_day, time(), STOCKHOLM))
    return entries.order_by("-id")


def log_read_of_log(
    *, user: Any, where: str, criteria: dict[str, Any], action: str = AuditAction.VIEW
) -> None:
    """Reading the log is itself logged: who reviewed which part of it, and where (the
    auditor's search, its export, the admin)."""
    organisation = getattr(user, "organisation", None)
    audit_record(
        actor=user,
        action=action,
        record_type="audit_log",
        record_id=where,
        controller=organisation.code if organisation else "",
        detail={key: (str(value) if value else "") for key, value in criteria.items()},
    )
