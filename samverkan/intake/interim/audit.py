"""Stand-in for `samverkan.audit.services.audit_record` (contract in CONTRACTS.md)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils import timezone

from samverkan.accounts.models import ApiClient, User
from samverkan.audit.models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    record_type: str,
    record_id: str | int,
    controller: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    previous = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    entry = AuditEntry(
        at=timezone.now(),
        actor_user=actor if isinstance(actor, User) else None,
        actor_client=actor if isinstance(actor, ApiClient) else None,
        actor_label=str(actor) if actor is not None else "system",
        actor_organisation=getattr(getattr(actor, "organisation", None), "code", ""),
        action=action,
        record_type=record_type,
        record_id=str(record_id),
        controller=controller,
        reason=reason,
        detail=detail or {},
        previous_hash=previous or "",
    )
    payload = json.dumps(
        [
            entry.at.isoformat(),
            entry.actor_label,
            action,
            record_type,
            str(record_id),
            controller,
            reason,
            entry.detail,
            entry.previous_hash,
        ],
        sort_keys=True,
        default=str,
    )
    entry.entry_hash = hashlib.sha256(payload.encode()).hexdigest()
    entry.save()
    return entry
