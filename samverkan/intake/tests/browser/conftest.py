"""Browser fixtures for the intake pages (the shared ones from samverkan.core.testing.browser)."""

from importlib import import_module

import pytest

from samverkan.core.testing.browser import browser, page  # noqa: F401  (pytest fixtures)


@pytest.fixture(autouse=True)
def reference_data(transactional_db: None) -> None:
    """The live server needs a flushing database, and a flush before this test removed the
    migrations' reference data (agreement types, municipalities): load it again, the same way
    the migrations do, before the demo registry and agreements are loaded on top of it."""
    from django.apps import apps

    from samverkan.agreements.models import AgreementType
    from samverkan.registry.models import Organisation

    if not AgreementType.objects.exists():
        import_module("samverkan.agreements.migrations.0002_agreement_types").load(apps, None)
    if not Organisation.objects.filter(code="0182").exists():
        import_module("samverkan.registry.migrations.0003_reference_data").load(apps, None)
