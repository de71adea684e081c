"""Steps intake's browser walks take alike, said once."""

from __future__ import annotations

from typing import Any

from samverkan.core.testing.browser import login_as


def accept_without_immediate_protection(page: Any, base: str, receiver: Any, report: Any) -> None:
    """`receiver` logs in, opens the report from the inbox, accepts it and records that no
    immediate protection is needed; the page stays on the report."""
    login_as(page, base, receiver)
    page.goto(f"{base}/anmalningar/mottagning/")
    page.get_by_role("link", name=f"Nr {report.pk}").first.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Ta emot anmälan").click()
    page.wait_for_load_state()
    assert "Du har tagit emot anmälan" in page.locator("main").inner_text()
    protection = page.locator("form[action$='/skyddsbedomning/']")
    protection.get_by_label("Nej").check()
    protection.get_by_role("button", name="Registrera skyddsbedömningen").click()
    page.wait_for_load_state()
    assert "Skyddsbedömningen är registrerad." in page.locator("main").inner_text()
