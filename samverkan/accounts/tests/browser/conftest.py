"""Browser fixtures (shared with the core shell's browser tests)."""

from samverkan.core.testing.browser import browser, page  # noqa: F401  (pytest fixtures)
