"""Issue 19.1: the agreement's administrators keep caps, threshold and catalogue in the app."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from samverkan.agreements import services as agreement_services
from samverkan.agreements.models import AgreementTypeCode
from samverkan.core.errors import NotAllowed
from samverkan.defectors import rules, services
from samverkan.defectors.models import CatalogueIntervention

from .conftest import GOTHENBURG, STOCKHOLM, coordinator, draft, make_agreement


@pytest.fixture
def agreement_admin(registry_demo):
    return coordinator("avtal-sthlm", STOCKHOLM, role="agreement_admin")


def save_terms(
    actor: Any, agreement: Any, *, caps: tuple[int, int], until: date | None, threshold: str
) -> None:
    """Save the agreement's terms: `caps` as (most sent, most received) per party during the
    pilot, which lasts `until`; `threshold` as typed in the form."""
    sent, received = caps
    services.agreement_terms_save(
        actor=actor,
        agreement=agreement,
        pilot_max_sent=sent,
        pilot_max_received=received,
        pilot_until=until,
        materiality_threshold=threshold,
    )


def test_the_agreement_administrator_edits_caps_and_threshold_with_history(
    agreement, agreement_admin, stockholm
):
    save_terms(
        agreement_admin, agreement, caps=(3, 2), until=date(2024, 12, 31), threshold="15 000,50"
    )
    agreement.refresh_from_db()
    assert (agreement.pilot_max_sent, agreement.pilot_max_received) == (3, 2)
    assert agreement.materiality_threshold == Decimal("15000.50")
    assert services.terms_for(agreement).threshold == Decimal("15000.50")
    history = {
        (c.what, c.before, c.after, c.changed_by_name)
        for c in agreement.defector_terms_changes.all()
    }
    assert ("högst skickade uppdrag per part under piloten", "1", "3", "Avtal-sthlm Testsson") in (
        history
    )
    assert any(c[1] == "10\u00a0000,00 kr" and c[2] == "15\u00a0000,50 kr" for c in history)
    with pytest.raises(NotAllowed):  # a coordinator works under the terms, does not set them
        save_terms(stockholm, agreement, caps=(9, 9), until=None, threshold="0")


def test_raised_caps_let_the_next_request_through(agreement, agreement_admin, stockholm, org):
    first = draft(stockholm, agreement, org[GOTHENBURG])
    assert services.cap_check(first, date(2023, 6, 1)).ok
    save_terms(
        agreement_admin, agreement, caps=(0, 0), until=date(2023, 12, 31), threshold="10 000"
    )
    first.agreement.refresh_from_db()
    assert not services.cap_check(first, date(2023, 6, 1)).ok


def test_catalogue_codes_are_made_from_the_name_and_unique(agreement, agreement_admin):
    one = services.catalogue_item_save(
        actor=agreement_admin, agreement=agreement, name="Stöd till anhöriga"
    )
    assert one.code == "stod_till_anhoriga"
    services.catalogue_item_save(
        actor=agreement_admin, agreement=agreement, item=one, name="Stöd till anhöriga (ny)"
    )
    two = services.catalogue_item_save(
        actor=agreement_admin, agreement=agreement, name="Stöd till anhöriga!"
    )
    assert two.code == "stod_till_anhoriga_2"
    assert agreement.defector_terms_changes.filter(after="Stöd till anhöriga (ny)").exists()


def test_a_new_agreement_starts_from_its_types_catalogue(
    registry_demo, agreement_admin, logged_in_client
):
    """Seeded when the agreement is made, not at its first assignment; its administrator
    finds the terms page from the agreement's own page."""
    new = agreement_services.agreement_create(
        actor=agreement_admin,
        type_code=AgreementTypeCode.DEFECTOR_SERVICES,
        title="Avhopparavtal Stockholm–Göteborg",
        reference="AVH-TEST-NY",
        organisations=[registry_demo[STOCKHOLM], registry_demo[GOTHENBURG]],
        start_date=date(2026, 1, 1),
        end_date=None,
    )
    names = list(new.defector_catalogue.order_by("order").values_list("name", flat=True))
    assert names == [name for _code, name in rules.DEFAULT_CATALOGUE]
    client = logged_in_client(agreement_admin)
    page = client.get(f"/avtal/{new.pk}/").content.decode()
    terms_url = f"/avhoppare/avtal/{new.pk}/villkor/"
    assert f'href="{terms_url}"' in page
    assert "Krisstöd" in client.get(terms_url).content.decode()


def test_another_type_of_agreement_gets_no_catalogue_and_no_terms_link(
    registry_demo, agreement_admin, logged_in_client
):
    other = agreement_services.agreement_create(
        actor=agreement_admin,
        type_code=AgreementTypeCode.SINGLE_ENTRY,
        title="En ingång",
        reference="ROC-TEST-NY",
        organisations=[registry_demo[STOCKHOLM], registry_demo["0182"]],
        start_date=date(2026, 1, 1),
        end_date=None,
    )
    assert not CatalogueIntervention.objects.filter(agreement=other).exists()
    page = logged_in_client(agreement_admin).get(f"/avtal/{other.pk}/").content.decode()
    assert "/villkor/" not in page


def test_an_agreement_made_before_seeding_gets_its_catalogue_at_the_first_assignment(
    registry_demo, stockholm, org
):
    agreement = make_agreement(registry_demo, reference="AVH-TEST-GAMMALT")
    CatalogueIntervention.objects.filter(agreement=agreement).delete()  # as such agreements are
    draft(stockholm, agreement, org[GOTHENBURG])
    names = list(
        CatalogueIntervention.objects.filter(agreement=agreement).values_list("name", flat=True)
    )
    assert names == [name for _code, name in rules.DEFAULT_CATALOGUE]


def test_terms_page_shows_history_and_names_never_codes(
    agreement, agreement_admin, stockholm, logged_in_client
):
    client = logged_in_client(agreement_admin)
    url = f"/avhoppare/avtal/{agreement.pk}/villkor/"
    saved = client.post(
        url,
        {
            "pilot_max_sent": "2",
            "pilot_max_received": "2",
            "pilot_until": "2024-12-31",
            "materiality_threshold": "12 000,00",
        },
        follow=True,
    )
    page = saved.content.decode()
    assert "Avtalets villkor är sparade." in page
    assert "Avtal-sthlm Testsson" in page and "12\u00a0000,00 kr" in page
    assert "Krisstöd" in page and "(crisis_support)" not in page
    assert logged_in_client(stockholm).get(url).status_code == 403
    overview = logged_in_client(stockholm).get(f"/avhoppare/avtal/{agreement.pk}/")
    assert "(crisis_support)" not in overview.content.decode()
