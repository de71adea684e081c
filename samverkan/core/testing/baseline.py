"""The data every test starts from: migrations' data, the registry demo, persona orgs.

A transactional test (live server, browser) ends with a flush that empties every
table; `restore_baseline_data` puts back what the migrations and the session
set-up had loaded, so the tests after it start from the same ground.
"""

from __future__ import annotations

import importlib
from typing import Any

# Organisations the personas need: code -> (name, kind, parent code).
PERSONA_ORGANISATIONS: dict[str, tuple[str, str, str | None]] = {
    "0180": ("Stockholms stad", "municipality", None),
    "0180-farsta": ("Farsta stadsdelsförvaltning", "district", "0180"),
    "0180-norra-innerstaden": ("Norra innerstadens stadsdelsförvaltning", "district", "0180"),
    "0182": ("Nacka kommun", "municipality", None),
    "0184": ("Solna stad", "municipality", None),
    "1480": ("Göteborgs stad", "municipality", None),
    "1280": ("Malmö stad", "municipality", None),
    "polisen-roc": ("Polisen, Regionalt operativt center Stockholm (ROC)", "police_unit", None),
    "polisen-bops": (
        "Polisen, brottsoffer- och personsäkerhetssektionen Stockholm (BOPS)",
        "police_unit",
        None,
    ),
}


def load_registry_demo() -> dict[str, Any]:
    """Load the registry demo unless it is there already; ensure the persona organisations."""
    from samverkan.registry.models import Organisation, Unit

    try:
        registry_demo_module = importlib.import_module("samverkan.registry.demo")
    except ModuleNotFoundError as error:
        if error.name != "samverkan.registry.demo":
            raise
    else:
        # The hub exists only once the registry demo ran (it is idempotent, but slow).
        if not Unit.objects.filter(is_hub=True).exists():
            registry_demo_module.load_demo()
    found = {o.code: o for o in Organisation.objects.filter(code__in=PERSONA_ORGANISATIONS)}
    for code, (name, kind, parent_code) in PERSONA_ORGANISATIONS.items():
        if code not in found:
            parent = found.get(parent_code) if parent_code else None
            found[code] = Organisation.objects.create(
                code=code, name=name, kind=kind, parent=parent
            )
    return found


def restore_baseline_data() -> None:
    """What migrations and the session set-up load, after a transactional test's flush.

    Flushing empties every table; post_migrate re-creates content types and
    permissions, but not the data migrations' rows (roles, agreement types,
    reference municipalities) nor the registry demo. Each loader is idempotent.
    """
    from django.apps import apps

    from samverkan.accounts.models import Role
    from samverkan.agreements.models import AgreementType
    from samverkan.registry.models import Organisation
    from samverkan.registry.reference_data import load_reference_data

    def migration(name: str) -> Any:
        return importlib.import_module(name)

    if not Role.objects.exists():
        migration("samverkan.accounts.migrations.0002_squashed_0003_roles").create_roles(apps, None)
    if not AgreementType.objects.exists():
        migration(
            "samverkan.agreements.migrations.0001_squashed_0005_party_details_and_versions"
        ).load(apps, None)
    if not Organisation.objects.filter(kind="municipality").exists():
        load_reference_data(Organisation)
    load_registry_demo()
