"""The case-system section of the receiver's report page (registered in `declarations`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from samverkan.casesystems import adapters, services
from samverkan.casesystems.models import HandoverStatus


def receiver_report_section(request: HttpRequest, report: Any) -> str:
    """Where the report stands in the receiver's case system, and the button to send it.

    Nothing before the report is accepted, nor where the receiver has no connection
    and the report was never sent.
    """
    if report.accepted_at is None:
        return ""
    handover = services.handover_of(report)
    connection = services.connection_for(report) if handover is None else handover.connection
    if connection is None:
        return ""
    adapter = adapters.get(connection.adapter)
    attempts = list(handover.attempts.all()) if handover else []
    can_send = (handover is None or handover.status == HandoverStatus.FAILED) and bool(
        report.person_id
    )
    return render_to_string(
        "casesystems/_report_section.html",
        {
            "report": report,
            "handover": handover,
            "system": adapter.label if adapter else connection.adapter,
            "last_attempt": attempts[-1] if attempts else None,
            "can_send": can_send and connection.is_active,
            "missing_person_id": not report.person_id,
        },
        request=request,
    )
