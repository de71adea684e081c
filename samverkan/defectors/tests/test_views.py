from datetime import date

import pytest

from samverkan.defectors import rules, services
from samverkan.defectors.models import Assignment, PreconditionConfirmation

from .conftest import GOTHENBURG, accepted, catalogue_intervention, draft, prepared

pytestmark = pytest.mark.django_db


def test_list_and_detail_for_both_parties(agreement, stockholm, gothenburg, org, logged_in_client):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    for user in (stockholm, gothenburg):
        client = logged_in_client(user)
        listing = client.get("/avhoppare/")
        assert listing.status_code == 200
        assert assignment.reference in listing.content.decode()
        detail = client.get(f"/avhoppare/{assignment.pk}/")
        assert detail.status_code == 200
        assert "Klient A" in detail.content.decode()


def test_third_municipality_sees_nothing(
    agreement, stockholm, gothenburg, malmo, org, logged_in_client
):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    client = logged_in_client(malmo)
    listing = client.get("/avhoppare/")
    assert listing.status_code == 200
    assert assignment.reference not in listing.content.decode()
    assert client.get(f"/avhoppare/{assignment.pk}/").status_code == 404
    assert (
        client.post(f"/avhoppare/{assignment.pk}/status/avsluta/", {"reason": "x"}).status_code
        == 404
    )
    assert (
        client.post(
            f"/avhoppare/{assignment.pk}/samrad/", {"held_on": "2024-01-01", "participants": "x"}
        ).status_code
        == 404
    )


def test_other_roles_get_403(agreement, stockholm, hub_worker, org, logged_in_client):
    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    client = logged_in_client(hub_worker)
    assert client.get("/avhoppare/").status_code == 403
    assert client.get(f"/avhoppare/{assignment.pk}/").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/avhoppare/")
    assert response.status_code == 302


def test_request_button_says_what_is_missing(agreement, stockholm, org, logged_in_client):
    skip = rules.PreconditionKind.POLICE_CONSULTATION_RECEIVING
    assignment = prepared(stockholm, agreement, org[GOTHENBURG], skip=skip)
    body = logged_in_client(stockholm).get(f"/avhoppare/{assignment.pk}/").content.decode()
    assert "Uppdraget kan inte begäras än" in body
    assert "Polisen i den mottagande kommunen" in body
    assert "disabled" in body


def test_create_via_form_and_confirm_precondition_keeps_input_on_error(
    agreement, stockholm, org, logged_in_client
):
    client = logged_in_client(stockholm)
    response = client.post(
        "/avhoppare/nytt/",
        {
            "agreement": agreement.pk,
            "receiving_municipality": org[GOTHENBURG].pk,
            "person_alias": "Klient Ö",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(person_alias="Klient Ö")
    bad = client.post(
        f"/avhoppare/{assignment.pk}/forutsattning/",
        {
            "kind": "police_consultation_home",
            "confirmed_on": "2024-01-10",
            "note": "Samråd med LPO",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Ange vilken polisenhet" in body
    assert "Samråd med LPO" in body
    ok = client.post(
        f"/avhoppare/{assignment.pk}/forutsattning/",
        {
            "kind": "police_consultation_home",
            "confirmed_on": "2024-01-10",
            "police_unit": org["polisen-bops"].pk,
        },
    )
    assert ok.status_code == 302
    assert PreconditionConfirmation.objects.filter(assignment=assignment).count() == 1


def test_plan_form_explains_the_catalogue_rule(
    agreement, stockholm, gothenburg, org, logged_in_client
):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    body = logged_in_client(stockholm).get(f"/avhoppare/{assignment.pk}/").content.decode()
    assert "hemtjänst och försörjningsstöd" in body
    assert "tillfälliga boendet är alltid hemkommunens" in body


def test_children_task_on_both_start_pages_until_closed(
    agreement, stockholm, gothenburg, org, logged_in_client
):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    response = logged_in_client(gothenburg).post(
        f"/avhoppare/{assignment.pk}/barn/", {"description": "Ett barn har flyttat in"}
    )
    assert response.status_code == 302
    for user in (stockholm, gothenburg):
        start = logged_in_client(user).get("/").content.decode()
        assert f"Barn har aktualiserats i uppdrag {assignment.reference}" in start
    task = assignment.children_tasks.get()
    logged_in_client(stockholm).post(
        f"/avhoppare/barn/{task.pk}/stang/", {"resolution": "Hemkommunen ansvarar för barnet"}
    )
    for user in (stockholm, gothenburg):
        start = logged_in_client(user).get("/").content.decode()
        assert "Barn har aktualiserats" not in start


def test_request_awaiting_answer_on_receiving_start_page(
    agreement, stockholm, gothenburg, org, logged_in_client
):
    assignment = prepared(stockholm, agreement, org[GOTHENBURG])
    client = logged_in_client(stockholm)
    assert client.post(f"/avhoppare/{assignment.pk}/status/begar/").status_code == 302
    start = logged_in_client(gothenburg).get("/").content.decode()
    assert f"Begäran om uppdrag {assignment.reference}" in start
    assert (
        logged_in_client(gothenburg)
        .post(f"/avhoppare/{assignment.pk}/status/acceptera/")
        .status_code
        == 302
    )
    assignment.refresh_from_db()
    assert assignment.state == "accepted"


def test_cost_with_comma_amount_and_ledger(agreement, stockholm, gothenburg, org, logged_in_client):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    intervention = catalogue_intervention(stockholm, assignment, "crisis_support")
    client = logged_in_client(gothenburg)
    bad = client.post(
        f"/avhoppare/{assignment.pk}/kostnad/",
        {
            "intervention": intervention.pk,
            "incurred_on": "2024-02-01",
            "amount": "tolv",
            "note": "Samtal",
        },
    )
    assert bad.status_code == 400
    assert "Ange beloppet i kronor" in bad.content.decode()
    ok = client.post(
        f"/avhoppare/{assignment.pk}/kostnad/",
        {"intervention": intervention.pk, "incurred_on": "2024-02-01", "amount": "1 234,50"},
    )
    assert ok.status_code == 302
    body = client.get(f"/avhoppare/{assignment.pk}/").content.decode()
    assert "1\u00a0234,50" in body


def test_agreement_page_balance_and_reconciliation_flow(
    agreement, stockholm, gothenburg, malmo, org, logged_in_client
):
    accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    client = logged_in_client(stockholm)
    page = client.get(f"/avhoppare/avtal/{agreement.pk}/")
    assert page.status_code == 200
    assert "Balans" in page.content.decode()
    response = client.post(
        f"/avhoppare/avtal/{agreement.pk}/avstamning/",
        {"period": "2024-H1", "other_party": org[GOTHENBURG].pk},
    )
    assert response.status_code == 302
    url = response["Location"]
    assert logged_in_client(malmo).get(url).status_code == 404
    assert "väntar på ert godkännande" in logged_in_client(gothenburg).get("/").content.decode()
    client.post(url + "godkann/")
    assert "väntar på ert godkännande" not in client.get("/").content.decode()
    logged_in_client(gothenburg).post(url + "godkann/")
    assert "väntar på ert godkännande" not in logged_in_client(gothenburg).get("/").content.decode()
    assert "Godkänd av båda parter och låst" in client.get(url).content.decode()


def test_agreement_page_hidden_from_non_party(agreement, registry_demo, logged_in_client):
    from .conftest import coordinator

    nacka = coordinator("avhopp-nacka", "0182")
    assert logged_in_client(nacka).get(f"/avhoppare/avtal/{agreement.pk}/").status_code == 404


def test_a_draft_is_the_home_municipalitys_own_until_it_is_withdrawn(
    agreement, stockholm, gothenburg, org, logged_in_client
):
    """Göteborg cannot open Stockholm's draft; Stockholm edits it, then withdraws it with a
    reason that stays in the history."""
    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    assert logged_in_client(gothenburg).get(f"/avhoppare/{assignment.pk}/").status_code == 404
    listing = logged_in_client(gothenburg).get("/avhoppare/").content.decode()
    assert assignment.reference not in listing
    home = logged_in_client(stockholm)
    page = home.get(f"/avhoppare/{assignment.pk}/").content.decode()
    assert f"/avhoppare/{assignment.pk}/andra/" in page and "Återkalla uppdraget" in page
    response = home.post(
        f"/avhoppare/{assignment.pk}/andra/",
        {
            "receiving_municipality": org[GOTHENBURG].pk,
            "person_alias": "Klient Ny",
            "summary": "Ändrad bakgrund.",
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.person_alias == "Klient Ny"
    refused = home.post(f"/avhoppare/{assignment.pk}/status/aterkalla/", {"reason": ""})
    assert refused.status_code == 400
    shown = refused.content.decode()
    assert '<details class="withdraw" open>' in shown and "field-has-error" in shown
    home.post(f"/avhoppare/{assignment.pk}/status/aterkalla/", {"reason": "Flyttar inte."})
    assignment.refresh_from_db()
    assert assignment.state == rules.State.WITHDRAWN
    page = home.get(f"/avhoppare/{assignment.pk}/").content.decode()
    assert "Återkallat" in page and "Flyttar inte." in page
    assert home.get(f"/avhoppare/{assignment.pk}/andra/").status_code == 403


def test_booking_says_its_period_and_reconciliation_shows_shares_and_who_pays(
    agreement, stockholm, gothenburg, org, logged_in_client
):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    intervention = catalogue_intervention(stockholm, assignment, "crisis_support")
    client = logged_in_client(gothenburg)
    for amount in ("100 000,50", "50 000,00"):
        booked = client.post(
            f"/avhoppare/{assignment.pk}/kostnad/",
            {"intervention": intervention.pk, "incurred_on": "2024-02-01", "amount": amount},
            follow=True,
        )
        assert "bokförd på perioden 2024 första halvåret" in booked.content.decode()
    computed = client.post(
        f"/avhoppare/avtal/{agreement.pk}/avstamning/",
        {"period": "2024-H1", "other_party": org["0180"].pk},
        follow=True,
    )
    page = computed.content.decode()
    assert "Stockholm betalar 75\u00a0000,25 kr till Göteborg" in page
    assert "66,7 %" in page and "33,3 %" in page  # each cost entry's share
    assert "100,0 %" in page  # the assignment's share of what Göteborg carried
    assert "Preliminär" not in page  # the first half of 2024 is over
    assert "Godkänn avstämningen" in page


def test_preconditions_as_the_agreement_lists_them_with_the_kind_kept_and_sections(
    agreement, stockholm, org, logged_in_client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    client = logged_in_client(stockholm)
    page = client.get(f"/avhoppare/{assignment.pk}/").content.decode()
    # the agreement's own list: suitability, the home's decision on support, the housing
    assert "Hemkommunen har fattat eget beslut om stöd till personen" in page
    assert "Insatser i den mottagande kommunen bedöms vara möjliga och lämpliga" in page
    assert "Hemkommunen ansvarar för det tillfälliga boendet" in page
    for anchor in ("forutsattningar", "plan", "kostnader", "historik"):
        assert f'<a href="#{anchor}">' in page  # the table of contents
    response = client.post(
        f"/avhoppare/{assignment.pk}/forutsattning/",
        {
            "kind": "home_decision",
            "confirmed_on": "2024-01-10",
            "document": SimpleUploadedFile("beslut.pdf", b"%PDF-1.4 test", "application/pdf"),
        },
    )
    assert response.status_code == 302
    assert "forutsattning=home_decision" in response["Location"]
    again = client.get(response["Location"]).content.decode()
    assert '<option value="home_decision" selected>' in again
    assert (
        "beslut"
        in PreconditionConfirmation.objects.get(
            assignment=assignment, kind="home_decision"
        ).document.name
    )


def test_the_home_decision_counts_only_with_its_document():
    from datetime import date

    bare = rules.Confirmation(
        kind=rules.PreconditionKind.HOME_DECISION, confirmed_on=date(2024, 1, 1), confirmed_by="A"
    )
    assert not rules.is_complete(bare)
    documented = rules.Confirmation(
        kind=rules.PreconditionKind.HOME_DECISION,
        confirmed_on=date(2024, 1, 1),
        confirmed_by="A",
        has_document=True,
    )
    assert rules.is_complete(documented)


def test_a_running_half_year_is_shown_as_preliminary_without_approval(
    agreement, stockholm, gothenburg, org, logged_in_client
):
    from datetime import UTC, datetime

    import time_machine

    from .conftest import reconcile

    accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    with time_machine.travel(datetime(2024, 6, 20, 12, tzinfo=UTC), tick=False):
        r = reconcile(stockholm, agreement, org[GOTHENBURG])
        page = logged_in_client(stockholm).get(f"/avhoppare/avstamning/{r.pk}/").content.decode()
    assert "Preliminär" in page
    assert "kan godkännas och låsas först efter 2024-06-30" in page
    assert "Godkänn avstämningen" not in page


def test_a_decided_plan_no_longer_offers_the_decision_form(
    agreement, stockholm, gothenburg, org, logged_in_client
):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    client = logged_in_client(stockholm)
    assert (
        "Besluta genomförandeplanen" in client.get(f"/avhoppare/{assignment.pk}/").content.decode()
    )
    services.consultation_record(
        actor=stockholm, assignment=assignment, held_on=date(2024, 1, 10), participants="Båda"
    )
    response = client.post(f"/avhoppare/{assignment.pk}/plan/", {"decided_on": "2024-01-15"})
    assert response.status_code == 302
    page = client.get(f"/avhoppare/{assignment.pk}/").content.decode()
    assert "Besluta genomförandeplanen" not in page and "Beslutad" in page
