"""Agreement documents: the type's HTML template rendered to PDF with WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from samverkan.agreements.models import Agreement


def agreement_document_context(agreement: Agreement) -> dict[str, Any]:
    parties = list(agreement.parties.select_related("organisation").order_by("id"))
    return {
        "agreement": agreement,
        "type": agreement.type,
        "parties": parties,
        "first": parties[0] if parties else None,
        "others": parties[1:],
        "decisions": agreement.decisions.filter(amendment__isnull=True).select_related(
            "party__organisation"
        ),
        "amendments": agreement.amendments.all(),
    }


def render_agreement_html(agreement: Agreement) -> str:
    return render_to_string(agreement.type.document_template, agreement_document_context(agreement))


def render_agreement_pdf(agreement: Agreement) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=render_agreement_html(agreement)).write_pdf()
    assert pdf is not None  # noqa: S101 - write_pdf without a target returns bytes
    return pdf
