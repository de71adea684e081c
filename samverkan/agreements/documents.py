"""Agreement documents: the type's HTML template rendered to PDF with WeasyPrint.

A text is a draft (marked UTKAST on every page) until every party's decision
exists; then `services` freezes it as an `AgreementVersion` (the exact HTML and
its PDF) and that is what is served afterwards. The law a text cites is the law
in force the day the agreement was decided (a draft: today), so a 2024 agreement
keeps citing the old Social Services Act (SPEC §9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.template.loader import render_to_string

from samverkan.agreements.models import Agreement, Amendment
from samverkan.registry.models import Organisation


@dataclass(frozen=True)
class SocialServicesAct:
    """How the text cites the Social Services Act in force on a day (SPEC §9)."""

    name: str  # "socialtjänstlagen (2025:400)"
    duty_to_report: str  # the police's and schools' duty to report concern for a child
    home_municipality: str  # bosättningskommun
    agreement_on_tasks: str  # another municipality performs tasks (with KL 9 kap. 37 §)
    former: str  # the old reference beside the new one, where users still say it


NEW_ACT_FROM = date(2025, 7, 1)
NEW_ACT = SocialServicesAct(
    name="socialtjänstlagen (2025:400)",
    duty_to_report="19 kap. 1 §",
    home_municipality="29 kap. 1 §",
    agreement_on_tasks="4 kap. 3 §",
    former=" (tidigare 14 kap. 1 § socialtjänstlagen (2001:453))",
)
OLD_ACT = SocialServicesAct(
    name="socialtjänstlagen (2001:453)",
    duty_to_report="14 kap. 1 §",
    home_municipality="2 a kap. 3 §",
    agreement_on_tasks="2 kap. 5 §",
    former="",
)


def social_services_act(on: date) -> SocialServicesAct:
    """SoL 2001:453 until 2025-06-30, SoL 2025:400 from 2025-07-01."""
    return NEW_ACT if on >= NEW_ACT_FROM else OLD_ACT


class Mark(StrEnum):
    """What every page of a text that is not the decided one says it is."""

    DECIDED = ""
    DRAFT = "UTKAST – inte beslutat av alla parter"
    RECONSTRUCTED = "ÅTERSKAPAD TEXT – den beslutade versionen är inte sparad"


def org_number_of(organisation: Organisation) -> str:
    """The organisation's number, or for a committee or district its municipality's ("")."""
    while organisation is not None:
        if organisation.org_number:
            return organisation.org_number
        organisation = organisation.parent  # type: ignore[assignment]
    return ""


def agreement_document_context(
    agreement: Agreement,
    *,
    law_on: date,
    mark: Mark,
    amendments: list[Amendment],
    version: int | None = None,
) -> dict[str, Any]:
    parties = list(agreement.parties.select_related("organisation__parent").order_by("id"))
    for party in parties:
        party.printed_org_number = org_number_of(party.organisation)  # type: ignore[attr-defined]
    amendment_ids = [a.pk for a in amendments]
    decisions = agreement.decisions.filter(amendment__isnull=True) | agreement.decisions.filter(
        amendment_id__in=amendment_ids
    )
    decided_amendments = set(
        agreement.decisions.filter(amendment_id__in=amendment_ids).values_list(
            "amendment_id", "party_id"
        )
    )
    return {
        "agreement": agreement,
        "type": agreement.type,
        "parties": parties,
        "first": parties[0] if parties else None,
        "others": parties[1:],
        "decisions": decisions.select_related("party__organisation", "amendment").order_by(
            "amendment__number", "decided_on", "id"
        ),
        "amendments": [
            {
                "amendment": a,
                "decided": all((a.pk, p.pk) in decided_amendments for p in parties),
            }
            for a in amendments
        ],
        "dpas": agreement.data_processing_agreements.select_related("controller", "processor"),
        "sol": social_services_act(law_on),
        "mark": mark.value,
        "version": version,
    }


def render_agreement_html(
    agreement: Agreement,
    *,
    law_on: date,
    mark: Mark,
    amendments: list[Amendment],
    version: int | None = None,
) -> str:
    context = agreement_document_context(
        agreement, law_on=law_on, mark=mark, amendments=amendments, version=version
    )
    return render_to_string(agreement.type.document_template, context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None  # noqa: S101 - write_pdf without a target returns bytes
    return pdf
