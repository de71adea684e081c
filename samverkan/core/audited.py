"""Creating a record and writing its audit entry, as one step.

Every app's services create rows that must be in the access log; the entry names
the record by its model label (`audit.services.audit_record_of`) and the
organisation controlling it. Call inside the service's transaction.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model

from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of

M = TypeVar("M", bound=Model)


def create_audited(
    actor: Any,
    model: type[M],
    *,
    controller: str,
    detail: dict[str, Any] | None = None,
    **fields: Any,
) -> M:
    """Create a `model` row from `fields` and log its creation; `controller` is the code of
    the organisation controlling the record."""
    record = model._default_manager.create(**fields)
    audit_record_of(
        record, actor=actor, action=AuditAction.CREATE, controller=controller, detail=detail or None
    )
    return record
