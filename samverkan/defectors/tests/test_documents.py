"""A defector's consent document: downloaded only through the application (issue 17, point 7).

It was linked as /media/…, which nothing serves (404). Now the assignment page
links to core:document, which gives the file to the assignment's parties only,
as an attachment, and logs the disclosure.
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.defectors import rules
from samverkan.defectors.models import PreconditionConfirmation
from samverkan.defectors.tests.conftest import STOCKHOLM, prepared, requested

CONSENT = b"%PDF-1.4 test"  # what conftest.confirm_all uploads


def consent_of(assignment: Any) -> PreconditionConfirmation:
    return PreconditionConfirmation.objects.get(
        assignment=assignment, kind=rules.PreconditionKind.LEGAL_BASIS
    )


def test_the_assignment_page_links_to_the_consent_and_the_party_downloads_it(
    logged_in_client: Any, stockholm: Any, agreement: Any, org: dict[str, Any]
) -> None:
    assignment = prepared(stockholm, agreement, org["1480"])
    client = logged_in_client(stockholm)
    page = client.get(reverse("defectors:detail", args=[assignment.pk])).content.decode()
    links = re.findall(r'href="([^"]+)">dokument</a>', page)
    consent = consent_of(assignment)
    consent_link = f"/dokument/avhoppare-forutsattning/{consent.pk}/"
    assert consent_link in links
    assert all(link.startswith("/dokument/avhoppare-forutsattning/") for link in links)
    assert "/media/" not in page

    before = AuditEntry.objects.count()
    response = client.get(consent_link)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONSENT
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="samtycke' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1 and entry is not None
    assert (entry.action, entry.record_type, entry.record_id) == (
        "disclose",
        "defectors.PreconditionConfirmation",
        str(consent.pk),
    )
    assert entry.actor_user_id == stockholm.pk and entry.controller == STOCKHOLM
    assert entry.detail["document"] == "document"


def test_the_other_party_downloads_it_too(
    logged_in_client: Any, stockholm: Any, gothenburg: Any, agreement: Any, org: dict[str, Any]
) -> None:
    # The receiving side sees the assignment, and its documents, once it is requested.
    assignment = requested(stockholm, agreement, org["1480"])
    consent = consent_of(assignment)
    response = logged_in_client(gothenburg).get(
        reverse("core:document", args=["avhoppare-forutsattning", consent.pk])
    )
    assert b"".join(response.streaming_content) == CONSENT


def test_another_municipality_gets_404_and_nothing_is_logged(
    logged_in_client: Any,
    stockholm: Any,
    malmo: Any,
    nacka_receiver: Any,
    agreement: Any,
    org: dict[str, Any],
) -> None:
    assignment = prepared(stockholm, agreement, org["1480"])
    url = reverse("core:document", args=["avhoppare-forutsattning", consent_of(assignment).pk])
    disclosures = AuditEntry.objects.filter(action="disclose")
    refusals = AuditEntry.objects.filter(action="refused")
    before, refused_before = disclosures.count(), refusals.count()
    # Malmö's defector coordinator is no party; Nacka's receiver works with no defectors.
    for outsider in (malmo, nacka_receiver):
        response = logged_in_client(outsider).get(url)
        assert response.status_code == 404
        assert CONSENT not in response.content
    # Nothing was disclosed; each refusal is logged as an attempt (issue 17 point 9).
    assert disclosures.count() == before
    assert refusals.count() == refused_before + 2


def test_an_unknown_kind_or_a_record_without_a_file_is_404(
    logged_in_client: Any, stockholm: Any, agreement: Any, org: dict[str, Any]
) -> None:
    assignment = prepared(stockholm, agreement, org["1480"])
    without = PreconditionConfirmation.objects.filter(assignment=assignment, document="").first()
    assert without is not None
    client = logged_in_client(stockholm)
    assert client.get(f"/dokument/avhoppare-forutsattning/{without.pk}/").status_code == 404
    assert client.get(f"/dokument/okand/{consent_of(assignment).pk}/").status_code == 404


def test_a_signed_out_visitor_is_sent_to_log_in(
    client: Any, stockholm: Any, agreement: Any, org: dict[str, Any]
) -> None:
    assignment = prepared(stockholm, agreement, org["1480"])
    response = client.get(f"/dokument/avhoppare-forutsattning/{consent_of(assignment).pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")
