"""Browser fixtures for the intake pages (the shared ones from samverkan.core.testing.browser)."""

from samverkan.core.testing.browser import (  # noqa: F401  (pytest fixtures)
    browser,
    page,
    unhashed_static_files,
)
