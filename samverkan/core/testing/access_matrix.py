"""Support for the access-matrix test (`samverkan/core/tests/test_access_matrix.py`).

* `PERSONAS` – who knocks: anonymous, the demo users, two police API clients.
* `load_matrix_data()` – the demo data set (every app's `demo.load_demo()`) plus a
  few records the demo lacks (an information request, a defector assignment
  between two municipalities neither of which is Stockholm), and a signed-in,
  second-factor-verified session per user persona. Loaded once per test
  module inside a transaction that is rolled back afterwards (see the
  `matrix_data` fixture in the test module).
* `url_names()` / `api_operations()` – every route, from the URL resolver and
  from the OpenAPI schema, so a new route cannot escape the table.
* `client_for()` – a `django.test.Client` for a persona (session cookie or
  bearer token, no database work).
* `example_body()` – a request body that passes an operation's schema, so a
  forbidden caller is refused by the access check and not by validation.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

ANONYMOUS = "anonymous"
# persona -> demo user name (`samverkan.accounts.demo.DEMO_USERS`)
USER_PERSONAS: dict[str, str] = {
    "hub_worker": "socialjour",
    "nacka_receiver": "nacka",
    "solna_receiver": "solna",
    "roc_operator": "roc",
    "agreement_admin": "avtal",
    "nacka_agreement_admin": "avtal-nacka",
    "defector_coordinator": "avhopp",
    "collaboration_coordinator": "farsta",
    # the local police's coordinator in Farsta: a party of Farsta's homecoming plan
    "farsta_police": "polis-farsta",
    "school_staff": "skola",
    "analyst": "analytiker",
    "auditor": "granskare",
    "admin_user": "admin",
}
API_PERSONAS = ("roc_api_client", "other_police_api_client")


def personas_holding(roles: Iterable[str]) -> frozenset[str]:
    """The user personas whose demo user holds one of `roles` (an app's role group)."""
    from samverkan.accounts.demo import DEMO_USERS

    wanted = set(roles)
    holders = {spec.username for spec in DEMO_USERS if wanted & set(spec.roles)}
    return frozenset(persona for persona, name in USER_PERSONAS.items() if name in holders)


PERSONAS: tuple[str, ...] = (ANONYMOUS, *USER_PERSONAS, *API_PERSONAS)


# URL namespaces covered otherwise: the admin as one group, the API by operation id.
ADMIN_NAMESPACE = "admin"
API_NAMESPACE = "api"
# The API's own pages that are not operations of the schema.
API_PAGES = ("api:openapi-json", "api:openapi-view", "api:api-root")


def collaboration_groups() -> dict[str, frozenset[str]]:
    """Who collaboration's role groups (`collaboration.access`) let in, as personas.

    The rows that check nothing but the role take these; rows that also depend on
    the record (Farsta's forum, its co-location) name the personas themselves.
    """
    from samverkan.collaboration import access

    return {
        "participants": personas_holding(access.PARTICIPANTS),
        "plan_readers": personas_holding(access.PLAN_READERS),
    }


DEMO_MODULES = (
    "samverkan.accounts.demo",
    "samverkan.agreements.demo",
    "samverkan.intake.demo",
    "samverkan.defectors.demo",
    "samverkan.collaboration.demo",
    "samverkan.routines.demo",
    "samverkan.homecoming.demo",
)


@dataclass
class MatrixData:
    """Named records (for URL kwargs), and how each persona authenticates."""

    records: dict[str, Any] = field(default_factory=dict)
    session_keys: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    actors: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.records[name]


def _walk(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        else:
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), pattern


def url_names() -> set[str]:
    """Every URL name of the project except the admin's and the API operations'.

    The admin is one group (see `admin_url_names`); the API's operations are
    enumerated from its schema (`api_operations`), its own pages are kept.
    """
    names = set()
    for name, _pattern in _walk(get_resolver().url_patterns):
        top = name.split(":", 1)[0] if ":" in name else ""
        if top == ADMIN_NAMESPACE:
            continue
        if top == API_NAMESPACE and name not in API_PAGES:
            continue
        names.add(name)
    return names


def admin_url_names() -> set[str]:
    return {
        name
        for name, _pattern in _walk(get_resolver().url_patterns)
        if name.startswith(f"{ADMIN_NAMESPACE}:")
    }


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str  # with {param} placeholders, e.g. /api/v1/reports/{report_id}
    body_schema: dict[str, Any] | None


def api_operations() -> dict[str, Operation]:
    """operation id -> Operation, from `samverkan.api.api`'s OpenAPI schema."""
    from samverkan.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    found = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = None
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = _resolve(content["application/json"]["schema"], components)
            found[operation["operationId"]] = Operation(
                operation["operationId"], method.upper(), path, body
            )
    return found


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolve(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    resolved = dict(schema)
    if "properties" in schema:
        resolved["properties"] = {
            name: _resolve(value, components) for name, value in schema["properties"].items()
        }
    for key in ("anyOf", "allOf", "oneOf"):
        if key in schema:
            resolved[key] = [_resolve(option, components) for option in schema[key]]
    if "items" in schema:
        resolved["items"] = _resolve(schema["items"], components)
    return resolved


def example_body(schema: dict[str, Any] | None) -> Any:
    """A value that passes `schema` (required properties only; dates, enums, numbers)."""
    if schema is None:
        return {}
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return example_body(options[0] if options else schema[key][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = schema.get("required", [])
        return {name: example_body(schema["properties"][name]) for name in required}
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return date.today().isoformat()
        if fmt == "date-time":
            return f"{date.today().isoformat()}T10:00:00+01:00"
        if fmt == "uuid":
            return "00000000-0000-4000-8000-000000000000"
        return "Åtkomsttest"
    return None


def client_for(data: MatrixData, persona: str) -> Client:
    """A test client acting as `persona`; its session was made by `load_matrix_data`.

    One client per persona, reused with fresh cookies: a new `Client` loads the
    middleware again, and WhiteNoise's scans the static files (~25 ms each time).
    """
    client = data.clients.get(persona)
    if client is None:
        client = data.clients[persona] = Client()
    client.cookies = SimpleCookie()
    if persona in data.session_keys:
        client.cookies[settings.SESSION_COOKIE_NAME] = data.session_keys[persona]
    elif persona in data.tokens:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {data.tokens[persona]}"
    return client


def _signed_in_session(user: Any) -> str:
    from conftest import verify_second_factor

    client = verify_second_factor(Client(), user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def load_matrix_data() -> MatrixData:
    """The demo data set, extra records and the personas' sessions and tokens."""
    from samverkan.accounts.api_auth import api_client_create
    from samverkan.accounts.demo import ensure_demo_api_client, ensure_demo_user
    from samverkan.accounts.models import User
    from samverkan.core.testing.baseline import load_registry_demo

    load_registry_demo()
    for username in USER_PERSONAS.values():
        ensure_demo_user(username)
    # after the users: the collaboration demo moves the school persona to its school
    for module in DEMO_MODULES:
        importlib.import_module(module).load_demo()

    data = MatrixData()
    for persona, username in USER_PERSONAS.items():
        user = User.objects.get(username=username)
        data.actors[persona] = user
        data.session_keys[persona] = _signed_in_session(user)
    from samverkan.registry.models import Organisation

    roc_client, roc_token = ensure_demo_api_client()
    bops_client, bops_token = api_client_create(
        organisation=Organisation.objects.get(code="polisen-bops"), name="BOPS åtkomsttest"
    )
    data.actors.update(roc_api_client=roc_client, other_police_api_client=bops_client)
    data.tokens.update(roc_api_client=roc_token, other_police_api_client=bops_token)
    data.records.update(_records(data))
    return data


def _records(data: MatrixData) -> dict[str, Any]:
    """The records the table's URL kwargs refer to, by name."""
    from samverkan.agreements.models import (
        Agreement,
        AgreementDecision,
        AgreementParty,
        AgreementVersion,
        Notice,
        TerminationNotification,
    )
    from samverkan.collaboration.models import (
        ActionPlan,
        Activity,
        CoLocation,
        Forum,
        Indicator,
        IndicatorKind,
        Meeting,
        SeriousTalk,
        SituationalPicture,
    )
    from samverkan.defectors import services as defector_services
    from samverkan.defectors.models import (
        Assignment,
        PlannedIntervention,
        PreconditionConfirmation,
        Reconciliation,
    )
    from samverkan.homecoming import services as homecoming_services
    from samverkan.homecoming.models import HomecomingAction, HomecomingPlan, RiskLevel
    from samverkan.intake import services as intake_services
    from samverkan.intake.demo import demo_person_id
    from samverkan.intake.models import ConcernReport, NotEligibleRecord, SourceChannel
    from samverkan.registry.change_rules import RESPONSIBILITIES
    from samverkan.registry.changes import change_register
    from samverkan.registry.models import ChangeKind, Organisation
    from samverkan.routines.models import Routine
    from samverkan.webhooks.services import endpoint_register

    def report(reference: str) -> ConcernReport:
        return ConcernReport.objects.get(police_reference=reference)

    nacka_report = report("DEMO-0004")  # accepted by Nacka, protection assessed
    question = intake_services.information_request_send(
        actor=data.actors["nacka_receiver"],
        report_id=nacka_report.pk,
        kind="risk_assessment",
        question="Finns en aktuell riskbedömning? (åtkomsttest)",
    )
    defector_agreement = Agreement.objects.get(reference="AVH-2023-1")
    alfa = Assignment.objects.get(person_alias="Klient Alfa")
    children_task = defector_services.children_task_create(
        actor=data.actors["defector_coordinator"],
        assignment=alfa,
        description="Ett barn har framkommit (åtkomsttest).",
    )
    school_report = (
        ConcernReport.objects.filter(source_channel=SourceChannel.SCHOOL).order_by("pk").first()
    )
    notice = Notice.objects.select_related("agreement").first()
    assert notice is not None and school_report is not None
    # homecoming: the demo plan is shared with the police under 10 kap. 18 a § OSL;
    # a second plan of Farsta's has no basis recorded, so the police may not see it
    homecoming_plan = HomecomingPlan.objects.select_related("district", "police_unit").get(
        district__code="0180-farsta"
    )
    plan_without_basis = homecoming_services.plan_create(
        actor=data.actors["collaboration_coordinator"],
        district=homecoming_plan.district,
        police_unit=homecoming_plan.police_unit,
        person_id=demo_person_id(date(2010, 2, 3), female=True),
        name="Ingen Grund (åtkomsttest)",
        sis_home="Demohemmet (åtkomsttest)",
        expected_release=homecoming_plan.expected_release,
        risk_level=RiskLevel.HIGH,
    )
    actions = HomecomingAction.objects.filter(plan=homecoming_plan).order_by("pk")
    change = change_register(
        actor=data.actors["admin_user"],
        kind=ChangeKind.MERGER,
        effective_date=date(2099, 1, 1),
        ending=[Organisation.objects.get(code="0182"), Organisation.objects.get(code="0184")],
        successors={Organisation.objects.get(code="0180").pk: list(RESPONSIBILITIES)},
        decision="Åtkomsttest § 1",
    )
    webhook_endpoint, _secret = endpoint_register(
        actor=data.actors["roc_api_client"],
        client=data.actors["roc_api_client"],
        url="https://polis.example/samverkan/webhooks",
        contact_email="drift@polis.example",
    )
    return {
        # agreements: Stockholm (0180) is party to every demo agreement; Nacka to one.
        "agreement_nacka": Agreement.objects.get(reference="SN-ROC-0182"),
        "agreement_solna": Agreement.objects.get(reference="SN-ROC-0184"),
        # the two parties of Nacka's agreement: each kept by its own administrator
        "party_nacka_0182": AgreementParty.objects.get(
            agreement__reference="SN-ROC-0182", organisation__code="0182"
        ),
        "party_nacka_0180": AgreementParty.objects.get(
            agreement__reference="SN-ROC-0182", organisation__code="0180"
        ),
        # Solna's agreement as decided in 2024 (version 1, a kept PDF)
        "version_solna": AgreementVersion.objects.get(agreement__reference="SN-ROC-0184", number=1),
        "agreement_with_notice": notice.agreement,
        "notification": TerminationNotification.objects.get(notice=notice),
        "decision_with_document": AgreementDecision.objects.exclude(document="")
        .filter(agreement=defector_agreement)
        .first(),
        "notice": notice,
        # intake: one report per receiving municipality and state
        "report_received": report("DEMO-0001"),  # at the hub, home Nacka
        "report_solna": report("DEMO-0002"),  # handed over to Solna, not accepted
        "report_nacka": nacka_report,
        "not_eligible": NotEligibleRecord.objects.order_by("pk").first(),
        "information_request": question,
        "school_report": school_report,
        # defectors (Stockholm <-> Göteborg)
        "defector_agreement": defector_agreement,
        "assignment": alfa,
        "draft_assignment": Assignment.objects.get(person_alias="Klient Gamma"),
        "children_task": children_task,
        "intervention": PlannedIntervention.objects.filter(plan__assignment=alfa).first(),
        "reconciliation": Reconciliation.objects.order_by("pk").first(),
        "consent_document": PreconditionConfirmation.objects.exclude(document="")
        .filter(assignment=alfa)
        .first(),
        # collaboration (Farsta)
        "forum": Forum.objects.order_by("pk").first(),
        "meeting": Meeting.objects.order_by("pk").first(),
        "picture": SituationalPicture.objects.order_by("pk").first(),
        "plan": ActionPlan.objects.order_by("pk").first(),
        "activity": Activity.objects.order_by("pk").first(),
        "manual_indicator": Indicator.objects.filter(kind=IndicatorKind.MANUAL).first(),
        "serious_talk": SeriousTalk.objects.order_by("pk").first(),
        "colocation": CoLocation.objects.order_by("pk").first(),
        # registry: a merger planned for a far-off day (never applied by the matrix)
        "org_change": change,
        # routines: Farsta's homecoming routine, applying to the police in Farsta
        "routine": Routine.objects.filter(owner__code="0180-farsta").order_by("pk").first(),
        # homecoming (Farsta's district and lokalpolisområde Farsta)
        "homecoming_plan": homecoming_plan,
        "plan_without_basis": plan_without_basis,
        "district_action": actions.filter(party=homecoming_plan.district).first(),
        "police_action": actions.filter(party=homecoming_plan.police_unit).first(),
        # webhooks: the ROC system's receiver
        "webhook_endpoint": webhook_endpoint,
    }
