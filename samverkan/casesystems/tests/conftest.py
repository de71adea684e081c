from __future__ import annotations

from collections.abc import Iterator

import pytest

from samverkan.casesystems.tests.lifecare_server import LifecareStandIn

# The demo registry and single-entry agreements, as intake's tests have them.
from samverkan.intake.tests.conftest import django_db_setup, registry_demo  # noqa: F401


@pytest.fixture
def lifecare() -> Iterator[LifecareStandIn]:
    running = LifecareStandIn().start()
    yield running
    running.stop()


@pytest.fixture
def nacka_receiver_client(logged_in_client, nacka_receiver):  # type: ignore[no-untyped-def]
    return logged_in_client(nacka_receiver)
