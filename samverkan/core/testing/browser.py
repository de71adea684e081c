"""Browser tests in headless Chromium (Playwright for Python + Debian's chromium).

The root conftest registers this module as a pytest plugin, so its fixtures
(`browser`, `page`) are available to every test without an import. Do NOT
import the fixtures into a test module or conftest: a second definition of
the session-scoped `browser` starts a second Playwright, which fails.

    import pytest
    from samverkan.core.testing.browser import check_page, login_as

    pytestmark = pytest.mark.browser

    def test_inbox(page, live_server, nacka_receiver):
        login_as(page, live_server.url, nacka_receiver)
        page.goto(f"{live_server.url}/anmalningar/")
        check_page(page, "intake-inbox")   # axe WCAG 2.1 A+AA, 320 and 1280 px, screenshots

Fixtures: `browser` (session; skips with a clear message only when Chromium
is missing and cannot be installed), `page` (a fresh browser context per
test, on pytest-django's `live_server` with `transactional_db`, static files
served unhashed). Helpers: `login_as`, `log_out`, `assert_no_axe_violations`,
`assert_no_horizontal_scroll`, `save_screenshots`, `phone_screenshot`, `check_page`,
`assert_no_console_errors`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

__all__ = [
    "BROWSER_TEST_PASSWORD",
    "PHONE",
    "assert_no_axe_violations",
    "assert_no_console_errors",
    "assert_no_horizontal_scroll",
    "browser",
    "check_page",
    "log_out",
    "login_as",
    "overflowing",
    "page",
    "phone_screenshot",
    "save_screenshots",
    "totp_token_for",
]

ROOT = Path(django_settings.BASE_DIR)
CHROMIUM = Path(os.environ.get("SAMVERKAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
AXE_JS = ROOT / "samverkan" / "core" / "tests" / "browser" / "vendor" / "axe.min.js"
WCAG21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
NARROW = {"width": 320, "height": 800}
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
BROWSER_TEST_PASSWORD = "Webbläsartest-lösen-2026"

_console: dict[int, list[str]] = {}


def _find_chromium() -> Path | None:
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


def _chromium_or_skip() -> Path:
    """Chromium's path; installs it when possible, else skips (or fails when it must run)."""
    path = _find_chromium()
    if path is None:
        script = ROOT / "scripts" / "browser-deps.sh"
        subprocess.run(["bash", str(script)], check=False)  # noqa: S603, S607
        path = _find_chromium()
    if path is None:
        message = (
            f"Chromium is missing at {CHROMIUM} and could not be installed "
            "(scripts/browser-deps.sh needs root and apt-get): browser tests skipped. "
            "Install Debian's 'chromium' package to run them."
        )
        if os.environ.get("SAMVERKAN_REQUIRE_BROWSER"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Any]:
    """One headless Chromium for the session (each test gets its own context)."""
    chromium = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API drives an asyncio event loop on the main thread, so
    # Django's "async-unsafe" guard would refuse ORM calls made by the test
    # itself (creating users, reading results) while the browser is open. The
    # test code is plain synchronous code and the live server runs in its own
    # thread, so the guard protects nothing here: switch it off for as long as
    # Playwright runs, and restore it afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(
    browser: Any,
    live_server: Any,
    transactional_db: None,
    settings: Any,
) -> Iterator[Any]:
    """A page in a fresh context (no cookies) at 1280 px, Swedish, logging console errors.

    The live server needs `transactional_db`, whose flush after each test also
    empties what data migrations loaded (roles, reference municipalities); the
    root conftest's `_baseline_data` puts it back before each such test.

    Static files are served straight from static/: pytest-django's live server
    serves /static/ through the finders, which do not know the collectstatic
    manifest's hashed names.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(viewport=WIDE, locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    messages: list[str] = []
    _console[id(new_page)] = messages
    new_page.on(
        "console",
        lambda message: messages.append(message.text) if message.type == "error" else None,
    )
    new_page.on("pageerror", lambda error: messages.append(str(error)))
    yield new_page
    _console.pop(id(new_page), None)
    context.close()


def console_errors(page: Any) -> list[str]:
    return list(_console.get(id(page), []))


def assert_no_console_errors(page: Any) -> None:
    """No JavaScript error and no Content-Security-Policy violation so far on this page."""
    errors = console_errors(page)
    assert not errors, "Errors in the browser console:\n" + "\n".join(errors)


def totp_token_for(user: Any) -> str:
    """The user's current TOTP code (creating a confirmed device if they have none).

    django-otp refuses a code for a time step it has already accepted, so a
    second log-in within the same 30 s uses the next step (inside the tolerance).
    """
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Webbläsartest", confirmed=True)
    now_t = int((time.time() - device.t0) // device.step) + device.drift
    target = now_t if device.last_t is None or now_t > device.last_t else device.last_t + 1
    return str(
        totp(
            device.bin_key,
            step=device.step,
            t0=device.t0,
            digits=device.digits,
            drift=device.drift + (target - now_t),
        )
    ).zfill(device.digits)


def login_as(page: Any, live_server_url: str, user: Any, password: str | None = None) -> None:
    """Log in through the real log-in form: user name, password and current TOTP code.

    Without `password` the user's password is set to a known test password first.
    """
    if password is None:
        user.set_password(BROWSER_TEST_PASSWORD)
        user.save(update_fields=["password"])
        password = BROWSER_TEST_PASSWORD
    page.goto(f"{live_server_url}/konto/logga-in/")
    page.fill("[name=username]", user.get_username())
    page.fill("[name=password]", password)
    page.fill("[name=otp_token]", totp_token_for(user))
    with page.expect_navigation():
        page.press("[name=otp_token]", "Enter")
    if "/konto/logga-in/" in page.url:
        errors = page.locator(".errorlist").all_inner_texts()
        raise AssertionError(f"Log-in as {user.get_username()} failed: {errors}")


def log_out(page: Any) -> None:
    """Log out with the header's "Logga ut" button (a POST, as the site requires)."""
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_load_state()


def _inject_axe(page: Any) -> None:
    # page.evaluate runs through the DevTools protocol, which the page's strict
    # CSP does not block (an injected <script> tag would be).
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))


def assert_no_axe_violations(
    page: Any, *, tags: list[str] | None = None, disable: list[str] | None = None
) -> None:
    """Run axe-core's WCAG 2.1 A and AA rules on the page as it is now; fail on any violation."""
    _inject_axe(page)
    violations = page.evaluate(
        """async ([tags, disable]) => {
            const rules = {};
            for (const id of disable) { rules[id] = {enabled: false}; }
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, rules, resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                nodes: v.nodes.map(n => n.target.join(" ") + " – " + n.failureSummary),
            }));
        }""",
        [tags or WCAG21_AA_TAGS, disable or []],
    )
    if violations:
        lines = [f"axe-core found {len(violations)} WCAG violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    {node}" for node in violation["nodes"][:5])
        raise AssertionError("\n".join(lines))


def overflowing(page: Any, *, most: int = 10, tables: bool = False) -> list[str]:
    """Up to `most` elements wider than the window at its current width, as `tag#id.class`.

    Empty when the page does not scroll sideways. Tables scroll inside their own
    wrapper and hidden text is off-screen on purpose, so neither counts — unless
    `tables`: then a cell beyond the window's edge (a column the user must scroll
    sideways to find, inside its wrapper or not) counts too.
    """
    return page.evaluate(
        """([most, tables]) => {
            const width = document.documentElement.clientWidth;
            const scrolls = document.documentElement.scrollWidth > width;
            const hidden = tables ? ".visually-hidden, .skip-link, thead"
                : ".table-wrap, .visually-hidden, .skip-link";
            if (!scrolls && !tables) { return []; }
            return [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .filter(el => !el.closest(hidden))
                .slice(0, most)
                .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                    + (el.className ? "." + String(el.className).split(" ").join(".") : ""));
        }""",
        [most, tables],
    )


def assert_no_horizontal_scroll(page: Any) -> None:
    """Content reflows at the current width (WCAG 1.4.10): nothing wider than the window."""
    overflow = overflowing(page)
    assert not overflow, f"Horizontal scrolling at {page.viewport_size}: {overflow}"


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"


def save_screenshots(page: Any, name: str) -> list[Path]:
    """Full-page screenshots at 320 px and 1280 px in test-artifacts/screenshots/."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    paths = []
    for viewport in (NARROW, WIDE):
        page.set_viewport_size(viewport)
        path = SCREENSHOT_DIR / f"{_safe_name(name)}-{viewport['width']}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    if original:
        page.set_viewport_size(original)
    return paths


def phone_screenshot(page: Any, name: str) -> None:
    """The page as a 375 px phone shows it, beside check_page's 320 and 1280 px."""
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-375.png"), full_page=True)
    page.set_viewport_size(original)


def check_page(page: Any, name: str) -> None:
    """Everything a page must pass, at 320 px and at 1280 px, with screenshots saved.

    axe-core WCAG 2.1 A+AA, no horizontal scrolling at 320 px, no console errors
    (a CSP violation shows there).
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for viewport in (NARROW, WIDE):
        page.set_viewport_size(viewport)
        page.screenshot(
            path=str(SCREENSHOT_DIR / f"{_safe_name(name)}-{viewport['width']}.png"),
            full_page=True,
        )
        assert_no_axe_violations(page)
        if viewport is NARROW:
            assert_no_horizontal_scroll(page)
    if original:
        page.set_viewport_size(original)
    assert_no_console_errors(page)
