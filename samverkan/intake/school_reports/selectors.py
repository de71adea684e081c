"""Reads of the school channel: a school sees the status of its own reports, not their content."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samverkan.intake.models import ConcernReport, SourceChannel


def school_reports_by(user: Any) -> QuerySet[ConcernReport]:
    """The reports the user's school filed: status only is shown (like the police's view)."""
    if getattr(user, "organisation_id", None) is None:
        return ConcernReport.objects.none()
    return (
        ConcernReport.objects.filter(
            source_channel=SourceChannel.SCHOOL, reporting_organisation_id=user.organisation_id
        )
        .select_related("controller")
        .only(
            "public_id",
            "receipt_number",
            "received_at",
            "status",
            "accepted_at",
            "controller__name",
        )
        .order_by("-received_at")
    )
