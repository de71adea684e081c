"""Browser fixtures for the defector walkthrough (from the core shell's browser testing)."""

from samverkan.core.testing.browser import browser, page  # noqa: F401  (pytest fixtures)
