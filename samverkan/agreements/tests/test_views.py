from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.agreements.models import Agreement, Notice, TerminationNotification
from samverkan.agreements.tests.conftest import make_user
from samverkan.core.calendar import STOCKHOLM

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STOCKHOLM)


def agreement(code):
    return Agreement.objects.get(reference=f"SN-ROC-{code}")


def upload(name="uppsagning.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n", content_type="application/pdf")


@time_machine.travel(NOW)
def test_list_shows_status_and_filters(demo, agreement_admin, login, client):
    login(client, agreement_admin)
    body = client.get("/avtal/").content.decode()
    assert "En ingång – " in body and "Beslut saknas" in body and "Har inte börjat gälla" in body
    filtered = client.get("/avtal/?status=decisions_missing").content.decode()
    assert "Nynäshamn" in filtered and "Nacka" not in filtered
    by_type = client.get("/avtal/?type=defector_services").content.decode()
    assert "avhoppare" in by_type and "Solna" not in by_type


@time_machine.travel(NOW)
def test_party_user_reads_only_own_agreements(demo, nacka_receiver, login, client):
    login(client, nacka_receiver)
    body = client.get("/avtal/").content.decode()
    assert "Nacka" in body and "Solna" not in body
    assert client.get(f"/avtal/{agreement('0184').pk}/").status_code == 404
    detail = client.get(f"/avtal/{agreement('0182').pk}/").content.decode()
    assert "Händelser" in detail and "Registrera beslut" not in detail


@time_machine.travel(NOW)
def test_detail_timeline_shows_decisions_renewals_and_notice(demo, agreement_admin, login, client):
    login(client, agreement_admin)
    body = client.get(f"/avtal/{agreement('0120').pk}/").content.decode()
    assert "2024-01-20" in body
    assert "Förlängt (förlängning 1) till och med 2025-12-31" in body
    assert "Uppsagt av" in body and "2026-06-10" in body
    assert "Systemet underrättade" in body and "kvitterade underrättelsen" in body


@time_machine.travel(NOW)
def test_admin_gives_notice_in_the_ui_and_roc_is_told_by_the_system(
    demo, nacka_agreement_admin, login, client
):
    login(client, nacka_agreement_admin)
    nacka = agreement("0182")
    party = nacka.parties.get(organisation__code="0182")
    response = client.post(
        f"/avtal/{nacka.pk}/uppsagning/",
        {"party": party.pk, "given_on": "2026-11-25", "document": upload()},
    )
    assert response.status_code == 302
    assert Notice.objects.get(agreement=nacka).last_day.isoformat() == "2027-02-25"
    detail = client.get(f"/avtal/{nacka.pk}/").content.decode()
    # No tick box for the party: the system told ROC, and ROC acknowledges.
    assert "Markera som skickad" not in detail and "inte kvitterad än" in detail
    task = TerminationNotification.objects.get(agreement=nacka)
    assert client.post(f"/avtal/underrattelse/{task.pk}/kvittera/").status_code == 403
    task.refresh_from_db()
    assert task.acknowledged_at is None


@time_machine.travel(NOW)
def test_form_error_keeps_input_and_says_why(demo, nacka_agreement_admin, login, client):
    login(client, nacka_agreement_admin)
    nacka = agreement("0182")
    party = nacka.parties.get(organisation__code="0182")
    response = client.post(
        f"/avtal/{nacka.pk}/uppsagning/", {"party": party.pk, "given_on": "2026-11-25"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="2026-11-25"' in body
    assert not Notice.objects.filter(agreement=nacka).exists()


@time_machine.travel(NOW)
def test_other_admin_gets_403_and_receiver_403(demo, nacka_agreement_admin, login, client):
    solna_admin = make_user("avtal-solna", "0184", "agreement_admin")
    login(client, solna_admin)
    nacka = agreement("0182")
    party = nacka.parties.get(organisation__code="0182")
    data = {"party": party.pk, "given_on": "2026-11-25", "document": upload()}
    # Not a party: the agreement is not even visible.
    assert client.post(f"/avtal/{nacka.pk}/uppsagning/", data).status_code == 404
    receiver = make_user("mottagning-nacka-2", "0182", "receiver")
    login(client, receiver)
    data["document"] = upload()
    assert client.post(f"/avtal/{nacka.pk}/uppsagning/", data).status_code == 403
    assert (
        client.post(
            f"/avtal/{nacka.pk}/tillagg/", {"summary": "x", "effective_date": "2027-01-01"}
        ).status_code
        == 403
    )
    assert not Notice.objects.filter(agreement=nacka).exists()


def _nynashamn_decides(client, login, admin, **fields):
    """The admin posts Nynäshamn's decision (of 24 November 2026) on its agreement's page."""
    login(client, admin)
    party = agreement("0192").parties.get(organisation__code="0192")
    response = client.post(
        f"/avtal/{party.agreement_id}/beslut/",
        {"party": party.pk, "decided_on": "2026-11-24", **fields},
    )
    return response, party


@time_machine.travel(NOW)
def test_record_decision_with_upload(demo, agreement_admin, login, client):
    response, party = _nynashamn_decides(
        client,
        login,
        agreement_admin,
        body_kind="political_committee",
        body_name="Socialnämnden",
        reference="§ 12",
        document=upload("beslut.pdf"),
    )
    assert response.status_code == 302
    detail = client.get(f"/avtal/{party.agreement_id}/").content.decode()
    assert "Gäller" in detail and "§ 12" in detail
    decision = party.agreement.decisions.get(party=party)
    # The timeline links the signed decision through the one document view.
    link = f"/dokument/avtalsbeslut/{decision.pk}/"
    assert f'href="{link}"' in detail
    download = client.get(link)
    assert b"".join(download.streaming_content) == upload("beslut.pdf").read()


@time_machine.travel(NOW)
def test_wrong_file_type_is_refused(demo, agreement_admin, login, client):
    response, party = _nynashamn_decides(
        client,
        login,
        agreement_admin,
        body_kind="delegate",
        body_name="Socialchef",
        document=SimpleUploadedFile("beslut.exe", b"MZ"),
    )
    assert response.status_code == 400
    assert not party.agreement.decisions.filter(party=party).exists()


@time_machine.travel(NOW)
def test_pdf_of_a_demo_agreement_names_parties_and_org_numbers(
    demo, agreement_admin, login, client
):
    from io import BytesIO

    from pypdf import PdfReader

    nacka = agreement("0182")
    nacka_org = nacka.parties.get(organisation__code="0182").organisation
    nacka_org.org_number = "212000-0167"
    nacka_org.save()
    login(client, agreement_admin)
    # decided in 2024: sent on to the text as it was kept then
    response = client.get(client.get(f"/avtal/{nacka.pk}/avtal.pdf")["Location"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    text = " ".join(text.split())
    assert "Stockholms stad" in text and "212000-0142" in text
    assert nacka_org.name in text and "212000-0167" in text
    assert "12. Avtalstid/uppsägning" in text and "15. Utväxling av avtal" in text


@time_machine.travel(NOW)
def test_defector_agreement_pdf(demo, agreement_admin, login, client):
    from io import BytesIO

    from pypdf import PdfReader

    defectors = Agreement.objects.get(reference="AVH-2023-1")
    login(client, agreement_admin)
    response = client.get(client.get(f"/avtal/{defectors.pk}/avtal.pdf")["Location"])
    content = b"".join(response.streaming_content)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    text = " ".join(text.split())
    assert "Socialnämnden Nordost" in text and "Malmö" in text and "tills vidare" in text


@time_machine.travel(NOW)
def test_admin_registers_a_new_agreement(db, nacka_agreement_admin, login, client):
    from samverkan.agreements.demo import organisation

    login(client, nacka_agreement_admin)
    assert client.get("/avtal/nytt/").status_code == 200
    from samverkan.agreements.models import AgreementType

    data = {
        "type": AgreementType.objects.get(code="school_collaboration").pk,
        "title": "Skola och socialtjänst i Nacka",
        "reference": "NACKA-2026-1",
        "organisations": [organisation("0182").pk, organisation("0180").pk],
        "start_date": "2027-01-01",
        "end_date": "2027-12-31",
    }
    response = client.post("/avtal/nytt/", data)
    assert response.status_code == 302
    created = Agreement.objects.get(reference="NACKA-2026-1")
    assert created.renewal_months == 12 and created.notice_months == 3
    # Without one's own organisation as a party: refused, input kept.
    data["reference"] = "SOLNA-X"
    data["organisations"] = [organisation("0184").pk, organisation("0180").pk]
    refused = client.post("/avtal/nytt/", data)
    assert refused.status_code == 400
    assert "Din egen organisation" in refused.content.decode()
    assert 'value="SOLNA-X"' in refused.content.decode()


def test_receiver_cannot_open_the_create_form(db, nacka_receiver, login, client):
    login(client, nacka_receiver)
    assert client.get("/avtal/nytt/").status_code == 403
