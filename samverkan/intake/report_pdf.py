"""A concern report as PDF: the facts a receiver sees on the report's page, on paper.

The PDF is what leaves Samverkan when a report is handed over outside it (the
SDK message, `intake.sdk`), so it shows the same facts as the receiver's page
(`intake/_report_facts.html`) and nothing more.
"""

from __future__ import annotations

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from samverkan.intake.models import ConcernReport


def render_report_html(report: ConcernReport, *, generated_at: datetime | None = None) -> str:
    return render_to_string(
        "intake/sdk/report.html",
        {"report": report, "generated_at": generated_at or timezone.now()},
    )


def render_report_pdf(report: ConcernReport, *, generated_at: datetime | None = None) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=render_report_html(report, generated_at=generated_at)).write_pdf()
    assert pdf is not None  # noqa: S101 - write_pdf without a target returns bytes
    return pdf
