"""Bridge to the audit log while `samverkan.audit.services` is being written elsewhere.

Once the core-audit branch is merged the import succeeds and this is a plain re-export.
"""

from __future__ import annotations

from typing import Any

try:
    from samverkan.audit.services import audit_record
except ImportError:  # pragma: no cover - only before core-audit is merged

    def audit_record(  # type: ignore[misc]
        *,
        actor: Any,
        action: str,
        record_type: str,
        record_id: str | int,
        controller: str = "",
        reason: str = "",
        detail: dict | None = None,
    ) -> Any:
        return None


__all__ = ["audit_record"]
