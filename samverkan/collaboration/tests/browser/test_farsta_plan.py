"""Farsta's joint action plan as the local police's youth coordinator (issue 19's done-when).

The police see every activity of the plan and who owns each, update one of their own,
and are refused Farsta's with the reason; the district's coordinator adds activities
with an owner list of the plan's parties only. Screenshots at 320, 375 and 1280 px.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    ForumKind,
    Function,
    TargetGroup,
)
from samverkan.collaboration.tests.conftest import farsta_forum, org
from samverkan.core.calendar import local_date
from samverkan.core.forms import EMPTY_LABEL
from samverkan.core.testing.browser import (
    assert_no_axe_violations,
    check_page,
    console_errors,
    log_out,
    login_as,
    phone_screenshot,
    save_screenshots,
)

pytestmark = pytest.mark.browser

REFUSED_IN_CONSOLE = (
    "Failed to load resource: the server responded with a status of 403 (Forbidden)"
)

# (title, owner): four of Farsta's, two of the police's, as in the plan the issue walked.
ACTIVITIES = (
    ("Kvällsvandringar i Farsta centrum", "0180-farsta"),
    ("Föräldramöten om droger", "0180-farsta"),
    ("Fritidsgården öppen fredagar", "0180-farsta"),
    ("Allvarssamtal med unga i riskzon", "0180-farsta"),
    ("Synlig närvaro vid tunnelbanan", "polisen-lpo-farsta"),
    ("Ungdomssamordnarens skolbesök", "polisen-lpo-farsta"),
)


@pytest.fixture
def farsta_plan(registry_demo):
    farsta_forum(
        "Barn och unga – samverkan med polisen",
        ForumKind.CHILDREN_AT_RISK,
        3,
        [Function.UNIT_MANAGER, Function.POLICE_YOUTH_COORDINATOR],
    )
    today = local_date(timezone.now())
    plan = ActionPlan.objects.create(
        district=org("0180-farsta"),
        title="Trygghetsplan Farsta",
        period_start=date(today.year, 1, 1),
        period_end=date(today.year, 12, 31),
    )
    for index, (title, owner) in enumerate(ACTIVITIES):
        Activity.objects.create(
            plan=plan,
            title=title,
            owner=org(owner),
            target_group=TargetGroup.UNSAFE_PLACES,
            due_date=today + timedelta(days=30 + index),
        )
    return plan


def test_the_police_see_the_whole_plan_and_change_only_their_own(
    page, live_server, police_coordinator, collaboration_coordinator, farsta_plan
):
    plan_url = f"{live_server.url}/samverkan/atgardsplaner/{farsta_plan.pk}/"

    # 1. Farsta's coordinator adds activities; the owner list is the plan's parties only.
    login_as(page, live_server.url, collaboration_coordinator)
    page.goto(plan_url)
    offered = page.locator("select[name=owner] option").all_inner_texts()
    assert offered == [
        str(EMPTY_LABEL),
        *sorted([org("0180-farsta").name, org("polisen-lpo-farsta").name]),
    ]
    assert "Göteborg" not in " ".join(offered)
    check_page(page, "farsta-plan-coordinator")
    phone_screenshot(page, "farsta-plan-coordinator")
    log_out(page)

    # 2. The police's youth coordinator sees all six activities and who owns each.
    login_as(page, live_server.url, police_coordinator)
    page.goto(plan_url)
    rows = page.locator("#activities-heading ~ .table-wrap tbody tr")
    assert rows.count() == len(ACTIVITIES)
    owners = {
        rows.nth(i).locator("td").nth(0).inner_text().removesuffix(" Er").strip(): rows.nth(i)
        .locator("td")
        .nth(1)
        .inner_text()
        for i in range(rows.count())
    }
    assert owners == {title: org(code).name for title, code in ACTIVITIES}
    # Their own are links marked "Er"; Farsta's are plain text, and no form adds activities.
    assert page.get_by_role("link", name="Synlig närvaro vid tunnelbanan").is_visible()
    assert page.get_by_role("link", name="Kvällsvandringar i Farsta centrum").count() == 0
    assert page.locator("select[name=owner]").count() == 0
    check_page(page, "farsta-plan-police")
    phone_screenshot(page, "farsta-plan-police")

    # 3. They report on one of their own.
    page.get_by_role("link", name="Synlig närvaro vid tunnelbanan").click()
    page.wait_for_load_state()
    check_page(page, "farsta-plan-police-activity")
    page.get_by_label("Status").select_option(ActivityStatus.ONGOING.value)
    page.get_by_label("Lägesrapport (frivilligt)").fill("Två kvällar i veckan sedan oktober.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert page.url == plan_url
    assert "Aktiviteten är uppdaterad" in page.locator(".messages").inner_text()
    own_row = page.locator("tbody tr", has_text="Synlig närvaro vid tunnelbanan")
    assert "Pågår" in own_row.inner_text()
    assert "Två kvällar i veckan" in own_row.inner_text()
    phone_screenshot(page, "farsta-plan-police-updated")

    # 4. Farsta's activity, opened by its address, is refused with the reason.
    farstas = Activity.objects.get(plan=farsta_plan, title="Kvällsvandringar i Farsta centrum")
    response = page.goto(f"{live_server.url}/samverkan/aktiviteter/{farstas.pk}/")
    assert response.status == 403
    reason = page.locator(".refusal-reason").inner_text()
    assert "Aktiviteten ägs av Farsta." in reason
    assert "bara sina egna aktiviteter" in reason
    # The refused page's own 403 is the console's one message; axe and screenshots as usual.
    assert console_errors(page) == [REFUSED_IN_CONSOLE]
    assert_no_axe_violations(page)
    save_screenshots(page, "farsta-plan-police-refused")
    phone_screenshot(page, "farsta-plan-police-refused")
    farstas.refresh_from_db()
    assert farstas.status == ActivityStatus.PLANNED
    assert console_errors(page) == [REFUSED_IN_CONSOLE]
