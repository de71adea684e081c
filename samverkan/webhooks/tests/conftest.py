from __future__ import annotations

from collections.abc import Iterator

import pytest

# The demo registry and single-entry agreements, as intake's tests have them: the
# reports these tests send must be routed as a police system's would be.
from samverkan.intake.tests.conftest import django_db_setup, registry_demo  # noqa: F401
from samverkan.webhooks.tests.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()
