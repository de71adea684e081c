"""Intake test fixtures: a small registry shaped like the demo one, and the personas.

The persona names follow CONTRACTS.md (hub_worker, nacka_receiver, …) so the tests
read the same whether these or the project-wide fixtures provide them.
"""

from __future__ import annotations

from datetime import time

import pytest

from samverkan.accounts.models import Role, RoleCode, User
from samverkan.intake.interim.api_auth import api_client_create
from samverkan.intake.tests.testdata import COUNTY, DISTRICTS, NAMES, snapshot
from samverkan.registry.models import (
    ContactPerson,
    OfficeHours,
    Organisation,
    OrganisationKind,
    PhoneLine,
    PhonePurpose,
    Unit,
)

AGREEMENTS = sorted(set(COUNTY) - {"0180", "0188", "0192"})


@pytest.fixture
def intake_registry(db, settings):
    """Organisations, units, office hours, phone lines and contact persons (no agreements)."""
    settings.INTAKE_INTERIM_AGREEMENTS = AGREEMENTS
    orgs = {}
    for code in COUNTY + ["1480", "1280"]:
        orgs[code] = Organisation.objects.create(
            code=code,
            name=NAMES[code],
            kind=OrganisationKind.MUNICIPALITY,
            county_code="01" if code in COUNTY else code[:2],
        )
    for name, code in DISTRICTS.items():
        orgs[code] = Organisation.objects.create(
            code=code, name=name, kind=OrganisationKind.DISTRICT, parent=orgs["0180"]
        )
    orgs["polisen-roc"] = Organisation.objects.create(
        code="polisen-roc", name="Polisen ROC", kind=OrganisationKind.POLICE_UNIT
    )
    orgs["polisen-lpo-syd"] = Organisation.objects.create(
        code="polisen-lpo-syd", name="Polisen LPO Syd", kind=OrganisationKind.POLICE_UNIT
    )
    for info in snapshot().units:
        unit = Unit.objects.create(
            organisation=orgs[info.organisation],
            code=f"{info.kind}-{info.organisation}-{len(info.covers)}".replace("_", "-"),
            name=info.name,
            kind=info.kind,
            open_24_7=info.open_24_7,
            is_hub=info.name == "Socialjouren Stockholm",
        )
        unit.covers.set([orgs[c] for c in info.covers])
        for interval in info.intervals:
            OfficeHours.objects.create(
                unit=unit, weekday=interval.weekday, opens=time(8), closes=time(16, 30)
            )
        PhoneLine.objects.create(
            unit=unit,
            number=info.phone,
            purpose=(
                PhonePurpose.OFFICE_HOURS if info.kind == "intake" else PhonePurpose.HANDOVER_24_7
            ),
        )
        PhoneLine.objects.create(
            unit=unit, number="070-174 06 99", purpose=PhonePurpose.FALLBACK, priority=2
        )
    ContactPerson.objects.create(
        organisation=orgs["0182"],
        name="Karin Kontakt",
        email="kontakt@nacka.example",
        escalation_order=1,
    )
    ContactPerson.objects.create(
        organisation=orgs["0182"], name="Utan Epost", phone="08-465 004 50", escalation_order=2
    )
    return orgs


def _user(username: str, organisation: Organisation, *roles: str) -> User:
    user = User.objects.create(username=username, organisation=organisation, first_name=username)
    for code in roles:
        role, _ = Role.objects.get_or_create(code=code)
        user.roles.add(role)
    return user


@pytest.fixture
def hub_worker(intake_registry):
    return _user("hub", intake_registry["0180"], RoleCode.HUB_WORKER)


@pytest.fixture
def nacka_receiver(intake_registry):
    return _user("nacka", intake_registry["0182"], RoleCode.RECEIVER)


@pytest.fixture
def nacka_receiver_2(intake_registry):
    return _user("nacka2", intake_registry["0182"], RoleCode.RECEIVER)


@pytest.fixture
def solna_receiver(intake_registry):
    return _user("solna", intake_registry["0184"], RoleCode.RECEIVER)


@pytest.fixture
def farsta_receiver(intake_registry):
    return _user("farsta", intake_registry["0180-farsta"], RoleCode.RECEIVER)


@pytest.fixture
def roc_operator(intake_registry):
    return _user("roc", intake_registry["polisen-roc"], RoleCode.POLICE_OPERATOR)


@pytest.fixture
def analyst(intake_registry):
    return _user("analyst", intake_registry["0182"], RoleCode.ANALYST)


@pytest.fixture
def roc_api_client(intake_registry):
    return api_client_create(organisation=intake_registry["polisen-roc"], name="ROC-systemet")


@pytest.fixture
def other_police_api_client(intake_registry):
    return api_client_create(organisation=intake_registry["polisen-lpo-syd"], name="LPO Syd")
