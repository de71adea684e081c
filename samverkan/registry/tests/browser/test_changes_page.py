"""An administrator registers a merger with a preview, in Chromium (issue 10); axe on each page."""

from __future__ import annotations

import pytest

from samverkan.core.testing.browser import check_page, login_as
from samverkan.registry.models import Organisation, OrganisationChange, OrganisationKind, Unit

pytestmark = pytest.mark.browser


@pytest.fixture
def districts(admin_user):
    stockholm = Organisation.objects.get(code="0180")
    made = {}
    for code, name in (("x", "Provområde Väst"), ("y", "Provområde Öst"), ("z", "Provområdet")):
        made[code], _ = Organisation.objects.get_or_create(
            code=f"0180-prov-{code}",
            defaults={"name": name, "kind": OrganisationKind.DISTRICT, "parent": stockholm},
        )
    Unit.objects.get_or_create(
        code="prov-x-mottagning",
        defaults={
            "organisation": made["x"],
            "name": "Provområde Väst, mottagningen",
            "kind": "intake",
        },
    )
    return made


def test_register_a_merger_with_a_preview(page, live_server, admin_user, districts):
    login_as(page, live_server.url, admin_user)
    page.goto(f"{live_server.url}/register/organisationsforandringar/")
    check_page(page, "registry-changes-list")
    page.get_by_role("link", name="Registrera en förändring").click()
    page.get_by_label("Gäller från och med").fill("2031-01-01")
    page.get_by_label("Organisationer som upphör").select_option(
        label=[str(districts["x"]), str(districts["y"])]
    )
    page.get_by_label("Efterträdare 1", exact=True).select_option(label=str(districts["z"]))
    page.get_by_role("button", name="Förhandsgranska").click()
    assert page.get_by_role("heading", name="Förhandsgranskning: det här flyttas").is_visible()
    assert page.get_by_text("Enhet Provområde Väst, mottagningen").first.is_visible()
    check_page(page, "registry-change-preview")
    page.get_by_role("button", name="Registrera förändringen").click()
    page.wait_for_load_state()
    assert OrganisationChange.objects.filter(ending=districts["x"]).exists()
    check_page(page, "registry-change-detail")
