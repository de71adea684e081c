"""Intake test fixtures on top of the project-wide personas (top-level conftest.py).

`intake_registry` is the demo registry (units, office hours, out-of-hours
coverage, contact persons) plus the demo single-entry agreements, so the tests
run against the same data as `setup_demo` and the route command's example.
"""

from __future__ import annotations

from typing import Any

import pytest

from samverkan.accounts.models import Role, User
from samverkan.core.testing.baseline import restore_baseline_data
from samverkan.intake.access import RECEIVERS
from samverkan.registry.models import Organisation


def _load_demo_registry_and_agreements() -> None:
    from samverkan.agreements.demo import load_demo as load_agreements
    from samverkan.agreements.models import Agreement
    from samverkan.registry.demo import load_demo as load_registry
    from samverkan.registry.models import Unit

    if not Unit.objects.filter(is_hub=True).exists():
        load_registry()
    if not Agreement.objects.exists():
        load_agreements()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:  # noqa: F811
    """Load the demo registry and agreements once; each test rolls back to them."""
    with django_db_blocker.unblock():
        # A transactional test in another folder may have flushed the database already.
        restore_baseline_data()
        _load_demo_registry_and_agreements()


@pytest.fixture
def registry_demo(db: None) -> dict[str, Organisation]:
    """The demo registry, loaded once per session (again after a flushing test)."""
    _load_demo_registry_and_agreements()
    return {o.code: o for o in Organisation.objects.all()}


@pytest.fixture
def intake_registry(registry_demo: dict[str, Organisation]) -> dict[str, Organisation]:
    return registry_demo


@pytest.fixture
def hub_worker(intake_registry: Any, hub_worker: Any) -> Any:  # noqa: F811 - extends the persona
    return hub_worker


@pytest.fixture
def nacka_receiver_2(intake_registry: dict[str, Organisation]) -> User:
    """A second receiver in Nacka, to race the first one."""
    user = User.objects.create(
        username="nacka-2",
        first_name="Nils",
        last_name="Andra",
        organisation=intake_registry["0182"],
    )
    user.roles.add(*(Role.objects.get_or_create(code=code)[0] for code in RECEIVERS))
    return user


@pytest.fixture
def roc_api_client(intake_registry: Any, roc_api_client: Any) -> Any:  # noqa: F811
    return roc_api_client


@pytest.fixture
def other_police_api_client(intake_registry: Any, other_police_api_client: Any) -> Any:  # noqa: F811
    return other_police_api_client
