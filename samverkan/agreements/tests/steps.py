"""Steps the agreement tests take on the demo's single-entry agreements, said once.

The same steps run against mail in memory (`test_party_acts_for_itself`) and
through a real SMTP server (`test_mail_smtp`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.accounts.models import User
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


def nacka_gives_notice_as(
    admin: User, client: Any, login: Callable[..., Any], capture_on_commit: Callable[..., Any]
) -> Agreement:
    """`admin` signs in and gives Nacka's notice on its single-entry agreement; what the
    commit sends (the mail to ROC) is sent. The agreement noticed."""
    nacka = single_entry("0182")
    login(client, admin)
    with capture_on_commit(execute=True):
        response = give_nackas_notice(client, nacka)
    assert response.status_code == 302
    return nacka
