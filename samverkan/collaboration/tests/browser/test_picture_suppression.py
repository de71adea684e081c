"""The situational picture in Chromium, as Farsta's coordinator and as the police (issue 17.3).

Farsta's coordinator sees Farsta's figures whole; the local police, a party of
the action plan, sees them suppressed by the follow-up's one rule: "<5" for a
small count and "–" for the counts that would give it back (here the police's
own 22 and the total 24 would say that the school and the other reporter
each sent one).
"""

from __future__ import annotations

from datetime import date

import pytest

from samverkan.collaboration.models import ActionPlan, SituationalPicture
from samverkan.collaboration.tests.conftest import org
from samverkan.core.testing.browser import SCREENSHOT_DIR, check_page, log_out, login_as

pytestmark = pytest.mark.browser

FIGURES = {
    "total": 24,
    "repeats": 3,
    "by_reporter": {"Annan anmälare": 1, "Polisen (en ingång)": 22, "Skola": 1},
    "by_age": {"0–11": 0, "12–14": 6, "15–17": 18},
    "by_area": {"Farsta": 20, "Skarpnäck": 4},
}


def test_the_picture_is_whole_inside_farsta_and_holds_against_subtraction_outside(
    page, live_server, collaboration_coordinator, police_coordinator, plan: ActionPlan
):
    picture = SituationalPicture.objects.create(
        district=org("0180-farsta"),
        title="Lägesbild Farsta hösten 2026",
        period_start=date(2026, 8, 1),
        period_end=date(2026, 11, 30),
        figures=FIGURES,
    )
    plan.situational_picture = picture
    plan.save()
    url = f"{live_server.url}/samverkan/lagesbild/{picture.pk}/"

    login_as(page, live_server.url, collaboration_coordinator)
    page.goto(url)
    facts = page.locator("dl.facts").inner_text()
    assert "24" in facts and "<5" not in facts
    assert "22" in page.get_by_role("region", name="Efter anmälare").inner_text()
    check_page(page, "collaboration-picture-inside")
    log_out(page)

    login_as(page, live_server.url, police_coordinator)
    page.goto(url)
    reporters = page.get_by_role("region", name="Efter anmälare")
    assert reporters.get_by_role("row", name="Skola").inner_text().endswith("<5")
    assert "22" not in reporters.inner_text() or "24" not in page.locator("dl.facts").inner_text()
    assert "visas som ”–”" in page.get_by_text("Du ser lägesbilden utanför").inner_text()
    check_page(page, "collaboration-picture-outside")
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(
            path=str(SCREENSHOT_DIR / f"collaboration-picture-outside-{width}.png"), full_page=True
        )
