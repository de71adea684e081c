"""Browser tests of local collaboration. `browser` and `page` come from the root conftest.

A transactional test elsewhere in the suite may end with a flush whose post-migrate
signal creates content types and permissions again, with new ids; the serialized
rollback that `page` asks for then inserts the original rows and fails on their unique
names (only when the whole suite runs in one session). pytest-django requests the
database for a live-server test in its own autouse `_live_server_helper`, before any
other fixture of the test can run; this directory's override of it first removes
those re-created rows when the database was flushed, then does the same as the original,
and after the test's own flush loads the migrations' reference data again.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _live_server_helper(request: pytest.FixtureRequest, django_db_blocker: Any) -> Generator[None]:
    if "live_server" not in request.fixturenames:
        yield
        return
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from samverkan.registry.models import Organisation

    with django_db_blocker.unblock():
        if not Organisation.objects.exists():  # flushed by an earlier transactional test
            Permission.objects.all().delete()
            ContentType.objects.all().delete()
    request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()
    with django_db_blocker.unblock():
        _reload_reference_data()


def _reload_reference_data() -> None:
    """The migrations' data (roles, agreement types, municipalities), for the tests after."""
    from importlib import import_module

    from django.apps import apps

    from samverkan.accounts.demo import ensure_roles
    from samverkan.agreements.models import AgreementType
    from samverkan.registry.models import Organisation

    ensure_roles()
    if not AgreementType.objects.exists():
        import_module("samverkan.agreements.migrations.0002_agreement_types").load(apps, None)
    if not Organisation.objects.filter(code="0182").exists():
        import_module("samverkan.registry.migrations.0003_reference_data").load(apps, None)
