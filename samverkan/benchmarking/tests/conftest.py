"""generate_history needs what intake's tests stand on: the demo registry and agreements."""

from samverkan.intake.tests.conftest import (  # noqa: F401  (fixtures, used by name)
    django_db_setup,
    hub_worker,
    intake_registry,
    registry_demo,
    roc_api_client,
)
