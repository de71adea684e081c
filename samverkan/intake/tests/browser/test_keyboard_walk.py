"""The hub's registration and handover, and the receiver's acceptance, with the keyboard only.

Issue 9, part 7. Nothing here clicks: only Tab, Shift+Tab, Enter, Space and typing (page.goto
only for the log-in page, as a user types an address). At every stop the focused element must
show a visible focus indicator (outline or ring), and the skip link must move focus to the main
content. Same data as the single-entry flow (test_single_entry_flow): a child from Nacka found
in Solna, registered by the hub, handed over by phone, accepted by Nacka.
"""

from __future__ import annotations

from typing import Any

import pytest

from samverkan.core.testing.browser import (
    BROWSER_TEST_PASSWORD,
    assert_no_axe_violations,
    assert_no_console_errors,
    totp_token_for,
)
from samverkan.intake.models import ConcernReport
from samverkan.intake.tests.browser.test_single_entry_flow import PERSON_ID

pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
    const el = document.activeElement;
    // <main> takes focus from the skip link only to move the start of Tab there.
    if (!el || el === document.body || el.id === "main") { return null; }
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow && style.boxShadow !== "none";
    return {
        visible: outline || Boolean(ring),
        label: el.tagName.toLowerCase() + (el.name ? "[name=" + el.name + "]" : "")
            + " " + (el.innerText || el.value || "").trim().slice(0, 40)
            + ` (outline ${style.outlineStyle} ${style.outlineWidth}, shadow ${style.boxShadow})`,
    };
}"""


class Keyboard:
    """Tab through a page, checking at each stop that the focus can be seen."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.invisible: list[str] = []

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        focus = self.page.evaluate(FOCUS_STYLE)
        if focus and not focus["visible"]:
            where = f"{self.page.url}: {focus['label']}"
            if where not in self.invisible:
                self.invisible.append(where)

    def tab_to(
        self, selector: str, text: str = "", limit: int = 60, backwards: bool = False
    ) -> int:
        """Press Tab until the focused element matches `selector` (and has `text`)."""
        for presses in range(1, limit + 1):
            self.press("Shift+Tab" if backwards else "Tab")
            if self.page.evaluate(
                """([s, text]) => {
                    const el = document.activeElement;
                    return el.matches(s) && (!text || el.innerText.trim() === text);
                }""",
                [selector, text],
            ):
                return presses
        raise AssertionError(f"Tab did not reach {selector!r} {text!r} on {self.page.url}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def submit(self, key: str = "Enter") -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press(key)  # no focus to check: the page is leaving
        self.page.wait_for_load_state()

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()


def log_in(keys: Keyboard, live_server: Any, user: Any) -> None:
    user.set_password(BROWSER_TEST_PASSWORD)
    user.save(update_fields=["password"])
    keys.page.goto(f"{live_server.url}/konto/logga-in/")
    keys.tab_to("[name=username]")
    keys.type(user.get_username())
    keys.tab_to("[name=password]", limit=1)
    keys.type(BROWSER_TEST_PASSWORD)
    keys.tab_to("[name=otp_token]", limit=1)
    keys.type(totp_token_for(user))
    keys.submit()
    assert "/konto/logga-in/" not in keys.page.url, keys.main_text()


def log_out(keys: Keyboard) -> None:
    keys.page.evaluate("document.activeElement && document.activeElement.blur()")
    keys.tab_to("button", "Logga ut")
    keys.submit()
    assert "/konto/logga-in/" in keys.page.url


def test_registration_handover_and_acceptance_with_the_keyboard_only(
    page, live_server, hub_worker, nacka_receiver
):
    keys = Keyboard(page)

    # The hub worker: log in, the skip link, the menu to the registration form.
    log_in(keys, live_server, hub_worker)
    keys.press("Tab")
    skip = page.evaluate(
        """() => {
            const el = document.activeElement, box = el.getBoundingClientRect();
            return {cls: el.className, top: box.top, height: box.height};
        }"""
    )
    assert skip["cls"] == "skip-link" and skip["top"] >= 0 and skip["height"] > 0, skip
    keys.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")
    keys.tab_to("nav a", "Registrera anmälan", backwards=True)
    keys.submit()
    assert page.locator("h1").inner_text() == "Registrera orosanmälan från polisen"

    # The form: identity, where found, home municipality, the officer; the decision shows.
    keys.press("Tab")
    keys.press("Enter")  # skip link
    keys.tab_to("[name=person_id]", limit=1)
    keys.type("20120515-2380")
    page.locator("#person-id-check").filter(has_text="är giltigt").wait_for()
    keys.tab_to("[name=found_in]", limit=8)
    keys.type("Solna")
    keys.tab_to("[name=home_municipality]", limit=2)
    keys.type("Nacka")
    # The legal basis is asked, not pre-ticked: the decision waits for the answer.
    page.locator("#decision").filter(has_text="Svara Ja eller Nej").wait_for()
    keys.tab_to("[name=gang_related]", limit=4)
    assert page.evaluate("document.activeElement.checked") is False
    keys.press("Space")  # "Ja", the first choice
    page.locator("#decision").filter(has_text="Omfattas av en ingång").wait_for()
    keys.tab_to("[name=reporting_officer_name]", limit=8)  # past the numbers to call
    # Let the decision request this typing starts finish before Enter (see the flow test).
    with page.expect_response("**/socialjouren/ny/beslut/"):
        keys.type("Polis Testsson")
    keys.submit()
    assert "Anmälan är registrerad" in keys.main_text()
    report = ConcernReport.objects.get()
    assert report.person_id == PERSON_ID and report.controller.code == "0182"

    # The call: the number is filled in; "Ja" with Space, the name typed, Enter on the button.
    keys.tab_to("[name=number_called]")
    assert page.evaluate("document.activeElement.value"), "the number to call is filled in"
    keys.tab_to("[name=reached][value=yes]", limit=3)
    keys.press("Space")
    assert page.evaluate("document.activeElement.checked") is True
    keys.tab_to("[name=person_reached]", limit=3)
    keys.type("Mona Mottag")
    keys.tab_to("button", "Logga samtalet", limit=4)
    keys.submit()
    assert "Samtalet är loggat" in keys.main_text()
    report.refresh_from_db()
    assert report.status == "handed_over"
    log_out(keys)

    # The receiver in Nacka: the menu to the inbox, the report, "Ta emot anmälan" with Enter.
    log_in(keys, live_server, nacka_receiver)
    keys.tab_to("nav a", "Inkommande anmälningar")
    keys.submit()
    keys.tab_to("main a", f"Nr {report.pk}")
    keys.submit()
    keys.tab_to("button", "Ta emot anmälan")
    keys.submit()
    assert "Du har tagit emot anmälan" in keys.main_text()
    report.refresh_from_db()
    assert report.status == "accepted"
    assert_no_axe_violations(page)
    assert_no_console_errors(page)
    assert not keys.invisible, "Focus not visible on:\n" + "\n".join(keys.invisible)
