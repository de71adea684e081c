"""An assignment from draft to an approved reconciliation and the evaluation PDF, in Chromium.

Issue 19's walk: a draft withdrawn on the way, the pilot caps full until the agreement's
administrator raises them on the terms page, and the reconciliation of a finished
half-year (the first half of 2024) approved by both parties.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from samverkan.core.testing.browser import assert_no_axe_violations, login_as
from samverkan.defectors.models import Assignment, Reconciliation
from samverkan.defectors.tests.conftest import GOTHENBURG, STOCKHOLM, coordinator, make_agreement

pytestmark = pytest.mark.browser

CONFIRMATIONS = [
    ("criminal_environment", {}),
    ("threat", {}),
    ("interventions_suitable", {}),
    ("motivated", {}),
    ("police_consultation_home", {"police_unit": "polisen-bops"}),
    ("police_consultation_receiving", {"police_unit_name": "Polisen, lokalpolisområde Centrum"}),
    ("legal_basis", {"legal_basis": "consent", "document": True}),
    ("home_decision", {"document": True}),
    ("temporary_housing", {}),
    ("no_children", {}),
]


def submit(tab, action_suffix: str, button: str | None = None) -> None:
    form = tab.locator(f"form[action$='{action_suffix}']").first
    with tab.expect_navigation():
        (form.get_by_role("button", name=button) if button else form.locator("button")).click()


def test_draft_to_approved_reconciliation_and_pdf(
    page, browser, live_server, registry_demo, defector_coordinator, gothenburg_defector_coordinator
):
    from samverkan.registry.models import Organisation

    agreement = make_agreement(registry_demo, pilot_max_sent=0, pilot_max_received=0)
    url = live_server.url
    home = page
    login_as(home, url, defector_coordinator)

    # A draft begun by mistake is withdrawn, its reason kept in the history.
    home.goto(f"{url}/avhoppare/nytt/")
    home.select_option("#id_receiving_municipality", str(registry_demo[GOTHENBURG].pk))
    home.fill("#id_person_alias", "Klient Misstag")
    with home.expect_navigation():
        home.get_by_role("button", name="Registrera utkast").click()
    home.locator("details.withdraw summary").click()
    home.fill("#id_reason_reason", "Fel kommun vald")
    submit(home, "/status/aterkalla/")
    assert home.locator("#status").inner_text() == "Återkallat"
    assert "Fel kommun vald" in home.locator("#historik").inner_text()

    # Draft.
    home.goto(f"{url}/avhoppare/nytt/")
    home.select_option("#id_receiving_municipality", str(registry_demo[GOTHENBURG].pk))
    home.fill("#id_person_alias", "Klient Webbläsare")
    with home.expect_navigation():
        home.get_by_role("button", name="Registrera utkast").click()
    assignment = Assignment.objects.get(person_alias="Klient Webbläsare")
    detail = f"{url}/avhoppare/{assignment.pk}/"
    assert home.locator("#status").inner_text() == "Utkast"
    assert_no_axe_violations(home)

    # Consultation, then every precondition; the request button lists what is missing.
    submit(home, "/status/samrad/")
    assert home.locator("#status").inner_text() == "Samråd"
    assert "Bekräfta att personen är motiverad" in home.locator("#begar-saknas").inner_text()
    bops = Organisation.objects.get(code="polisen-bops")
    for kind, extra in CONFIRMATIONS:
        home.select_option("#id_precondition_kind", kind)
        home.fill("#id_precondition_confirmed_on", "2024-01-10")
        if "police_unit" in extra:
            home.select_option("#id_precondition_police_unit", str(bops.pk))
        if "police_unit_name" in extra:
            home.fill("#id_precondition_police_unit_name", extra["police_unit_name"])
        if "legal_basis" in extra:
            home.select_option("#id_precondition_legal_basis", extra["legal_basis"])
        if "document" in extra:
            home.set_input_files(
                "#id_precondition_document",
                files=[
                    {"name": "samtycke.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}
                ],
            )
        submit(home, "/forutsattning/")
        assert home.locator("#id_precondition_kind").input_value() == kind  # the choice kept
    home.fill("#id_consultation_held_on", "2024-01-12")
    home.fill("#id_consultation_participants", "Samordnare i Stockholm och Göteborg")
    submit(home, "/samrad/", "Registrera samråd")
    missing = home.locator("#begar-saknas li").all_inner_texts()
    assert len(missing) == 2 and all("avtalet tillåter högst 0" in m for m in missing)  # caps full

    # The agreement's administrator raises the caps; the page keeps who changed what.
    admin_page = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm").new_page()
    login_as(admin_page, url, coordinator("avtal-sthlm", STOCKHOLM, role="agreement_admin"))
    admin_page.goto(f"{url}/avtal/{agreement.pk}/")  # the agreement's page leads there
    admin_page.get_by_role("link", name="Ändra pilottak, väsentlighetsgräns och katalog").click()
    admin_page.wait_for_url(f"{url}/avhoppare/avtal/{agreement.pk}/villkor/")
    admin_page.fill("#id_pilot_max_sent", "1")
    admin_page.fill("#id_pilot_max_received", "1")
    submit(admin_page, "/villkor/")
    history = admin_page.locator("#historik").inner_text()
    assert "Avtal-sthlm Testsson" in history and "högst skickade uppdrag" in history
    assert_no_axe_violations(admin_page)
    admin_page.context.close()

    home.goto(detail)
    assert home.locator("#begar-saknas").count() == 0
    submit(home, "/status/begar/")
    assert home.locator("#status").inner_text() == "Begärt"

    # The receiving municipality accepts from its start page.
    receiving = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm").new_page()
    login_as(receiving, url, gothenburg_defector_coordinator)
    receiving.goto(f"{url}/")
    receiving.get_by_role(
        "link", name=f"Begäran om uppdrag {assignment.reference}", exact=False
    ).click()
    receiving.wait_for_url(f"{detail}*")
    submit(receiving, "/status/acceptera/")
    assert receiving.locator("#status").inner_text() == "Accepterat"

    # Home: plan from the catalogue, decide it, start.
    home.goto(detail)
    home.select_option("#id_intervention_kind", "catalogue")
    home.select_option("#id_intervention_catalogue_item", label="Motivationssamtal")
    submit(home, "/plan/insats/")
    home.fill("#id_plan_decided_on", "2024-01-15")
    submit(home, "/plan/", "Besluta genomförandeplanen")
    submit(home, "/status/starta/")
    assert home.locator("#status").inner_text() == "Pågående"
    assert_no_axe_violations(home)

    # Receiving books a cost for the catalogue intervention.
    receiving.goto(detail)
    receiving.fill("#id_cost_incurred_on", "2024-02-01")
    receiving.fill("#id_cost_amount", "24 000,00")
    submit(receiving, "/kostnad/")
    assert "24\u00a0000,00" in receiving.locator("#kostnader").inner_text()
    assert "bokförd på perioden 2024 första halvåret" in receiving.content()

    # Reconciliation for the first half of 2024, approved by both.
    home.goto(f"{url}/avhoppare/avtal/{agreement.pk}/")
    home.fill("#id_period", "2024-H1")
    home.select_option("#id_other_party", str(registry_demo[GOTHENBURG].pk))
    submit(home, "/avstamning/")
    assert (
        "Stockholm betalar 12\u00a0000,00 kr till Göteborg"
        in home.locator("#utjamning").inner_text()
    )
    assert "100,0 %" in home.content()  # the assignment's share of what Göteborg carried
    assert home.locator("#preliminar").count() == 0  # the half-year has ended
    assert_no_axe_violations(home)
    reconciliation_url = home.url
    submit(home, "/godkann/")
    receiving.goto(reconciliation_url)
    submit(receiving, "/godkann/")
    assert receiving.locator("#last").is_visible()
    assert Reconciliation.objects.get().locked_at is not None

    # The joint evaluation report as PDF.
    home.goto(f"{url}/avhoppare/avtal/{agreement.pk}/")
    with home.expect_download() as download_info:
        home.get_by_role("link", name="Ladda ned utvärderingsrapporten (PDF)").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        text = " ".join(
            " ".join(page_.extract_text().split())
            for page_ in PdfReader(io.BytesIO(handle.read())).pages
        )
    assert "Gemensam utvärderingsrapport" in text
    assert assignment.reference in text
    assert "Motivationssamtal" in text
    receiving.context.close()
