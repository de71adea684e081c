"""Writes of the follow-up app: only the audit entry of an export."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record
from samverkan.followup.tables import Dashboard


def export_record(
    *, actor: Any, board: str, export_format: str, dashboard: Dashboard, table: str = ""
) -> None:
    """Log that figures left the system (who, which figures, which period, suppressed or not)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            record_type="followup.Dashboard",
            record_id=f"{board}:{table}" if table else board,
            detail={
                "format": export_format,
                "table": table,
                "period_from": dashboard.period.first.isoformat(),
                "period_to": dashboard.period.last.isoformat(),
                "scope": dashboard.scope_label,
                "suppressed": dashboard.suppressed,
            },
        )
