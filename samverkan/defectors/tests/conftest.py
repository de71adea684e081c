"""Fixtures for defector tests: the three-city agreement, coordinators on each side, helpers."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.defectors import rules, services

STOCKHOLM, GOTHENBURG, MALMO = "0180", "1480", "1280"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def make_agreement(orgs: dict[str, Any], reference: str = "AVH-TEST-1", **extra: Any) -> Any:
    from samverkan.agreements import services as agreement_services
    from samverkan.agreements.models import AgreementType, AgreementTypeCode, DecisionBody

    # A transactional test (the browser's) may run after another one flushed the reference
    # data that the agreements migration loads: put the defector type back if so.
    types = importlib.import_module(
        "samverkan.agreements.migrations.0001_squashed_0005_party_details_and_versions"
    )
    for row in types.TYPES:
        if row["code"] == AgreementTypeCode.DEFECTOR_SERVICES:
            AgreementType.objects.get_or_create(code=row["code"], defaults=row)

    # Two defector agreements between the same parties cannot be in force at once (issue 17
    # point 1): a session that loaded the agreements demo (intake's conftest does) holds
    # AVH-2023-1 between these three cities. This test's own agreement takes its place: the
    # demo's is taken out of force (undone with the test's transaction).
    from samverkan.agreements.models import Agreement

    Agreement.objects.filter(type__code=AgreementTypeCode.DEFECTOR_SERVICES).exclude(
        reference=reference
    ).update(in_force_from=None, in_force_until=None)

    terms: dict[str, Any] = {
        "pilot_max_sent": 1,
        "pilot_max_received": 1,
        "materiality_threshold": Decimal("10000.00"),
    }
    terms.update(extra)
    agreement = agreement_services.agreement_create(
        actor=None,
        type_code=AgreementTypeCode.DEFECTOR_SERVICES,
        title="Avtal om samverkan för insatser till avhoppare (test)",
        reference=reference,
        organisations=[orgs[STOCKHOLM], orgs[GOTHENBURG], orgs[MALMO]],
        start_date=date(2023, 1, 1),
        end_date=date(2023, 12, 31),
        renewal_months=12,
        max_renewals=1,
        open_ended_after_renewals=True,
        notice_months=6,
        **terms,
    )
    for party in agreement.parties.all():
        agreement_services.decision_record(
            actor=None,
            agreement=agreement,
            party=party,
            body_kind=DecisionBody.POLITICAL_COMMITTEE,
            body_name="Socialnämnden",
            decided_on=date(2022, 12, 15),
        )
    services.seed_catalogue(agreement)
    return agreement


@pytest.fixture
def agreement(registry_demo: dict[str, Any]) -> Any:
    return make_agreement(registry_demo)


def coordinator(username: str, code: str, role: str = "defector_coordinator") -> Any:
    from samverkan.accounts.models import Role, User
    from samverkan.registry.models import Organisation

    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "organisation": Organisation.objects.get(code=code),
            "first_name": username.capitalize(),
            "last_name": "Testsson",
        },
    )
    role_obj, _ = Role.objects.get_or_create(code=role)
    user.roles.add(role_obj)
    return user


@pytest.fixture
def stockholm(defector_coordinator: Any) -> Any:
    return defector_coordinator


@pytest.fixture
def gothenburg(gothenburg_defector_coordinator: Any) -> Any:
    return gothenburg_defector_coordinator


@pytest.fixture
def malmo(registry_demo: dict[str, Any]) -> Any:
    return coordinator("avhopp-malmo", MALMO)


@pytest.fixture
def org(registry_demo: dict[str, Any]) -> dict[str, Any]:
    return registry_demo


def confirm_all(actor: Any, assignment: Any, *, skip: rules.PreconditionKind | None = None) -> None:
    from samverkan.registry.models import Organisation

    police = Organisation.objects.get(code="polisen-bops")
    for kind in rules.PreconditionKind:
        if kind is skip:
            continue
        services.precondition_confirm(
            actor=actor,
            assignment=assignment,
            kind=kind,
            confirmed_on=date(2024, 1, 10),
            police_unit=police if "police" in kind else None,
            legal_basis=rules.LegalBasis.CONSENT
            if kind is rules.PreconditionKind.LEGAL_BASIS
            else "",
            document=SimpleUploadedFile("samtycke.pdf", b"%PDF-1.4 test", "application/pdf")
            if kind in rules.DOCUMENT_REQUIRED
            else None,
        )


def draft(actor: Any, agreement: Any, receiving: Any, alias: str = "Klient A") -> Any:
    return services.assignment_create(
        actor=actor, agreement=agreement, receiving_municipality=receiving, person_alias=alias
    )


def prepared(
    home: Any,
    agreement: Any,
    receiving_org: Any,
    alias: str = "Klient A",
    *,
    skip: rules.PreconditionKind | None = None,
) -> Any:
    """A draft taken into consultation, every precondition (but `skip`) confirmed."""
    assignment = draft(home, agreement, receiving_org, alias)
    services.assignment_start_consultation(actor=home, assignment=assignment)
    confirm_all(home, assignment, skip=skip)
    assignment.refresh_from_db()
    return assignment


def requested(home: Any, agreement: Any, receiving_org: Any, alias: str = "Klient A") -> Any:
    """An assignment the home municipality has sent to the receiving one."""
    assignment = prepared(home, agreement, receiving_org, alias)
    services.assignment_request(actor=home, assignment=assignment)
    assignment.refresh_from_db()
    return assignment


def accepted(
    home: Any, receiver: Any, agreement: Any, receiving_org: Any, alias: str = "Klient A"
) -> Any:
    assignment = requested(home, agreement, receiving_org, alias)
    return services.assignment_accept(actor=receiver, assignment=assignment)


def catalogue_intervention(actor: Any, assignment: Any, code: str) -> Any:
    """Add the agreement's catalogue intervention `code` to the assignment's plan."""
    return services.plan_intervention_add(
        actor=actor,
        assignment=assignment,
        kind=rules.InterventionKind.CATALOGUE,
        catalogue_item=assignment.agreement.defector_catalogue.get(code=code),
    )


def reconcile(actor: Any, agreement: Any, other_party: Any, period: Any = None) -> Any:
    """The actor's party's reconciliation with `other_party` for 2024-H1 (or `period`)."""
    return services.reconciliation_compute(
        actor=actor,
        agreement=agreement,
        period=period or rules.Period(2024, 1),
        other_party=other_party,
    )


def book(
    actor: Any, assignment: Any, intervention: Any, amount: str, on: date = date(2024, 2, 1)
) -> Any:
    """Book a cost on an intervention of the assignment (incurred 1 February 2024)."""
    return services.cost_book(
        actor=actor,
        assignment=assignment,
        intervention=intervention,
        incurred_on=on,
        amount=amount,
    )
