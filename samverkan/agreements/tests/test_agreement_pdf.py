"""Issue 19 point 10: an agreement PDF a committee can sign.

Party details kept by the party's own administrator (page and API, with history);
a draft marked UTKAST on every page; the text frozen as decided and served as it
was (an amendment makes a new version); the data-processing, secrecy and dispute
clauses; parties picked from a searchable list.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from io import BytesIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from pypdf import PdfReader

from samverkan.agreements import services
from samverkan.agreements.demo import organisation
from samverkan.agreements.models import (
    Agreement,
    AgreementPartyChange,
    AgreementTypeCode,
    AgreementVersion,
    DecisionBody,
)
from samverkan.audit.models import AuditEntry
from samverkan.core.calendar import STOCKHOLM

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STOCKHOLM)


def pdf_pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(content)).pages]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def fetch_pdf(client, agreement: Agreement) -> tuple[list[str], str]:
    """The agreement's PDF as the page links it (following the redirect to a kept version)."""
    response = client.get(f"/avtal/{agreement.pk}/avtal.pdf")
    where = ""
    if response.status_code == 302:
        where = response["Location"]
        response = client.get(where)
    assert response.status_code == 200, response.status_code
    return pdf_pages(body_of(response)), where


def new_single_entry(code: str = "0182", start: date = date(2027, 1, 1)) -> Agreement:
    return services.agreement_create(
        actor=None,
        type_code=AgreementTypeCode.SINGLE_ENTRY,
        title=f"En ingång – test {code}",
        reference=f"TEST-ROC-{code}-{start.year}",
        organisations=[organisation("0180"), organisation(code)],
        start_date=start,
        end_date=date(start.year, 12, 31),
    )


def decide(agreement: Agreement, code: str, day: date, amendment=None) -> None:
    services.decision_record(
        actor=None,
        agreement=agreement,
        party=agreement.parties.get(organisation__code=code),
        amendment=amendment,
        body_kind=DecisionBody.POLITICAL_COMMITTEE,
        body_name=f"Socialnämnden ({code})",
        decided_on=day,
        reference="§ 1",
        document=ContentFile(b"%PDF-1.4\n", name="beslut.pdf"),
    )


# --- 1. the party's own administrator keeps its details, with history -----------------


@time_machine.travel(NOW)
def test_party_administrator_enters_signatory_committee_and_contact_on_the_page(
    nacka_agreement_admin, login, client
):
    agreement = new_single_entry()
    nacka = agreement.parties.get(organisation__code="0182")
    stockholm = agreement.parties.get(organisation__code="0180")
    login(client, nacka_agreement_admin)
    detail = client.get(f"/avtal/{agreement.pk}/").content.decode()
    assert f"/avtal/{agreement.pk}/part/{nacka.pk}/" in detail
    assert f"/avtal/{agreement.pk}/part/{stockholm.pk}/" not in detail  # not Nacka's to change

    url = f"/avtal/{agreement.pk}/part/{nacka.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "acting_body": "Socialnämnden i Nacka",
            "signatory_name": "Robin Testsson",
            "signatory_title": "Socialdirektör",
            "contact_person": "Maja Provsson, enhetschef",
            "contact_email": "maja.provsson@nacka.example",
            "contact_phone": "070-174 06 12",
        },
    )
    assert response.status_code == 302
    nacka.refresh_from_db()
    assert nacka.signatory_name == "Robin Testsson" and nacka.acting_body == "Socialnämnden i Nacka"
    change = AgreementPartyChange.objects.get(party=nacka, field="signatory_name")
    assert change.old_value == "" and change.new_value == "Robin Testsson"
    assert change.recorded_by == nacka_agreement_admin
    assert change.recorded_by_organisation.code == "0182"
    assert AuditEntry.objects.filter(
        action="change", record_type="agreements.AgreementParty", record_id=str(nacka.pk)
    ).exists()
    history = client.get(url).content.decode()
    assert "Robin Testsson" in history and "Undertecknare" in history

    # Another party's details are not Nacka's to change.
    assert client.get(f"/avtal/{agreement.pk}/part/{stockholm.pk}/").status_code == 403
    refused = client.post(f"/avtal/{agreement.pk}/part/{stockholm.pk}/", {"signatory_name": "X"})
    assert refused.status_code == 403
    stockholm.refresh_from_db()
    assert stockholm.signatory_name == ""

    pages, _ = fetch_pdf(client, agreement)
    text = " ".join(pages)
    assert "Robin Testsson, Socialdirektör" in text
    assert "genom Socialnämnden i Nacka" in text
    assert "Maja Provsson, enhetschef, maja.provsson@nacka.example, tel. 070-174 06 12" in text


@time_machine.travel(NOW)
def test_party_details_through_the_api_for_ones_own_party_only(
    nacka_agreement_admin, login, client
):
    agreement = new_single_entry()
    login(client, nacka_agreement_admin)
    url = f"/api/v1/agreements/{agreement.pk}/parties/0182"
    response = client.patch(
        url, json.dumps({"signatory_name": "Robin Testsson"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["signatory_name"] == "Robin Testsson"
    assert AgreementPartyChange.objects.filter(new_value="Robin Testsson").exists()
    other = client.patch(
        f"/api/v1/agreements/{agreement.pk}/parties/0180",
        json.dumps({"signatory_name": "X"}),
        content_type="application/json",
    )
    assert other.status_code == 403


@time_machine.travel(NOW)
def test_a_bad_email_is_refused_beside_its_field_and_nothing_is_lost(
    nacka_agreement_admin, login, client
):
    agreement = new_single_entry()
    nacka = agreement.parties.get(organisation__code="0182")
    login(client, nacka_agreement_admin)
    response = client.post(
        f"/avtal/{agreement.pk}/part/{nacka.pk}/",
        {"signatory_name": "Robin Testsson", "contact_email": "inte-en-adress"},
    )
    assert response.status_code == 400
    assert 'value="Robin Testsson"' in response.content.decode()
    assert not AgreementPartyChange.objects.filter(party=nacka).exists()


@time_machine.travel(NOW)
def test_demo_pdf_is_complete(demo, nacka_agreement_admin, login, client):
    """The demo's Nacka agreement prints org numbers, signatories and contacts: no gaps."""
    login(client, nacka_agreement_admin)
    pages, _ = fetch_pdf(client, Agreement.objects.get(reference="SN-ROC-0182"))
    text = " ".join(pages)
    assert "Stockholms stad, org.nr 212000-0142" in text
    assert "Nacka kommun, org.nr 212000-0167" in text
    for gap in ("org.nr —", "(utses)", "…"):
        assert gap not in text
    assert "Karin Exempelsson, Förvaltningschef" in text and "Per Demosson, Socialchef" in text
    # a municipality the registry ships no number for gets the demo's fictional one
    huddinge = AgreementVersion.objects.get(agreement__reference="SN-ROC-0126").source
    assert "Huddinge kommun, org.nr 212000-926" in huddinge and "org.nr —" not in huddinge


# --- 2. a draft until every decision exists ---------------------------------------------


@time_machine.travel(NOW)
def test_pdf_is_marked_draft_on_every_page_until_every_party_decided(
    agreement_admin, login, client
):
    agreement = new_single_entry()
    login(client, agreement_admin)
    pages, where = fetch_pdf(client, agreement)
    assert where == "" and len(pages) > 1
    assert all("UTKAST" in page for page in pages)
    decide(agreement, "0180", date(2026, 11, 2))
    pages, _ = fetch_pdf(client, agreement)
    assert all("UTKAST" in page for page in pages)  # one party still to decide
    decide(agreement, "0182", date(2026, 11, 3))
    pages, where = fetch_pdf(client, agreement)
    assert where.startswith("/dokument/avtalsversion/")
    assert not any("UTKAST" in page for page in pages)


# --- 3. the text as decided is kept and served as it was ---------------------------------


@time_machine.travel(NOW)
def test_the_decided_text_is_kept_and_served_as_it_was(agreement_admin, login, client):
    agreement = new_single_entry(code="0184", start=date(2024, 2, 1))
    solna = agreement.parties.get(organisation__code="0184")
    services.agreement_party_update(actor=None, party=solna, signatory_name="Första Signatär")
    decide(agreement, "0180", date(2024, 1, 15))
    decide(agreement, "0184", date(2024, 1, 20))
    version = AgreementVersion.objects.get(agreement=agreement)
    assert version.number == 1 and version.decided_on == date(2024, 1, 20)
    # Changed afterwards: the decided text does not change.
    services.agreement_party_update(actor=None, party=solna, signatory_name="Senare Signatär")

    login(client, agreement_admin)
    pages, where = fetch_pdf(client, agreement)
    text = " ".join(pages)
    assert "Första Signatär" in text and "Senare Signatär" not in text
    # decided in 2024: it cites the Social Services Act then in force, not the 2025 act
    assert "14 kap. 1 § socialtjänstlagen (2001:453)" in text
    assert "2025:400" not in text
    assert AuditEntry.objects.filter(
        action="disclose", record_type="agreements.AgreementVersion", record_id=str(version.pk)
    ).exists()
    assert where == f"/dokument/avtalsversion/{version.pk}/"


@time_machine.travel(NOW)
def test_a_draft_today_cites_the_act_in_force(agreement_admin, login, client):
    agreement = new_single_entry()
    login(client, agreement_admin)
    text = " ".join(fetch_pdf(client, agreement)[0])
    assert "19 kap. 1 § socialtjänstlagen (2025:400)" in text


@time_machine.travel(NOW)
def test_an_amendment_makes_a_new_version_with_its_full_text(agreement_admin, login, client):
    agreement = new_single_entry(code="0184", start=date(2024, 2, 1))
    decide(agreement, "0180", date(2024, 1, 15))
    decide(agreement, "0184", date(2024, 1, 20))
    amendment = services.amendment_add(
        actor=None,
        agreement=agreement,
        summary="Ny telefontid",
        text="Punkt 4 ändras: samverkande kommun svarar inom 15 minuter.",
        effective_date=date(2026, 10, 1),
    )
    login(client, agreement_admin)
    pages, where = fetch_pdf(client, agreement)  # the amendment is not decided: a draft
    assert where == "" and all("UTKAST" in page for page in pages)
    decide(agreement, "0180", date(2026, 9, 1), amendment=amendment)
    decide(agreement, "0184", date(2026, 9, 2), amendment=amendment)
    versions = list(agreement.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2] and versions[1].amendment == amendment
    pages, where = fetch_pdf(client, agreement)
    text = " ".join(pages)
    assert where == f"/dokument/avtalsversion/{versions[1].pk}/"
    assert "Punkt 4 ändras: samverkande kommun svarar inom 15 minuter." in text
    assert "3. Uppdrag/åtagande" in text  # the full text, not the amendment alone
    assert "UTKAST" not in text
    first = " ".join(pdf_pages(body_of(client.get(f"/dokument/avtalsversion/{versions[0].pk}/"))))
    assert "Punkt 4 ändras" not in first
    detail = client.get(f"/avtal/{agreement.pk}/").content.decode()
    assert "Version 1" in detail and "Version 2" in detail and "Ny telefontid" in detail


# --- 4. the data-processing, secrecy and dispute clauses ----------------------------------


@time_machine.travel(NOW)
@pytest.mark.parametrize(
    "type_code", [AgreementTypeCode.SINGLE_ENTRY, AgreementTypeCode.DEFECTOR_SERVICES]
)
def test_clauses_cite_gdpr_article_28_the_secrecy_act_and_disputes(
    type_code, agreement_admin, login, client
):
    agreement = services.agreement_create(
        actor=None,
        type_code=type_code,
        title="Klausultest",
        reference=f"KLAUSUL-{type_code}",
        organisations=[organisation("0180"), organisation("0182")],
        start_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
    )
    login(client, agreement_admin)
    text = " ".join(fetch_pdf(client, agreement)[0])
    assert "personuppgiftsbiträde enligt artikel 28" in text
    assert "(EU) 2016/679" in text
    assert "26 kap. 1 § offentlighets- och sekretesslagen (2009:400)" in text
    assert "2 kap. 1 § OSL" in text and "10 kap. 2 § OSL" in text
    assert "Tvister" in text and "allmän domstol" in text


# --- 5. parties picked from a searchable list ---------------------------------------------


@time_machine.travel(NOW)
def test_parties_are_a_searchable_list_without_ended_organisations(
    nacka_agreement_admin, login, client
):
    from samverkan.registry.models import Organisation

    ended = Organisation.objects.create(
        code="9999-ended", name="Nedlagda nämnden", kind="committee", valid_to=date(2025, 1, 1)
    )
    login(client, nacka_agreement_admin)
    page = client.get("/avtal/nytt/").content.decode()
    assert "<select" not in page.split('id="party-options"')[0].split("Parter")[-1]
    assert 'name="organisations" multiple' not in page
    assert 'type="checkbox" name="organisations"' in page
    assert 'type="search" name="party_search"' in page and "data-filter-input" in page
    assert "Nedlagda nämnden" not in page

    # Without JavaScript: "Sök" narrows the list and keeps what was typed and ticked.
    nacka = organisation("0182")
    narrowed = client.post(
        "/avtal/nytt/",
        {
            "title": "Skola och socialtjänst",
            "party_search": "Solna",
            "organisations": [nacka.pk],
            "search": "1",
        },
    )
    assert narrowed.status_code == 200
    html = narrowed.content.decode()
    assert 'value="Skola och socialtjänst"' in html
    assert "Solna stad (0184)" in html and "Nacka kommun (0182)" in html  # ticked: kept
    assert "Huddinge kommun" not in html
    assert f'value="{nacka.pk}"' in html and "checked" in html
    assert not Agreement.objects.filter(title="Skola och socialtjänst").exists()

    # An ended organisation posted anyway is refused.
    refused = client.post(
        "/avtal/nytt/",
        {
            "type": 1,
            "title": "X",
            "reference": "X-1",
            "organisations": [nacka.pk, ended.pk],
            "start_date": "2027-01-01",
        },
    )
    assert refused.status_code == 400
