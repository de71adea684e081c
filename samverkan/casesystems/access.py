"""Who may have a report registered in the case system: a receiver of the report's own
organisation (intake's `received_by`), once it is accepted. Anyone else finds no report."""

from __future__ import annotations

from typing import Any

from samverkan.intake import access as intake_access
from samverkan.intake.models import ReportQuerySet

RECEIVERS = intake_access.RECEIVERS


def reports_sendable_by(actor: Any) -> ReportQuerySet:
    """The reports `actor` may send to its case system (its organisation's, accepted)."""
    return intake_access.received_by(actor).filter(accepted_at__isnull=False)
