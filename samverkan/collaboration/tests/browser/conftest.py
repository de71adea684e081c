"""Browser fixtures for the collaboration pages (the shared ones from core.testing.browser)."""

from samverkan.core.testing.browser import (  # noqa: F401  (pytest fixtures)
    browser,
    page,
)
