"""A homecoming plan in Chromium (issue 11).

Farsta's collaboration coordinator creates a homecoming plan shared with the
police under 10 kap. 18 a § OSL and gives actions to two parties — social
services and the police. The police's coordinator then sees the plan with its
own action only, without the placement or the social services' assessment.
axe-core (WCAG 2.1 A+AA) on every page on the way.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.accounts.demo import ensure_demo_user
from samverkan.core.calendar import local_date
from samverkan.core.testing.browser import (
    assert_no_axe_violations,
    assert_no_console_errors,
    check_page,
    log_out,
    login_as,
)
from samverkan.homecoming.models import HomecomingAction, HomecomingPlan

pytestmark = pytest.mark.browser

PERSON_ID = "20090412-2397"  # Skatteverket's test series: cannot belong to a real person


def add_action(page, base: str, plan_id: int, party: str, text: str, due: str) -> None:
    page.goto(f"{base}/hemtagning/{plan_id}/")
    page.get_by_role("link", name="Ny åtgärd").click()
    page.wait_for_load_state()
    page.get_by_label("Part", exact=True).select_option(label=party)
    page.get_by_label("Åtgärd", exact=True).fill(text)
    page.get_by_label("Ansvarig (namn eller funktion)").fill("Ansvarig handläggare")
    page.get_by_label("Klar senast").fill(due)
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert "Åtgärden är tillagd" in page.locator(".messages").inner_text()


def test_coordinator_creates_a_plan_with_actions_for_social_services_and_police(
    page, live_server, collaboration_coordinator
):
    police = ensure_demo_user("polis-farsta")
    today = local_date(timezone.now())
    base = live_server.url

    # 1. Farsta's coordinator creates the plan, shared under 18 a § OSL.
    login_as(page, base, collaboration_coordinator)
    page.goto(f"{base}/hemtagning/")
    check_page(page, "homecoming-index")
    page.get_by_role("link", name="Ny hemtagningsplan").click()
    page.wait_for_load_state()
    check_page(page, "homecoming-new")
    page.get_by_label("Den unges personnummer").fill(PERSON_ID)
    page.get_by_label("Den unges namn").fill("Elias Exempelsson")
    page.get_by_label("SiS-hem").fill("Demohemmet")
    page.get_by_label("Beräknad utskrivning").fill((today + timedelta(days=21)).isoformat())
    page.get_by_label("Polisen (lokalpolisområde)").select_option(
        label="Polisen, lokalpolisområde Farsta"
    )
    page.get_by_label("Hög", exact=True).check()
    page.get_by_label("Socialtjänstens riskbedömning (frivilligt)").fill(
        "Intern bedömning av skyddsfaktorer."
    )
    page.get_by_label("10 kap. 18 a § OSL", exact=False).check()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    # The concrete risk is required for 18 a §: refused with a clear message, nothing lost.
    assert "konkreta risken" in page.locator(".errorlist").first.inner_text()
    assert page.get_by_label("Den unges namn").input_value() == "Elias Exempelsson"
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name="Konkret risk för fortsatt brottslighet").fill(
        "Nätverket har sökt kontakt under placeringen."
    )
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Hemtagningsplan H-").is_visible()
    plan = HomecomingPlan.objects.get()
    assert plan.sharing_basis == "osl_10_18a"

    # 2. Actions for two parties.
    add_action(
        page,
        base,
        plan.pk,
        "Farsta",
        "Möte på SiS-hemmet inför utskrivningen.",
        (today + timedelta(days=7)).isoformat(),
    )
    add_action(
        page,
        base,
        plan.pk,
        "Polisen, lokalpolisområde Farsta",
        "Ungdomssamordnaren träffar den unge efter hemkomsten.",
        (today + timedelta(days=28)).isoformat(),
    )
    assert page.locator("#actions tbody tr").count() == 2
    check_page(page, "homecoming-detail-district")
    assert set(HomecomingAction.objects.values_list("party__code", flat=True)) == {
        "0180-farsta",
        "polisen-lpo-farsta",
    }
    log_out(page)

    # 3. The police see their own action and what 18 a § allows, nothing more.
    login_as(page, base, police)
    page.goto(f"{base}/hemtagning/{plan.pk}/")
    content = page.locator("main").inner_text()
    assert "Ungdomssamordnaren träffar den unge" in content
    assert "Möte på SiS-hemmet" not in content
    assert "Demohemmet" not in content and "Intern bedömning" not in content
    assert "Nätverket har sökt kontakt" in content
    check_page(page, "homecoming-detail-police")
    assert_no_console_errors(page)
