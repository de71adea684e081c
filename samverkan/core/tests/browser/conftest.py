"""Browser fixtures for the core shell's tests (other apps import them the same way)."""

from samverkan.core.testing.browser import (  # noqa: F401  (pytest fixtures)
    browser,
    page,
    unhashed_static_files,
)
