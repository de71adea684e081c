import pytest


@pytest.fixture(autouse=True)
def _unhashed_static_files(settings):
    """Render {% static %} without a collectstatic manifest (plain `pytest` on a fresh clone)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
