"""Browser fixtures for the follow-up dashboard (from the core shell's browser testing)."""

from samverkan.core.testing.browser import browser, page  # noqa: F401  (pytest fixtures)
