"""What the audit log declares for retention (issue 16, see core/crossing.py)."""

from __future__ import annotations

from samverkan.core import crossing

crossing.register_personal_data(
    crossing.PersonalData(
        model="audit.AuditEntry",
        not_personal={
            "reason": "why a user read or changed a record, written by staff; the log is "
            "append-only and kept for the life of the instance (ADR 0005)",
        },
    ),
)
