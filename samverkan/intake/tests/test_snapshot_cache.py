"""The registry snapshot cache as a server process uses it: outside any transaction.

`registry_snapshot` reuses the day's snapshot for REGISTRY_SNAPSHOT_SECONDS and
never inside a transaction, so every other test (each in its test transaction)
builds it afresh: a cache that never expired, or that was never used, passed
them all (issue 17, point 11). This test runs outside a transaction, as
gunicorn does, with the cache's clock in its hand. A change made by another
server process is simulated by an `update()`, which sends no signal here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.db import connection

from samverkan.core.calendar import STOCKHOLM
from samverkan.intake import snapshot
from samverkan.registry.models import Organisation

AT = datetime(2026, 12, 7, 10, 0, tzinfo=STOCKHOLM)
NACKA = "0182"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[Clock]:
    settings.REGISTRY_SNAPSHOT_SECONDS = 30
    clock = Clock()
    monkeypatch.setattr(snapshot, "monotonic", clock)
    snapshot.invalidate_registry_snapshot()
    yield clock
    snapshot.invalidate_registry_snapshot()


def nacka_name() -> str:
    return snapshot.registry_snapshot(AT).municipality_names[NACKA]


@pytest.mark.django_db(transaction=True)
def test_a_change_elsewhere_is_seen_once_the_cached_snapshot_expires(
    registry_demo: dict[str, Any], clock: Clock
) -> None:
    assert not connection.in_atomic_block  # as in a server process: the cache is used
    before = nacka_name()
    # Another server process renames Nacka (no signal reaches this process).
    Organisation.objects.filter(code=NACKA).update(name="Nacka kommun (ny)")

    clock.now += 29
    assert nacka_name() == before  # within the reuse time: the cached snapshot
    clock.now += 2
    assert nacka_name() == "Nacka kommun (ny)"  # expired: built again, the change seen


@pytest.mark.django_db(transaction=True)
def test_a_change_in_this_process_is_seen_at_once(
    registry_demo: dict[str, Any], clock: Clock
) -> None:
    nacka_name()
    nacka = Organisation.objects.get(code=NACKA)
    nacka.name = "Nacka kommun (sparad här)"
    nacka.save()
    assert nacka_name() == "Nacka kommun (sparad här)"  # the save cleared the cache
