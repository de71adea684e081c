from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib import admin
from django.test import RequestFactory

from samverkan.audit.models import AuditAction, AuditEntry
from samverkan.audit.names import describe
from samverkan.audit.services import audit_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_audit_log")]

URL = "/logg/"


def entry(controller, record_id="R-1", **kwargs):
    values = {
        "actor": None,
        "action": AuditAction.VIEW,
        "record_type": "concern_report",
        "record_id": record_id,
        "controller": controller,
    }
    values.update(kwargs)
    return audit_record(**values)


def rows(response):
    """The record ids listed, leaving out the log's own entries for earlier searches."""
    return [e.record_id for e in response.context["entries"] if e.record_type != "Loggen"]


def test_nacka_auditor_sees_nacka_entries_but_not_solnas(signed_in, nacka_auditor):
    entry("0182", "NACKA-1")
    entry("0184", "SOLNA-1")
    entry("0180", "STHLM-1")
    response = signed_in(nacka_auditor).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "NACKA-1" in body
    assert "SOLNA-1" not in body
    assert "STHLM-1" not in body
    assert "Sök i loggen" in body


def test_solna_auditor_cannot_reach_nacka_entries_by_record_id(signed_in, solna_auditor):
    entry("0182", "NACKA-1")
    response = signed_in(solna_auditor).get(URL, {"record_id": "NACKA-1"})
    assert response.status_code == 200
    assert rows(response) == []
    assert "Inga loggposter" in response.content.decode()


def test_stockholm_auditor_sees_the_districts_entries_too(signed_in, stockholm_auditor):
    entry("0180", "CITY-1")
    entry("0180-farsta", "FARSTA-1")
    entry("0182", "NACKA-1")
    response = signed_in(stockholm_auditor).get(URL)
    assert sorted(rows(response)) == ["CITY-1", "FARSTA-1"]


def test_non_auditors_get_403(signed_in, nacka_receiver):
    entry("0182", "NACKA-1")
    response = signed_in(nacka_receiver).get(URL)
    assert response.status_code == 403
    assert b"NACKA-1" not in response.content


def test_staff_without_the_auditor_role_get_403(signed_in, make_user):
    admin_user = make_user("admin", "0180", is_staff=True, is_superuser=True)
    assert signed_in(admin_user).get(URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_filters(signed_in, nacka_auditor, nacka_receiver):
    entry("0182", "A", record_type="concern_report", action=AuditAction.VIEW)
    entry("0182", "B", record_type="handover", action=AuditAction.HANDOVER)
    entry("0182", "C", record_type="concern_report", action=AuditAction.EXPORT)
    entry("0182", "D", actor=nacka_receiver)
    client = signed_in(nacka_auditor)
    assert rows(client.get(URL, {"record_type": "handover"})) == ["B"]
    assert rows(client.get(URL, {"record_id": "C"})) == ["C"]
    assert rows(client.get(URL, {"action": "export"})) == ["C"]
    assert rows(client.get(URL, {"actor": "mottag"})) == ["D"]
    assert rows(client.get(URL, {"actor": "Maja"})) == ["D"]


def test_date_range_uses_swedish_dates(signed_in, nacka_auditor):
    # 23:30 UTC on 24 November is 00:30 on 25 November in Stockholm.
    with time_machine.travel(datetime(2026, 11, 24, 22, 30, tzinfo=UTC), tick=False):
        entry("0182", "LATE-24")
    with time_machine.travel(datetime(2026, 11, 24, 23, 30, tzinfo=UTC), tick=False):
        entry("0182", "EARLY-25")
    with time_machine.travel(datetime(2026, 11, 26, 12, 0, tzinfo=UTC), tick=False):
        entry("0182", "DAY-26")
    client = signed_in(nacka_auditor)
    assert rows(client.get(URL, {"date_from": "2026-11-25", "date_to": "2026-11-25"})) == [
        "EARLY-25"
    ]
    assert rows(client.get(URL, {"date_to": "2026-11-24"})) == ["LATE-24"]
    assert rows(client.get(URL, {"date_from": "2026-11-25"})) == ["DAY-26", "EARLY-25"]


def test_bad_date_range_says_so_in_swedish_and_keeps_the_input(signed_in, nacka_auditor):
    response = signed_in(nacka_auditor).get(
        URL, {"date_from": "2026-11-25", "date_to": "2026-11-01", "actor": "Kalle"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Slutdatumet kan inte ligga före startdatumet." in body
    assert 'value="Kalle"' in body
    assert 'value="2026-11-25"' in body


def test_results_are_paginated_newest_first(signed_in, nacka_auditor):
    for i in range(60):
        entry("0182", f"R-{i:02d}")
    client = signed_in(nacka_auditor)
    first = client.get(URL, {"record_type": "concern_report"})
    assert rows(first)[0] == "R-59"
    assert len(rows(first)) == 50
    body = first.content.decode()
    assert "Sida 1 av 2" in body
    assert "record_type=concern_report&amp;sida=2" in body
    second = client.get(URL, {"record_type": "concern_report", "sida": "2"})
    assert rows(second) == [f"R-{i:02d}" for i in range(9, -1, -1)]


def test_searching_the_log_is_itself_logged(signed_in, nacka_auditor):
    signed_in(nacka_auditor).get(URL, {"actor": "Kalle"})
    logged = AuditEntry.objects.get(record_type="audit_log")
    assert logged.actor_user_id == nacka_auditor.pk
    assert logged.controller == "0182"
    assert logged.detail["actor"] == "Kalle"


def test_auditors_have_the_log_in_their_menu(signed_in, nacka_auditor):
    response = signed_in(nacka_auditor).get(URL)
    assert 'href="/logg/"' in response.content.decode()


def test_others_do_not_have_the_log_in_their_menu(signed_in, nacka_receiver):
    from samverkan.core.navigation import nav_for

    assert ("/logg/" in [url for _, url in nav_for({"auditor"})]) is True
    assert "/logg/" not in [url for _, url in nav_for({"receiver"})]


def test_admin_is_read_only(make_user):
    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get("/admin/")
    request.user = make_user("root", None, is_staff=True, is_superuser=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


def test_admin_lists_entries_but_offers_no_add_change_or_delete(signed_in, make_user):
    entry("0182", "NACKA-1")
    root = make_user("root", "0180", is_staff=True, is_superuser=True)
    client = signed_in(root)
    listing = client.get("/admin/audit/auditentry/", {"q": "NACKA-1"})
    assert listing.status_code == 200
    assert "NACKA-1" in listing.content.decode()
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    pk = AuditEntry.objects.get(record_id="NACKA-1").pk
    assert client.get(f"/admin/audit/auditentry/{pk}/delete/").status_code == 403
    detail = client.get(f"/admin/audit/auditentry/{pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


def test_auditor_sees_what_their_own_users_did_in_another_organisations_records(
    signed_in, nacka_auditor, nacka_receiver, solna_auditor
):
    """Nacka's user reads Stockholm's record: filed under Stockholm and under Nacka."""
    entry("0180", "STHLM-BY-NACKA", actor=nacka_receiver)
    entry("0180", "STHLM-BY-SYSTEM")
    assert rows(signed_in(nacka_auditor).get(URL)) == ["STHLM-BY-NACKA"]
    assert rows(signed_in(solna_auditor).get(URL)) == []


# --- for the data-protection officer (issue 18 point 8) ------------------------------------


def concern_report_read(actor, **kwargs):
    values = {
        "record_type": "intake.ConcernReport",
        "reason": "receiving",
        "actor": actor,
        "detail": {"shown": ["Status och tider för anmälan"], "to": ["Polisen ROC"]},
        "action": AuditAction.DISCLOSE,
    }
    return entry("0182", "4711", **(values | kwargs))


def test_entries_show_swedish_names_and_what_was_shown_to_whom(
    signed_in, nacka_auditor, nacka_receiver
):
    concern_report_read(nacka_receiver)
    body = signed_in(nacka_auditor).get(URL).content.decode()
    assert "Orosanmälan" in body
    assert "Nacka kommun" in body
    assert "Mottagning" in body
    assert "Visat: Status och tider för anmälan" in body
    assert "Till: Polisen ROC" in body
    assert "intake.ConcernReport" not in body.split("<table")[1]


@pytest.mark.parametrize(
    "query",
    [
        {"record_type": "Orosanmälan"},
        {"record_type": "orosanmälan"},
        {"record_type": "concern_report"},
        {"record_type": "intake.ConcernReport"},
        {"reason": "Mottagning"},
    ],
)
def test_search_by_swedish_names_and_codes(signed_in, nacka_auditor, nacka_receiver, query):
    concern_report_read(nacka_receiver)
    entry("0182", "OTHER", record_type="intake.Handover", reason="handover")
    assert rows(signed_in(nacka_auditor).get(URL, query)) == ["4711"]


@pytest.mark.parametrize("organisation", ["Farsta", "farsta", "0180-farsta"])
def test_search_by_organisation_name(signed_in, stockholm_auditor, organisation):
    entry("0180", "CITY-1")
    entry("0180-farsta", "FARSTA-1")
    response = signed_in(stockholm_auditor).get(URL, {"organisation": organisation})
    assert rows(response) == ["FARSTA-1"]


def test_the_help_names_a_swedish_record_type(signed_in, nacka_auditor):
    body = signed_in(nacka_auditor).get(URL).content.decode()
    assert "concern_report" not in body
    assert "Orosanmälan" in body


def test_a_disclosure_without_what_and_to_whom_is_refused():
    with pytest.raises(ValueError):
        entry("0182", "1", action=AuditAction.DISCLOSE, detail={"to": ["Polisen"]})
    with pytest.raises(ValueError):
        entry("0182", "1", action=AuditAction.DISCLOSE, detail={"shown": ["status"]})


def test_export_csv_is_filtered_in_swedish_and_logged(signed_in, nacka_auditor, nacka_receiver):
    concern_report_read(nacka_receiver, reason='=HYPERLINK("http://x")')
    entry("0182", "OTHER", record_type="intake.Handover")
    entry("0184", "SOLNA-1")
    client = signed_in(nacka_auditor)
    response = client.get(f"{URL}export.csv", {"record_type": "Orosanmälan"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="logg-')
    text = response.content.decode("utf-8-sig")
    assert "Tid;Vem;Organisation" in text
    assert "Orosanmälan" in text and "4711" in text and "Nacka kommun" in text
    assert "Visat: Status och tider för anmälan" in text
    assert "OTHER" not in text and "SOLNA-1" not in text
    assert "'=HYPERLINK" in text  # neutralised, never a formula
    logged = AuditEntry.objects.filter(action="export", record_type="audit_log").get()
    assert logged.actor_user == nacka_auditor
    assert logged.record_id == "export"
    assert logged.detail["format"] == "csv"
    assert logged.detail["record_type"] == "Orosanmälan"
    assert logged.detail["row_count"] == "1"


def test_the_log_opens_and_exports_again_after_an_export(signed_in, nacka_auditor, nacka_receiver):
    concern_report_read(nacka_receiver)
    client = signed_in(nacka_auditor)
    assert client.get(f"{URL}export.csv").status_code == 200
    page = client.get(URL, {"action": "export"})
    assert page.status_code == 200
    assert "Rader i exporten: 1" in page.content.decode()
    assert client.get(f"{URL}export.xlsx").status_code == 200


def test_an_export_logged_before_its_count_had_its_own_key_reads_as_a_count():
    """Such entries are in the append-only log for good (they said "rows": "140")."""
    assert describe({"format": "csv", "rows": "140"}) == ["Format: csv", "Rader i exporten: 140"]


def test_export_xlsx_holds_the_same_rows(signed_in, nacka_auditor, nacka_receiver):
    from io import BytesIO

    from openpyxl import load_workbook

    concern_report_read(nacka_receiver)
    response = signed_in(nacka_auditor).get(f"{URL}export.xlsx", {"organisation": "Nacka"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:5] == ["Tid", "Vem", "Organisation", "Åtgärd", "Posttyp"]
    assert [row[4] for row in values[1:]] == ["Orosanmälan"]
    assert AuditEntry.objects.filter(action="export", detail__format="xlsx").exists()


def test_export_is_for_auditors_only(signed_in, nacka_receiver):
    concern_report_read(nacka_receiver)
    response = signed_in(nacka_receiver).get(f"{URL}export.csv")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()
