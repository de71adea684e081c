"""Browser fixtures for the core shell's tests (other apps import them the same way)."""

from samverkan.core.testing.browser import browser, page  # noqa: F401  (pytest fixtures)
