"""Browser fixtures for the intake pages (the shared ones from samverkan.core.testing.browser)."""

from samverkan.core.testing.browser import browser, page  # noqa: F401  (pytest fixtures)
