"""Browser fixtures for the intake pages (the shared ones from samverkan.core.testing.browser).

The live server needs a flushing (transactional) database, and a flush removes the
migrations' reference data (agreement types, municipalities) that the demo registry,
the demo agreements and the tests after these rely on. It is loaded again the way the
migrations load it: before each browser test if missing, and after its flush.
"""

from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest

from samverkan.core.testing.browser import browser, page  # noqa: F401  (pytest fixtures)


def load_reference_data() -> None:
    from django.apps import apps

    from samverkan.agreements.models import AgreementType
    from samverkan.registry.models import Organisation

    if not AgreementType.objects.exists():
        import_module("samverkan.agreements.migrations.0002_agreement_types").load(apps, None)
    if not Organisation.objects.filter(code="0182").exists():
        import_module("samverkan.registry.migrations.0003_reference_data").load(apps, None)


@pytest.fixture(autouse=True)
def reference_data_after_flush(django_db_blocker: Any) -> Iterator[None]:
    """Set up before the database fixture, so its teardown runs after the flush."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def reference_data(transactional_db: None) -> None:
    load_reference_data()
