"""The routines library in Chromium (issue 11).

A Farsta coordinator finds the forum's routine from the forum page, writes a new
version, and reads the older one; searches the library. axe-core on every page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.collaboration.models import Forum, ForumKind
from samverkan.core.calendar import local_date
from samverkan.core.testing.browser import assert_no_console_errors, check_page, login_as
from samverkan.registry.models import Organisation
from samverkan.routines import services
from samverkan.routines.models import RoutineTopic

pytestmark = pytest.mark.browser


def test_new_version_from_the_forum_page_and_the_old_one_stays_readable(
    page, live_server, collaboration_coordinator
):
    farsta = Organisation.objects.get(code="0180-farsta")
    forum = Forum.objects.create(
        district=farsta, name="Barn och unga", kind=ForumKind.CHILDREN_AT_RISK, required_per_term=3
    )
    forum.parties.set([farsta])
    today = local_date(timezone.now())
    routine = services.routine_create(
        actor=collaboration_coordinator,
        owner=farsta,
        title="Rutin för hemtagning",
        body="Planen upprättas sex veckor före utskrivning.",
        topic=RoutineTopic.HOMECOMING,
        review_date=today + timedelta(days=100),
        forums=[forum],
    )
    base = live_server.url
    login_as(page, base, collaboration_coordinator)
    page.goto(f"{base}/samverkan/forum/{forum.pk}/")
    assert "version 1" in page.locator("#forum-routines").inner_text()
    page.locator("#forum-routines").get_by_role("link", name="Rutin för hemtagning").click()
    page.wait_for_load_state()
    check_page(page, "routines-detail")
    page.get_by_role("link", name="Skriv ny version").click()
    page.wait_for_load_state()
    check_page(page, "routines-revise")
    page.get_by_label("Text", exact=True).fill("Planen upprättas åtta veckor före utskrivning.")
    page.get_by_label("Vad har ändrats?").fill("Åtta veckor i stället för sex")
    page.get_by_label("Ses över senast").fill((today + timedelta(days=365)).isoformat())
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert "åtta veckor" in page.locator("#routine-text").inner_text()
    assert page.locator("#versions tbody tr").count() == 2
    page.get_by_role("link", name="Version 1").click()
    page.wait_for_load_state()
    assert "sex veckor" in page.locator("#routine-text").inner_text()
    check_page(page, "routines-old-version")
    page.goto(f"{base}/samverkan/forum/{forum.pk}/")
    assert "version 2" in page.locator("#forum-routines").inner_text()
    page.goto(f"{base}/rutiner/?q=%C3%85TTA")  # "ÅTTA": any case, å included
    assert page.locator("#routines tbody tr").count() == 1
    check_page(page, "routines-search")
    assert routine.versions.count() == 2
    assert_no_console_errors(page)
