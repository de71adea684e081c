"""Steps the agreement tests take on the demo's single-entry agreements, said once.

The same steps run against mail in memory (`test_party_acts_for_itself`) and
through a real SMTP server (`test_mail_smtp`).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.agreements import services
from samverkan.agreements.models import Agreement, AgreementDecision

NACKA_DECISION = {
    "party": "0182",
    "body_kind": "political_committee",
    "body_name": "Socialnämnden, Nacka",
    "decided_on": "2026-11-20",
    "reference": "§ 5",
}


def single_entry(code: str) -> Agreement:
    return Agreement.objects.get(reference=f"SN-ROC-{code}")


def pdf(name: str = "dok.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n", content_type="application/pdf")


def without_nacka_decision() -> Agreement:
    """Nacka's single-entry agreement with Nacka's own decision not yet registered."""
    nacka = single_entry("0182")
    AgreementDecision.objects.filter(agreement=nacka, party__organisation__code="0182").delete()
    services.agreement_refresh_window(agreement=nacka)
    return nacka


def register_nacka_decision(client: Any, agreement: Agreement) -> Any:
    """Post Nacka's decision with its signed document, as whoever `client` is signed in as."""
    return client.post(
        f"/api/v1/agreements/{agreement.pk}/decisions", {**NACKA_DECISION, "document": pdf()}
    )


def give_nackas_notice(client: Any, agreement: Agreement) -> Any:
    """Nacka gives notice of termination through the page, with the signed notice."""
    party = agreement.parties.get(organisation__code="0182")
    return client.post(
        f"/avtal/{agreement.pk}/uppsagning/",
        {"party": party.pk, "given_on": "2026-11-25", "document": pdf()},
    )
