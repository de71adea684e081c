"""What the audit log declares for retention (issue 16, see core/crossing.py)."""

from __future__ import annotations

from samverkan.core.crossing import PersonalData, register_personal_data

register_personal_data(
    PersonalData(
        model="audit.AuditEntry",
        not_personal={
            "reason": "why a user read or changed a record, written by staff; the log is "
            "append-only and kept for the life of the instance (ADR 0005)",
        },
    ),
)
