"""The browser-test fixtures skip only when Chromium is missing and cannot be installed."""

from pathlib import Path

import pytest

from samverkan.core.testing import browser as browser_testing


@pytest.fixture
def no_chromium(monkeypatch):
    calls = []
    monkeypatch.setattr(browser_testing, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.setattr(browser_testing.shutil, "which", lambda name: None)
    monkeypatch.setattr(browser_testing.subprocess, "run", lambda *a, **k: calls.append(a))
    return calls


def test_missing_chromium_is_installed_first_then_skipped_with_a_clear_message(
    no_chromium, monkeypatch
):
    monkeypatch.delenv("SAMVERKAN_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium is missing"):
        browser_testing._chromium_or_skip()
    assert "browser-deps.sh" in no_chromium[0][0][1]


def test_missing_chromium_fails_when_the_browser_tests_are_required(no_chromium, monkeypatch):
    monkeypatch.setenv("SAMVERKAN_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="Chromium is missing"):
        browser_testing._chromium_or_skip()
