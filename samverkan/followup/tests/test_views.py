"""Pages and downloads as analysts and managers see them: aggregates only, suppressed."""

from __future__ import annotations

import codecs
import csv
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from samverkan.audit.models import AuditEntry
from samverkan.followup.tests import dataset

DECEMBER = "?period=month&datum=2026-12-01"


@pytest.fixture
def data(registry_demo: dict[str, Any], hub_worker: Any) -> dict[str, Any]:
    return dataset.build(registry_demo, hub_worker)


def personal_data(reports: dict[str, Any]) -> list[str]:
    """Everything identifying in the data set: identity numbers (all forms) and names."""
    found = []
    for number in dataset.PERSON_IDS:
        found += [number, f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}"]
    for name in dataset.NAMES:
        found += [name, *name.split()]
    return found


def assert_no_personal_data(text: str, reports: dict[str, Any]) -> None:
    for needle in personal_data(reports):
        assert needle not in text, needle


def test_analyst_sees_suppressed_aggregates_without_personal_data(
    logged_in_client: Any, analyst: Any, data: dict[str, Any]
) -> None:
    client = logged_in_client(analyst)
    pages = [
        "/",
        f"/uppfoljning/{DECEMBER}",
        f"/uppfoljning/en-ingang/{DECEMBER}&organisation={data['R1'].responsible_municipality_id}",
        f"/uppfoljning/avhoppare/{DECEMBER}",
        "/uppfoljning/oppen/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert_no_personal_data(text, data)
        assert " style=" not in text  # CSP: no inline style attributes
    text = client.get(f"/uppfoljning/{DECEMBER}").content.decode()
    assert "December 2026" in text
    assert "&lt;5" in text  # small counts are hidden for the analyst (all municipalities)
    assert 'role="img"' in text and "<figcaption>" in text


def spreadsheet_rows(body: bytes) -> list[list[str]]:
    """A CSV download as a Swedish spreadsheet reads it: semicolons, after the byte-order mark."""
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_every_download_is_free_of_personal_data(
    logged_in_client: Any, analyst: Any, data: dict[str, Any]
) -> None:
    client = logged_in_client(analyst)
    totals: dict[str, Any] = {}
    for fmt in ("csv", "json", "xlsx"):
        response = client.get(f"/uppfoljning/en-ingang/export.{fmt}{DECEMBER}")
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="uppfoljning-en-ingang-2026-12-01_2026-12-31.{fmt}"'
        )
        body = response.content
        if fmt == "xlsx":
            workbook = load_workbook(io.BytesIO(body))
            rows = [r for sheet in workbook.worksheets for r in sheet.iter_rows(values_only=True)]
            text = " ".join(str(value) for row in rows for value in row if value is not None)
            totals[fmt] = shown(next(row[1] for row in rows if row and row[0] == "Mottagna totalt"))
        elif fmt == "json":
            text = body.decode()
            payload = json.loads(body)
            assert payload["period"]["label"] == "December 2026"
            eligibility = next(t for t in payload["tables"] if t["id"] == "eligibility")
            totals[fmt] = shown(
                next(r for r in eligibility["rows"] if r["key"] == "total")["values"][0]
            )
        else:
            text = body.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text), delimiter=";"))
            total = next(r for r in rows if r[:2] == ["Mottagna anmälningar", "Mottagna totalt"])
            assert total[4:] == ["December 2026", "Alla kommuner"]
            totals[fmt] = shown(total[3])
        assert_no_personal_data(text, data)
    # The downloads are the page's figures in every format: the nine December reports' total
    # is hidden alike everywhere (a complementary suppression: it would give back small cells).
    assert totals == {"csv": None, "json": None, "xlsx": None}


def shown(value: Any) -> int | None:
    """A published count, or None where the download hides it ("–", "<5" or null)."""
    return None if value in (None, "–", "<5") else int(value)


def test_access_by_role(logged_in_client: Any, hub_worker: Any, client: Any, data: Any) -> None:
    assert logged_in_client(hub_worker).get("/uppfoljning/").status_code == 403
    assert logged_in_client(hub_worker).get("/uppfoljning/en-ingang/export.csv").status_code == 403
    response = client.get("/uppfoljning/")
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_nav_entry_for_analysts(logged_in_client: Any, analyst: Any) -> None:
    text = logged_in_client(analyst).get("/").content.decode()
    assert 'href="/uppfoljning/"' in text


def test_own_organisation_sees_unsuppressed_figures(
    logged_in_client: Any, nacka_agreement_admin: Any, analyst: Any, data: dict[str, Any]
) -> None:
    nacka = data["R1"].responsible_municipality_id
    url = f"/uppfoljning/en-ingang/tabell/eligibility.csv{DECEMBER}&organisation={nacka}"
    own = spreadsheet_rows(logged_in_client(nacka_agreement_admin).get(url).content)
    assert own == [
        ["Rad", "Antal"],
        ["Omfattas av en ingång", "3"],
        ["Omfattas inte av en ingång", "1"],
        ["Mottagna totalt", "4"],
    ]
    # Stockholm's analyst is outside Nacka: the same figures, suppressed.
    other = spreadsheet_rows(logged_in_client(analyst).get(url).content)
    assert other[1:] == [
        ["Omfattas av en ingång", "<5"],
        ["Omfattas inte av en ingång", "<5"],
        ["Mottagna totalt", "<5"],
    ]


def test_period_switch(logged_in_client: Any, analyst: Any, data: Any) -> None:
    client = logged_in_client(analyst)
    response = client.get("/uppfoljning/en-ingang/?period=custom&fran=2026-12-07&till=2026-12-07")
    text = response.content.decode()
    assert "7 december 2026 – 7 december 2026" in text
    bad = client.get("/uppfoljning/en-ingang/?period=custom&fran=2026-12-08&till=2026-12-01")
    assert "Slutdatum kan inte vara före startdatum." in bad.content.decode()
    week = client.get("/uppfoljning/en-ingang/?period=week&datum=2026-12-24").content.decode()
    assert "Vecka 52 2026" in week


def test_table_csv_and_xlsx_content(
    logged_in_client: Any, agreement_admin: Any, data: dict[str, Any]
) -> None:
    # Stockholm's agreement administrator, for Stockholm: unsuppressed.
    client = logged_in_client(agreement_admin)
    stockholm = data["R5"].responsible_municipality_id
    query = f"{DECEMBER}&organisation={stockholm}"
    rows = spreadsheet_rows(
        client.get(f"/uppfoljning/en-ingang/tabell/by_district.csv{query}").content
    )
    assert rows[0] == ["Rad", "Antal"]
    assert [row[1] for row in rows[1:]] == ["1", "1"]  # Farsta, and the total
    assert rows[2][0] == "Totalt"
    response = client.get(f"/uppfoljning/en-ingang/tabell/times.xlsx{DECEMBER}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    header = next(row for row in values if row[0] == "Rad")
    assert list(header[:4]) == ["Rad", "Antal", "Median (minuter)", "90:e percentilen (minuter)"]
    accepted = next(row for row in values if row[0] == "Till mottagen av ansvarig kommun")
    # All municipalities: Stockholm's admin is outside Nacka and Solna, so the figures are
    # suppressed — but 6 ≥ 5, so the count, median 35 and p90 60 minutes are shown.
    assert list(accepted[:4]) == ["Till mottagen av ansvarig kommun", 6, 35.0, 60.0]
    protection = next(row for row in values if row[0] == "Till omedelbar skyddsbedömning")
    assert list(protection[:4]) == ["Till omedelbar skyddsbedömning", "<5", "–", "–"]


def test_exports_are_audited(logged_in_client: Any, analyst: Any, data: Any) -> None:
    client = logged_in_client(analyst)
    before = AuditEntry.objects.filter(action="export").count()
    client.get(f"/uppfoljning/en-ingang/tabell/by_hour.csv{DECEMBER}")
    client.get(f"/uppfoljning/en-ingang/export.xlsx{DECEMBER}")
    entries = AuditEntry.objects.filter(action="export").order_by("pk")
    assert entries.count() == before + 2
    last = entries.last()
    assert last is not None
    assert last.actor_user_id == analyst.pk
    assert last.record_type == "followup.Dashboard"
    assert last.detail["format"] == "xlsx" and last.detail["suppressed"] is True
    assert last.detail["period_from"] == "2026-12-01"


def test_pdf_committee_report(logged_in_client: Any, analyst: Any, data: Any) -> None:
    response = logged_in_client(analyst).get(f"/uppfoljning/en-ingang/export.pdf{DECEMBER}")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "December 2026" in text
    assert "Tider från mottagen anmälan" in text
    assert "35 min" in text
    assert_no_personal_data(text, data)


def test_json_export(logged_in_client: Any, analyst: Any, data: Any) -> None:
    body = logged_in_client(analyst).get(f"/uppfoljning/en-ingang/export.json{DECEMBER}")
    payload = json.loads(body.content)
    tables = {t["id"]: t for t in payload["tables"]}
    eligibility = {
        r["key"]: (r["values"][0], r["hidden"][0]) for r in tables["eligibility"]["rows"]
    }
    # A hidden value is null with its reason beside it, never the string "<5".
    assert eligibility == {
        "eligible": (None, "secondary"),
        "not_eligible": (None, "primary"),
        "total": (None, "secondary"),
    }
    times = {r["key"]: r for r in tables["times"]["rows"]}
    assert times["accepted"]["values"][:2] == [6, 35.0]  # numbers as numbers (minutes)
    assert times["accepted"]["hidden"][:2] == [None, None]
    assert '"<5"' not in body.content.decode() and '"–"' not in body.content.decode()
    assert payload["suppressed"] is True


def test_agreement_figures_unsuppressed_for_the_provider_only(
    registry_demo: dict[str, Any], agreement_admin: Any, nacka_agreement_admin: Any, analyst: Any
) -> None:
    from samverkan.agreements.models import PartyRole
    from samverkan.defectors.tests.conftest import make_agreement
    from samverkan.followup.access import must_suppress
    from samverkan.followup.selectors import Scope

    agreement = make_agreement(registry_demo, reference="AVH-SUPPRESS")
    scope = Scope(agreement=agreement)
    # No provider party: nobody is responsible for all of it, everything is suppressed.
    assert must_suppress(agreement_admin, scope)
    agreement.parties.filter(organisation__code="0180").update(role=PartyRole.PROVIDER)
    assert not must_suppress(agreement_admin, scope)  # Stockholm provides the service
    assert not must_suppress(analyst, scope)  # Stockholm's analyst too
    assert must_suppress(nacka_agreement_admin, scope)
    assert must_suppress(nacka_agreement_admin, Scope())  # all municipalities
    assert not must_suppress(nacka_agreement_admin, Scope(organisation=registry_demo["0182"]))
    # A district's figures: Stockholm (above the district) sees them in full.
    assert not must_suppress(analyst, Scope(organisation=registry_demo["0180-farsta"]))
    assert must_suppress(nacka_agreement_admin, Scope(organisation=registry_demo["0180-farsta"]))


def test_machine_csv_on_request(logged_in_client: Any, analyst: Any, data: Any) -> None:
    """?stil=maskin: commas and decimal points, no byte-order mark (documented in the help)."""
    client = logged_in_client(analyst)
    body = client.get(f"/uppfoljning/en-ingang/tabell/times.csv{DECEMBER}&stil=maskin").content
    assert not body.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0][:2] == ["Rad", "Antal"]
    spreadsheet = spreadsheet_rows(
        client.get(f"/uppfoljning/en-ingang/tabell/times.csv{DECEMBER}").content
    )
    accepted = next(row for row in rows if row[0] == "Till mottagen av ansvarig kommun")
    same = next(row for row in spreadsheet if row[0] == "Till mottagen av ansvarig kommun")
    assert accepted[2] == "35.0" and same[2] == "35,0"
