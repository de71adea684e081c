"""Browser fixtures for the defector walkthrough, on the core shell's browser testing.

`page` comes from `samverkan.core.testing.browser`. `browser` is our own because
Playwright's sync API allows one running instance per thread: when another
app's session-wide browser is already running (the core shell's tests run
first in a full run), we reuse it; otherwise we start one just for this module
and stop it afterwards, so a later session-wide one can start. As the core's
fixture does, the serialized test data is shared with the connections that
Playwright's running loop makes Django use (see docs/decisions/0004).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from typing import Any

import pytest

from samverkan.core.testing.browser import (  # noqa: F401  (pytest fixture)
    CHROMIUM_ARGS,
    _chromium_or_skip,
    _share_serialized_contents,
    page,
)


def _running_browser() -> Any:
    from playwright.sync_api import Browser

    # `type() is`, not isinstance(): isinstance would evaluate lazy objects (CSP nonces).
    for candidate in gc.get_objects():
        if type(candidate) is Browser and candidate.is_connected():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[Any]:
    chromium = _chromium_or_skip()
    running = _running_browser()
    if running is not None:
        yield running
        return
    from django.db import connections
    from playwright.sync_api import sync_playwright

    saved = {
        alias: contents
        for alias in connections
        if (contents := getattr(connections[alias], "_test_serialized_contents", None))
    }

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        _share_serialized_contents(saved)
        yield launched
        launched.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
