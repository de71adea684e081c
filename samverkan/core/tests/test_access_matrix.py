"""The access matrix: every route × every persona, against a table of who may (issue 9).

Every URL name (from the URL resolver) and every API operation (from the
OpenAPI schema of `samverkan.api.api`) must have a row in `TABLE`, so a new
route cannot escape. Each row is tried with every persona in
`samverkan.core.testing.access_matrix.PERSONAS`:

* ``page``   GET; the allowed personas get ``ok`` (200 unless stated), everyone
             else a refusal: 302 to the log-in page, 401, 403 or 404.
* ``form``   a page that also takes a POST: as ``page``, and an (empty) POST
             by everyone not allowed is refused and changes nothing.
* ``action`` POST only: everyone not allowed is refused and nothing changes
             (no audit entry, the records in the URL unchanged); the allowed
             ones reach the view (anything but a refusal or a 5xx).
* API operations: the method from the schema; writes send a body that passes
  the schema (so a refusal comes from the access check, not from validation).

Records of their own and of another organisation: rows that take a record
come in variants (``"intake:receiver_report[solna]"``), one per record, so
Nacka's receiver meets both Nacka's report and Solna's.

Audit completeness: a row with ``audit=`` returns personal data; after each
allowed persona's successful request an audit entry with that actor, action,
record type and record id must exist. `test_audit_chain_verifies` runs a
workload and then `manage.py audit_verify`.

Adding a route: add a row (or one per record variant) to `TABLE` with the
personas that may use it, the URL kwargs as record names from
`access_matrix._records` (``"report_nacka"`` → its pk, ``"not_eligible.public_id"``
→ that attribute, ``"=en-ingang"`` → the literal), and ``audit=`` if it
shows personal data. Set ``ACCESS_MATRIX_SHOW=1`` to print what each persona
got, which is a quick way to draft the row.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.forms.models import model_to_dict
from django.urls import reverse

from samverkan.agreements.access import AGREEMENT_ADMIN_ROLES
from samverkan.audit import access as audit_access
from samverkan.audit.middleware import record_ids
from samverkan.core.testing.access_matrix import (
    ANONYMOUS,
    API_PERSONAS,
    PERSONAS,
    USER_PERSONAS,
    MatrixData,
    admin_url_names,
    api_operations,
    client_for,
    collaboration_groups,
    example_body,
    load_matrix_data,
    personas_holding,
    url_names,
)
from samverkan.core.testing.json_requests import send_json
from samverkan.defectors.access import DEFECTOR_ROLES
from samverkan.followup import access as followup_access
from samverkan.homecoming import access as homecoming_access
from samverkan.registry import access as registry_access
from samverkan.routines import access as routines_access

# --- persona groups ----------------------------------------------------------------------

HUB = "hub_worker"
NACKA = "nacka_receiver"
SOLNA = "solna_receiver"
ROC = "roc_operator"
AVTAL = "agreement_admin"
AVTAL_NACKA = "nacka_agreement_admin"
AVHOPP = "defector_coordinator"
FARSTA = "collaboration_coordinator"
FARSTA_POLICE = "farsta_police"
SKOLA = "school_staff"
ANALYST = "analyst"
AUDITOR = "auditor"
ADMIN = "admin_user"
ROC_API = "roc_api_client"
BOPS_API = "other_police_api_client"

NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = frozenset(USER_PERSONAS)
RECEIVERS = frozenset({NACKA, SOLNA})
# collaboration.access's role groups (the police's coordinator holds the coordinator role):
# PARTICIPANTS = {FARSTA, SKOLA, NACKA, SOLNA, ANALYST, FARSTA_POLICE}; PLAN_READERS adds ROC
COLLABORATION = collaboration_groups()
PARTICIPANTS = COLLABORATION["participants"]
# Farsta's records: its coordinator, and participants of the city above the district
FARSTA_AND_ABOVE = frozenset({FARSTA, ANALYST})
# ... and the police in Farsta, a party of its forums, action plan and situational picture
FARSTA_PARTIES = FARSTA_AND_ABOVE | {FARSTA_POLICE}
# records of Farsta with the police: co-location, consultations, trainings
FARSTA_AND_POLICE = frozenset({FARSTA, FARSTA_POLICE})
FOLLOWUP = personas_holding(followup_access.FOLLOWUP_ROLES)
# users of Stockholm (0180) itself; Farsta and the school are districts of it
ORG_0180 = frozenset({HUB, AVTAL, AVHOPP, ANALYST})
# coordinators, school staff, receivers, analysts, agreement admins
ROUTINE_READERS = personas_holding(routines_access.READERS)
# Farsta's routine: its owner (Farsta, and the city above it) and the police it applies to
ROUTINE_SEERS = frozenset({FARSTA, ANALYST, AVTAL, FARSTA_POLICE})
# coordinators, receivers, school staff
HOMECOMING_USERS = personas_holding(homecoming_access.HOMECOMING_ROLES)
# defectors.access.DEFECTOR_ROLES: the coordinators, and the administrator (no organisation)
DEFECTOR_USERS = personas_holding(DEFECTOR_ROLES)
# agreements.access.AGREEMENT_ADMIN_ROLES: Stockholm's and Nacka's agreement administrators
AGREEMENT_ADMINS = personas_holding(AGREEMENT_ADMIN_ROLES)
# Farsta's homecoming plan: the district and the police unit (basis 10 kap. 18 a § OSL)
PLAN_PARTIES = FARSTA_AND_POLICE
# registry.access.ADMINISTRATORS: organisation changes
REGISTRY_ADMINS = personas_holding(registry_access.ADMINISTRATORS)


@dataclass(frozen=True)
class Audit:
    """The entry a successful request must leave: action, record type, record (a name)."""

    action: str
    record_type: str
    record: str


@dataclass(frozen=True)
class Row:
    kind: str  # page | form | action | api
    allowed: frozenset[str]
    kwargs: dict[str, str] = field(default_factory=dict)
    ok: int = 200
    audit: Audit | None = None
    query: str = ""
    # exact statuses for some personas, e.g. signed-in users sent on from the log-in page
    expect: dict[str, int] = field(default_factory=dict)
    # who must leave the audit entry (default: every allowed persona); e.g. only the
    # organisation that holds the record, when others see an empty list
    audit_for: frozenset[str] | None = None


def page(
    allowed: AbstractSet[str],
    ok: int = 200,
    audit: Audit | None = None,
    audit_for: AbstractSet[str] | None = None,
    expect: dict[str, int] | None = None,
    **kwargs: str,
) -> Row:
    return Row(
        "page",
        frozenset(allowed),
        kwargs,
        ok,
        audit,
        expect=expect or {},
        audit_for=frozenset(audit_for) if audit_for is not None else None,
    )


def form(
    allowed: AbstractSet[str],
    audit: Audit | None = None,
    expect: dict[str, int] | None = None,
    **kwargs: str,
) -> Row:
    return Row("form", frozenset(allowed), kwargs, 200, audit, expect=expect or {})


def action(allowed: AbstractSet[str], expect: dict[str, int] | None = None, **kwargs: str) -> Row:
    return Row("action", frozenset(allowed), kwargs, expect=expect or {})


def api(allowed: AbstractSet[str], **options: Any) -> Row:
    """An API operation: the same options as a `page`; the method comes from the schema."""
    return replace(page(allowed, **options), kind="api")


REPORT = "intake.ConcernReport"
PLAN = "homecoming.HomecomingPlan"
ASSIGNMENT = "defectors.Assignment"

# --- the table -----------------------------------------------------------------------------
# route (URL name, or "api:" + operation id) [variant] -> who may, and what they get.

TABLE: dict[str, Row] = {
    # core, accounts, i18n
    "core:start": page(SIGNED_IN),
    "core:accessibility": page(EVERYONE),
    "accounts:login": form(
        EVERYONE - SIGNED_IN,
        expect=dict.fromkeys(SIGNED_IN, 302),  # on to the start page
    ),
    "accounts:enrol": page(NOBODY),
    "accounts:logout": action(EVERYONE, expect=dict.fromkeys(PERSONAS, 302)),  # to log-in
    "set_language": action(EVERYONE),
    # agreements (Stockholm is party to every demo agreement, Nacka to SN-ROC-0182 only)
    "agreements:list": page(SIGNED_IN),
    "agreements:create": form(AGREEMENT_ADMINS),
    # agreements are read by the users of their parties (not personal data)
    "agreements:detail[nacka]": page(
        ORG_0180 | {NACKA, AVTAL_NACKA, AUDITOR}, pk="agreement_nacka"
    ),
    "agreements:detail[solna]": page(ORG_0180 | {SOLNA}, pk="agreement_solna"),
    "agreements:decision[nacka]": action({AVTAL, AVTAL_NACKA}, pk="agreement_nacka"),
    "agreements:decision[solna]": action({AVTAL}, pk="agreement_solna"),
    "agreements:notice[solna]": action({AVTAL}, pk="agreement_solna"),
    "agreements:amendment[solna]": action({AVTAL}, pk="agreement_solna"),
    "agreements:dpa[solna]": action({AVTAL}, pk="agreement_solna"),
    # the notice told to ROC: read by the agreement's parties and ROC, acknowledged by ROC
    "agreements:notification": page(ORG_0180 | {ROC}, pk="notification"),
    "agreements:acknowledge": action({ROC}, pk="notification"),
    # decided: sent on to the version as kept (core:document[agreement_version] below)
    "agreements:pdf[solna]": page(ORG_0180 | {SOLNA}, ok=302, pk="agreement_solna"),
    # a party's committee, signatory and contact: its own administrator only
    "agreements:party[nacka]": form(
        {AVTAL_NACKA}, pk="agreement_nacka", party_pk="party_nacka_0182"
    ),
    "agreements:party[stockholm]": form({AVTAL}, pk="agreement_nacka", party_pk="party_nacka_0180"),
    "core:document[agreement_version]": page(
        ORG_0180 | {SOLNA},
        audit=Audit("disclose", "agreements.AgreementVersion", "version_solna"),
        kind="=avtalsversion",
        pk="version_solna",
    ),
    # uploaded documents: one view for every upload, the record's own access rule (the
    # agreement's parties; the assignment's defector coordinators), a disclosure logged
    "core:document[decision]": page(
        ORG_0180,
        audit=Audit("disclose", "agreements.AgreementDecision", "decision_with_document"),
        kind="=avtalsbeslut",
        pk="decision_with_document",
    ),
    "core:document[notice]": page(ORG_0180, kind="=uppsagning", pk="notice"),
    "core:document[consent]": page(
        {AVHOPP},
        audit=Audit("disclose", "defectors.PreconditionConfirmation", "consent_document"),
        kind="=avhoppare-forutsattning",
        pk="consent_document",
    ),
    # intake: the hub
    "intake:index": page({HUB, NACKA, SOLNA, ROC}, ok=302),
    "intake:hub_queue": page({HUB}),
    "intake:hub_alarm": page({HUB}),
    "intake:hub_version": page({HUB}, ok=204),  # what an open screen polls (core/live.py)
    "intake:hub_register": form({HUB}),
    "intake:hub_decide": action({HUB}),
    # shown only in the session that registered it
    "intake:hub_not_eligible": page(NOBODY, expect={HUB: 404}, public_id="not_eligible.public_id"),
    "intake:hub_report[received]": page(
        {HUB}, audit=Audit("view", REPORT, "report_received"), pk="report_received"
    ),
    # the hub's part ends when the municipality has accepted the report
    "intake:hub_report[nacka]": page(NOBODY, expect={HUB: 404}, pk="report_nacka"),
    "intake:hub_attempt": action({HUB}, pk="report_received"),
    "intake:hub_accept_by_phone": action({HUB}, pk="report_solna"),
    "intake:hub_clarify": action({HUB}, pk="report_received"),
    "intake:hub_reroute": action({HUB}, pk="report_solna"),
    # intake: the receiving municipality
    "intake:inbox": page(RECEIVERS),
    "intake:inbox_version": page(RECEIVERS, ok=204),
    "intake:receiver_report[nacka]": page(
        {NACKA}, audit=Audit("view", REPORT, "report_nacka"), pk="report_nacka"
    ),
    "intake:receiver_report[solna]": page(
        {SOLNA}, audit=Audit("view", REPORT, "report_solna"), pk="report_solna"
    ),
    "intake:receiver_accept[solna]": action({SOLNA}, pk="report_solna"),
    "intake:receiver_reject[solna]": action({SOLNA}, pk="report_solna"),
    "intake:receiver_protection[nacka]": action({NACKA}, pk="report_nacka"),
    "intake:receiver_preliminary[nacka]": action({NACKA}, pk="report_nacka"),
    "intake:receiver_information_request[nacka]": action({NACKA}, pk="report_nacka"),
    "intake:receiver_feedback[nacka]": action({NACKA}, pk="report_nacka"),
    # casesystems: the receiver's button (Nacka's demo has no connection: a message, 302)
    "casesystems:send_report[nacka]": action({NACKA}, pk="report_nacka"),
    # intake: the police
    "intake:police_status": page({ROC}),
    "intake:police_requests": page(
        {ROC}, audit=Audit("view", "intake.InformationRequest", "information_request")
    ),
    "intake:police_answer": action({ROC}, pk="information_request"),
    # defectors (Stockholm <-> Göteborg)
    # the administrator holds a defector role but no organisation: sees an empty list
    "defectors:list": page(DEFECTOR_USERS),
    "defectors:create": form(DEFECTOR_USERS),
    "defectors:detail": page(
        {AVHOPP}, audit=Audit("view", ASSIGNMENT, "assignment"), pk="assignment"
    ),
    # only the home municipality's coordinators open their own draft
    "defectors:edit": form({AVHOPP}, pk="draft_assignment"),
    "defectors:transition": action({AVHOPP}, pk="assignment", action="=samrad"),
    "defectors:precondition": action({AVHOPP}, pk="assignment"),
    "defectors:threat": action({AVHOPP}, pk="assignment"),
    "defectors:children": action({AVHOPP}, pk="assignment"),
    "defectors:children_close": action({AVHOPP}, pk="children_task"),
    "defectors:consultation": action({AVHOPP}, pk="assignment"),
    "defectors:plan": action({AVHOPP}, pk="assignment"),
    "defectors:intervention_add": action({AVHOPP}, pk="assignment"),
    # only the receiving side (Göteborg) declines an intervention, as over the API
    "defectors:intervention_decline": action(NOBODY, expect={AVHOPP: 403}, pk="intervention"),
    # ... and only the party that bears it (here Göteborg) changes its status
    "defectors:intervention_status": action(NOBODY, expect={AVHOPP: 403}, pk="intervention"),
    "defectors:cost": action({AVHOPP}, pk="assignment"),
    "defectors:followup": action({AVHOPP}, pk="assignment"),
    "defectors:agreement": page({AVHOPP}, pk="defector_agreement"),
    "defectors:reconciliation_compute": action({AVHOPP}, pk="defector_agreement"),
    "defectors:lesson": action({AVHOPP}, pk="defector_agreement"),
    # the agreement's terms and catalogue: its administrators (Stockholm's)
    "defectors:terms": page({AVTAL}, pk="defector_agreement"),
    "defectors:catalogue": action({AVTAL}, pk="defector_agreement"),
    "defectors:evaluation": page(
        {AVHOPP},
        audit=Audit("export", "defectors.EvaluationReport", "defector_agreement"),
        pk="defector_agreement",
    ),
    "defectors:reconciliation": page({AVHOPP}, pk="reconciliation"),
    "defectors:reconciliation_approve": action({AVHOPP}, pk="reconciliation"),
    # collaboration (Farsta)
    "collaboration:index": page(PARTICIPANTS),
    "collaboration:colocation": page(FARSTA_AND_POLICE),
    "collaboration:colocation_new": form({FARSTA}),
    # recorded by the coordinator of either party
    "collaboration:consultation_new": form(FARSTA_AND_POLICE),
    "collaboration:training_new": form(FARSTA_AND_POLICE),
    "collaboration:forum_list": page(PARTICIPANTS, ok=302),  # to the index
    "collaboration:forum_new": form({FARSTA}),
    "collaboration:forum_detail": page(FARSTA_PARTIES, forum_id="forum"),
    "collaboration:meeting_new": form({FARSTA}, forum_id="forum"),
    # the demo's first meeting is of the children-at-risk forum: case minutes, no analyst
    "collaboration:meeting_detail": page(FARSTA_AND_POLICE, meeting_id="meeting"),
    "collaboration:meeting_edit": form({FARSTA}, meeting_id="meeting"),
    "collaboration:serious_talks": page(
        {FARSTA, NACKA, SOLNA, FARSTA_POLICE},
        audit=Audit("view", "collaboration.SeriousTalk", "serious_talk"),
        audit_for={FARSTA},
    ),
    "collaboration:picture_list": page(COLLABORATION["plan_readers"]),
    "collaboration:picture_detail": page(FARSTA_PARTIES, picture_id="picture"),
    "collaboration:plan_new": form({FARSTA}),
    "collaboration:plan_detail": page(FARSTA_PARTIES, plan_id="plan"),
    # Farsta's own activity; the analyst of the city above it reads, changes nothing
    "collaboration:activity_update": form({FARSTA}, activity_id="activity"),
    "collaboration:schools": page(PARTICIPANTS),
    "collaboration:school_report": form({SKOLA}),
    "collaboration:school_report_receipt": page({SKOLA}, public_id="school_report.public_id"),
    "collaboration:indicators": page(PARTICIPANTS),
    "collaboration:indicator_new": form({FARSTA}),
    "collaboration:indicator_value": form({FARSTA}, indicator_id="manual_indicator"),
    "collaboration:forum_edit": form({FARSTA}, forum_id="forum"),
    "collaboration:colocation_edit": form({FARSTA}, colocation_id="colocation"),
    # registry: organisation changes (the administrator only)
    "registry:changes": page(REGISTRY_ADMINS),
    "registry:change_create": form(REGISTRY_ADMINS),
    "registry:change_detail": page(REGISTRY_ADMINS, pk="org_change"),
    "registry:change_correct": form(REGISTRY_ADMINS, pk="org_change"),
    "registry:change_withdraw": action(REGISTRY_ADMINS, pk="org_change"),
    # routines (Farsta's homecoming routine; no personal data, reads are not audited)
    "routines:index": page(ROUTINE_READERS),
    # any coordinator writes routines of its own organisation
    "routines:new": form({FARSTA, FARSTA_POLICE}),
    "routines:detail": page(ROUTINE_SEERS, routine_id="routine"),
    "routines:version": page(ROUTINE_SEERS, routine_id="routine", number="=1"),
    "routines:revise": form({FARSTA}, routine_id="routine"),
    "routines:review": action({FARSTA}, routine_id="routine"),
    "routines:links": form({FARSTA}, routine_id="routine"),
    # homecoming (Farsta's plan, shared with the police under 10 kap. 18 a § OSL)
    "homecoming:index": page(
        HOMECOMING_USERS, audit=Audit("view", PLAN, "homecoming_plan"), audit_for=PLAN_PARTIES
    ),
    "homecoming:new": form({FARSTA, NACKA, SOLNA}),
    "homecoming:detail[plan]": page(
        PLAN_PARTIES, audit=Audit("view", PLAN, "homecoming_plan"), plan_id="homecoming_plan"
    ),
    # no basis recorded: the police see nothing
    "homecoming:detail[no_basis]": page(
        {FARSTA}, audit=Audit("view", PLAN, "plan_without_basis"), plan_id="plan_without_basis"
    ),
    "homecoming:edit": form(
        {FARSTA}, audit=Audit("view", PLAN, "homecoming_plan"), plan_id="homecoming_plan"
    ),
    "homecoming:basis": form(
        {FARSTA}, audit=Audit("view", PLAN, "homecoming_plan"), plan_id="homecoming_plan"
    ),
    "homecoming:action_new": form(
        {FARSTA}, audit=Audit("view", PLAN, "homecoming_plan"), plan_id="homecoming_plan"
    ),
    # each party updates its own actions; the district's social services update every one
    "homecoming:action_update[police]": form(
        FARSTA_AND_POLICE,
        audit=Audit("view", PLAN, "homecoming_plan"),
        plan_id="homecoming_plan",
        action_id="police_action",
    ),
    "homecoming:action_update[district]": form(
        {FARSTA},
        audit=Audit("view", PLAN, "homecoming_plan"),
        plan_id="homecoming_plan",
        action_id="district_action",
    ),
    "homecoming:contact_new": form(
        PLAN_PARTIES, audit=Audit("view", PLAN, "homecoming_plan"), plan_id="homecoming_plan"
    ),
    "homecoming:return": form(
        {FARSTA}, audit=Audit("view", PLAN, "homecoming_plan"), plan_id="homecoming_plan"
    ),
    "homecoming:follow_up_new": form(
        {FARSTA}, audit=Audit("view", PLAN, "homecoming_plan"), plan_id="homecoming_plan"
    ),
    "homecoming:close": action({FARSTA}, plan_id="homecoming_plan"),
    # follow-up (aggregates only, suppressed)
    "followup:dashboard": page(FOLLOWUP),
    "followup:open_data": page(EVERYONE),
    "followup:open_data_download": page(EVERYONE, export_format="=csv"),
    "followup:board": page(FOLLOWUP, board="=avhoppare"),
    "followup:export": page(FOLLOWUP, board="=en-ingang", export_format="=csv"),
    "followup:export_table": page(
        FOLLOWUP, board="=en-ingang", slug="=by_municipality", export_format="=csv"
    ),
    # the access log
    "audit:search": page(
        personas_holding(audit_access.AUDITORS), audit=Audit("view", "audit_log", "=search")
    ),
    "audit:export": page(
        personas_holding(audit_access.AUDITORS),
        audit=Audit("export", "audit_log", "=export"),
        export_format="=csv",
    ),
    # the admin site, as one group (see test_admin_is_staff_only)
    # the API's own pages
    "api:openapi-json": page(EVERYONE),
    "api:openapi-view": page(EVERYONE),
    "api:api-root": page(NOBODY),
    # API: agreements
    "api:samverkan_agreements_api_list_agreements": api(SIGNED_IN | {ROC_API, BOPS_API}),
    "api:samverkan_agreements_api_get_agreement[solna]": api(
        ORG_0180 | {SOLNA}, agreement_id="agreement_solna"
    ),
    "api:samverkan_agreements_api_record_decision": api({AVTAL}, agreement_id="agreement_solna"),
    "api:samverkan_agreements_api_give_notice": api({AVTAL}, agreement_id="agreement_solna"),
    # ROC acknowledges what the system told it (already acknowledged in the demo: 409)
    "api:samverkan_agreements_api_acknowledge_notification": api(
        {ROC}, notification_id="notification"
    ),
    "api:samverkan_agreements_api_add_amendment": api({AVTAL}, agreement_id="agreement_solna"),
    # a party acts only for itself: Stockholm's administrator changes Stockholm's details
    "api:samverkan_agreements_api_update_party": api(
        {AVTAL}, agreement_id="agreement_solna", code="=0180"
    ),
    # API: concern reports (police systems)
    "api:samverkan_intake_api_report_create": api({ROC_API, BOPS_API}),
    # each police client sees the requests to its own unit (BOPS: none)
    "api:samverkan_intake_api_information_request_list": api(
        {ROC_API, BOPS_API},
        audit=Audit("view", "intake.InformationRequest", "information_request"),
        audit_for={ROC_API},
    ),
    "api:samverkan_intake_api_information_request_answer_endpoint": api(
        {ROC_API}, request_id="information_request"
    ),
    "api:samverkan_intake_api_report_status": api({ROC_API}, report_id="report_nacka.public_id"),
    # API: defectors
    "api:samverkan_defectors_api_list_assignments": api(DEFECTOR_USERS),
    # the example body names no defector agreement of Stockholm's: 404 after the checks
    "api:samverkan_defectors_api_create_assignment": api(NOBODY, expect={AVHOPP: 404}),
    "api:samverkan_defectors_api_get_assignment": api(
        {AVHOPP}, audit=Audit("view", ASSIGNMENT, "assignment"), pk="assignment"
    ),
    "api:samverkan_defectors_api_edit_draft": api({AVHOPP}, pk="draft_assignment"),
    "api:samverkan_defectors_api_transition": api({AVHOPP}, pk="assignment"),
    "api:samverkan_defectors_api_confirm_precondition": api({AVHOPP}, pk="assignment"),
    "api:samverkan_defectors_api_record_threat": api({AVHOPP}, pk="assignment"),
    "api:samverkan_defectors_api_create_children_task": api({AVHOPP}, pk="assignment"),
    "api:samverkan_defectors_api_close_children_task": api({AVHOPP}, pk="children_task"),
    "api:samverkan_defectors_api_record_consultation": api({AVHOPP}, pk="assignment"),
    "api:samverkan_defectors_api_decide_plan": api({AVHOPP}, pk="assignment"),
    "api:samverkan_defectors_api_list_interventions": api(
        {AVHOPP}, audit=Audit("view", ASSIGNMENT, "assignment"), pk="assignment"
    ),
    "api:samverkan_defectors_api_add_intervention": api({AVHOPP}, pk="assignment"),
    # only the receiving side (Göteborg) declines an intervention
    "api:samverkan_defectors_api_decline_intervention": api(
        NOBODY, expect={AVHOPP: 403}, pk="intervention"
    ),
    "api:samverkan_defectors_api_list_costs": api(
        {AVHOPP}, audit=Audit("view", ASSIGNMENT, "assignment"), pk="assignment"
    ),
    "api:samverkan_defectors_api_book_cost": api({AVHOPP}, pk="assignment"),
    "api:samverkan_defectors_api_record_followup": api({AVHOPP}, pk="assignment"),
    "api:samverkan_defectors_api_balance": api({AVHOPP}, pk="defector_agreement"),
    "api:samverkan_defectors_api_list_reconciliations": api({AVHOPP}, pk="defector_agreement"),
    "api:samverkan_defectors_api_compute_reconciliation": api({AVHOPP}, pk="defector_agreement"),
    "api:samverkan_defectors_api_get_reconciliation": api({AVHOPP}, pk="reconciliation"),
    "api:samverkan_defectors_api_approve_reconciliation": api({AVHOPP}, pk="reconciliation"),
    "api:samverkan_defectors_api_evaluation_pdf": api(
        {AVHOPP},
        audit=Audit("export", "defectors.EvaluationReport", "defector_agreement"),
        pk="defector_agreement",
    ),
    # API: collaboration
    "api:samverkan_collaboration_api_forum_list": api(PARTICIPANTS),
    "api:samverkan_collaboration_api_forum_compliance": api(FARSTA_PARTIES, forum_id="forum"),
    "api:samverkan_collaboration_api_meeting_create": api({FARSTA}, forum_id="forum"),
    "api:samverkan_collaboration_api_colocation_calendar": api(FARSTA_AND_POLICE),
    "api:samverkan_collaboration_api_consultation_create": api({FARSTA}),
    "api:samverkan_collaboration_api_training_create": api({FARSTA}),
    "api:samverkan_collaboration_api_picture_detail": api(FARSTA_PARTIES, picture_id="picture"),
    "api:samverkan_collaboration_api_plan_activities": api(FARSTA_PARTIES, plan_id="plan"),
    "api:samverkan_collaboration_api_activity_update": api({FARSTA}, activity_id="activity"),
    "api:samverkan_collaboration_api_school_list": api(PARTICIPANTS),
    "api:samverkan_intake_school_reports_api_school_report_create": api({SKOLA}),
    "api:samverkan_collaboration_api_indicator_list": api(PARTICIPANTS),
    "api:samverkan_collaboration_api_indicator_value": api(
        {FARSTA}, indicator_id="manual_indicator"
    ),
    "api:samverkan_collaboration_api_forum_create": api({FARSTA}),
    "api:samverkan_collaboration_api_forum_update": api({FARSTA}, forum_id="forum"),
    "api:samverkan_collaboration_api_colocation_create": api({FARSTA}),
    "api:samverkan_collaboration_api_colocation_change": api({FARSTA}, colocation_id="colocation"),
    "api:samverkan_collaboration_api_serious_talk_create": api({FARSTA, NACKA, SOLNA}),
    "api:samverkan_collaboration_api_picture_create": api({FARSTA}),
    # each party writes its text of the situational picture
    "api:samverkan_collaboration_api_picture_text_add": api(FARSTA_PARTIES, picture_id="picture"),
    "api:samverkan_collaboration_api_plan_create": api({FARSTA}),
    "api:samverkan_collaboration_api_activity_create": api({FARSTA}, plan_id="plan"),
    "api:samverkan_collaboration_api_indicator_create": api({FARSTA}),
    # API: routines
    "api:samverkan_routines_api_routine_list": api(ROUTINE_READERS),
    "api:samverkan_routines_api_routine_detail": api(ROUTINE_SEERS, routine_id="routine"),
    "api:samverkan_routines_api_version_detail": api(
        ROUTINE_SEERS, routine_id="routine", number="=1"
    ),
    "api:samverkan_routines_api_routine_create": api({FARSTA, FARSTA_POLICE}),
    "api:samverkan_routines_api_routine_revise": api({FARSTA}, routine_id="routine"),
    "api:samverkan_routines_api_routine_review": api({FARSTA}, routine_id="routine"),
    "api:samverkan_routines_api_routine_links": api({FARSTA}, routine_id="routine"),
    # API: homecoming
    "api:samverkan_homecoming_api_plan_list": api(
        HOMECOMING_USERS, audit=Audit("view", PLAN, "homecoming_plan"), audit_for=PLAN_PARTIES
    ),
    "api:samverkan_homecoming_api_plan_detail[plan]": api(
        PLAN_PARTIES, audit=Audit("view", PLAN, "homecoming_plan"), plan_id="homecoming_plan"
    ),
    "api:samverkan_homecoming_api_plan_detail[no_basis]": api(
        {FARSTA}, audit=Audit("view", PLAN, "plan_without_basis"), plan_id="plan_without_basis"
    ),
    "api:samverkan_homecoming_api_plan_create": api({FARSTA, NACKA, SOLNA}),
    "api:samverkan_homecoming_api_plan_basis": api({FARSTA}, plan_id="homecoming_plan"),
    "api:samverkan_homecoming_api_plan_assessment": api({FARSTA}, plan_id="homecoming_plan"),
    "api:samverkan_homecoming_api_plan_close": api({FARSTA}, plan_id="homecoming_plan"),
    "api:samverkan_homecoming_api_plan_return": api({FARSTA}, plan_id="homecoming_plan"),
    "api:samverkan_homecoming_api_follow_up_create": api({FARSTA}, plan_id="homecoming_plan"),
    "api:samverkan_homecoming_api_action_create": api({FARSTA}, plan_id="homecoming_plan"),
    "api:samverkan_homecoming_api_action_update[police]": api(
        FARSTA_AND_POLICE, action_id="police_action"
    ),
    "api:samverkan_homecoming_api_action_update[district]": api(
        {FARSTA}, action_id="district_action"
    ),
    "api:samverkan_homecoming_api_contact_create": api(PLAN_PARTIES, plan_id="homecoming_plan"),
    "api:samverkan_homecoming_api_actions_due": api(HOMECOMING_USERS),
    # API: webhooks — each police system its own receivers (BOPS: none of ROC's)
    "api:samverkan_webhooks_api_webhook_list": api({ROC_API, BOPS_API}),
    "api:samverkan_webhooks_api_webhook_create": api({ROC_API, BOPS_API}),
    "api:samverkan_webhooks_api_webhook_detail": api({ROC_API}, endpoint_id="webhook_endpoint"),
    "api:samverkan_webhooks_api_webhook_deliveries": api({ROC_API}, endpoint_id="webhook_endpoint"),
    "api:samverkan_webhooks_api_webhook_resume": api({ROC_API}, endpoint_id="webhook_endpoint"),
    "api:samverkan_webhooks_api_webhook_delete": api({ROC_API}, endpoint_id="webhook_endpoint"),
}


def route_of(key: str) -> str:
    return key.split("[", 1)[0]


# --- the data set: loaded once per module, rolled back at the end --------------------------


@pytest.fixture(scope="module")
def matrix_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[MatrixData]:
    """The demo data and personas, in a transaction each test nests a savepoint in."""
    with django_db_blocker.unblock():
        atomics = {alias: transaction.atomic(using=alias) for alias in connections}
        for atomic in atomics.values():
            atomic.__enter__()
        try:
            yield load_matrix_data()
        finally:
            for alias, atomic in atomics.items():
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


# --- the checks ----------------------------------------------------------------------------

LOGIN_PATH = "/konto/logga-in/"
REFUSED = {401, 403, 404}
# Some API operations parse their input (organisation codes, choices) before the access
# check: for a persona not allowed, 400/422 is accepted as long as nothing changed.
INPUT_REJECTED = {400, 422}


def _value(data: MatrixData, spec: str) -> Any:
    if spec.startswith("="):
        return spec[1:]
    name, _, attribute = spec.partition(".")
    return getattr(data[name], attribute or "pk")


def _record_id(data: MatrixData, spec: str) -> str:
    return spec[1:] if spec.startswith("=") else str(data[spec].pk)


def _records_in(data: MatrixData, row: Row) -> list[Any]:
    return [
        data[spec.partition(".")[0]] for spec in row.kwargs.values() if not spec.startswith("=")
    ]


def _fingerprint(records: list[Any]) -> list[Any]:
    from samverkan.audit.models import AuditEntry

    # A refusal writes its attempt (audit.middleware), and nothing else.
    entries = AuditEntry.objects.exclude(action="refused")
    states: list[Any] = [entries.order_by("-id").values_list("id", flat=True).first()]
    for record in records:
        fresh = type(record).objects.filter(pk=record.pk).first()
        states.append(model_to_dict(fresh) if fresh is not None else None)
    return states


def _refused(response: Any) -> bool:
    if response.status_code in REFUSED:
        return True
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)


def _request(data: MatrixData, key: str, row: Row, persona: str, method: str) -> Any:
    client = client_for(data, persona)
    route = route_of(key)
    kwargs = {name: _value(data, spec) for name, spec in row.kwargs.items()}
    if route.startswith("api:") and route not in API_PAGES_IN_TABLE:
        operation = OPERATIONS[route.removeprefix("api:")]
        url = operation.path.format(**kwargs) + (f"?{row.query}" if row.query else "")
        if operation.method == "GET":
            return client.get(url)
        return send_json(client, url, example_body(operation.body_schema), operation.method.lower())
    url = reverse(route, kwargs=kwargs)
    if method == "GET":
        return client.get(url)
    return client.post(url, {})


API_PAGES_IN_TABLE = {"api:openapi-json", "api:openapi-view", "api:api-root"}
OPERATIONS = api_operations()


def _method(key: str, row: Row) -> str:
    if row.kind == "api":
        return OPERATIONS[route_of(key).removeprefix("api:")].method
    return "POST" if row.kind == "action" else "GET"


def _actor_filter(data: MatrixData, persona: str) -> dict[str, Any]:
    actor = data.actors[persona]
    return {"actor_client": actor} if persona in API_PERSONAS else {"actor_user": actor}


def _attempt_problems(
    data: MatrixData, row: Row, persona: str, status: int, last: int
) -> list[str]:
    """A refused request for a record by a signed-in persona leaves its attempt in the log."""
    from samverkan.audit.models import AuditEntry

    if status not in (403, 404) or persona == ANONYMOUS or not record_ids(row.kwargs):
        return []
    if AuditEntry.objects.filter(
        id__gt=last, action="refused", **_actor_filter(data, persona)
    ).exists():
        return []
    return [f"{persona}: refused ({status}) without an attempt in the log"]


def _check(data: MatrixData, key: str, row: Row, persona: str) -> list[str]:
    """What is wrong with this persona's request(s) on this row (empty: nothing)."""
    from samverkan.audit.models import AuditEntry

    problems = []
    allowed = persona in row.allowed
    method = _method(key, row)
    writes = method != "GET"
    if writes:
        before = _fingerprint(_records_in(data, row))
        last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = _request(data, key, row, persona, method)
        status = response.status_code
        problems += _attempt_problems(data, row, persona, status, last)
        if persona in row.expect:
            if status != row.expect[persona]:
                problems.append(f"{persona}: {method} -> {status}, expected {row.expect[persona]}")
        elif status >= 500:
            problems.append(f"{persona}: {method} -> {status}")
        elif row.kind == "api" and not allowed and status in INPUT_REJECTED:
            pass  # the operation checks its input before access; nothing changed (below)
        elif allowed and _refused(response):
            problems.append(f"{persona}: {method} refused ({status}) but the table allows it")
        elif not allowed and not _refused(response):
            problems.append(f"{persona}: {method} -> {status}, expected a refusal")
        if not allowed and _fingerprint(_records_in(data, row)) != before:
            problems.append(f"{persona}: refused {method} changed data or wrote an audit entry")
        return problems
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = _request(data, key, row, persona, "GET")
    status = response.status_code
    problems += _attempt_problems(data, row, persona, status, last)
    if persona in row.expect:
        if status != row.expect[persona]:
            problems.append(f"{persona}: GET -> {status}, expected {row.expect[persona]}")
    elif allowed and status != row.ok:
        problems.append(f"{persona}: GET -> {status}, expected {row.ok}")
    elif not allowed and not _refused(response):
        problems.append(f"{persona}: GET -> {status}, expected a refusal")
    audited = row.audit_for if row.audit_for is not None else row.allowed
    if persona in audited and status == 200 and row.audit is not None:
        record_id = _record_id(data, row.audit.record)
        found = AuditEntry.objects.filter(
            id__gt=last,
            action=row.audit.action,
            record_type=row.audit.record_type,
            record_id=record_id,
            **_actor_filter(data, persona),
        ).exists()
        if not found:
            problems.append(
                f"{persona}: no audit entry {row.audit.action} {row.audit.record_type} "
                f"{record_id} after GET"
            )
    if row.kind == "form" and not allowed and persona not in row.expect:
        before = _fingerprint(_records_in(data, row))
        response = _request(data, key, row, persona, "POST")
        if response.status_code >= 500 or not _refused(response):
            problems.append(f"{persona}: POST -> {response.status_code}, expected a refusal")
        if _fingerprint(_records_in(data, row)) != before:
            problems.append(f"{persona}: refused POST changed data or wrote an audit entry")
    return problems


def _seen(data: MatrixData, key: str, row: Row) -> str:
    """What each persona gets (for the failure message and ACCESS_MATRIX_SHOW)."""
    method = _method(key, row)
    seen = []
    for persona in PERSONAS:
        with transaction.atomic():
            response = _request(data, key, row, persona, method)
            transaction.set_rollback(True)
        seen.append(f"{persona}={response.status_code}")
    return f"{key} {method}: " + " ".join(seen)


# --- the tests -----------------------------------------------------------------------------


def test_every_route_is_in_the_table() -> None:
    routes = url_names() | {f"api:{operation}" for operation in OPERATIONS}
    in_table = {route_of(key) for key in TABLE}
    missing = sorted(routes - in_table)
    stale = sorted(in_table - routes)
    assert not missing, f"routes without a row in TABLE: {missing}"
    assert not stale, f"rows in TABLE for routes that do not exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(TABLE))
def test_access(matrix_data: MatrixData, key: str) -> None:
    row = TABLE[key]
    if os.environ.get("ACCESS_MATRIX_SHOW"):
        print("\n" + _seen(matrix_data, key, row))
    # the allowed ones last: their successful writes must not hide a refused one's
    order = sorted(PERSONAS, key=lambda persona: persona in row.allowed)
    problems = [problem for persona in order for problem in _check(matrix_data, key, row, persona)]
    assert not problems, (
        f"{key}:\n  " + "\n  ".join(problems) + "\nobserved: " + _seen(matrix_data, key, row)
    )


@pytest.mark.django_db
def test_admin_is_staff_only(matrix_data: MatrixData) -> None:
    """The admin site as one group: only the administrator (staff) gets in."""
    assert admin_url_names(), "the admin site is mounted"
    url = reverse("admin:index")
    for persona in PERSONAS:
        response = client_for(matrix_data, persona).get(url)
        if persona == "admin_user":
            assert response.status_code == 200, persona
        else:
            assert response.status_code in {302, 403}, (persona, response.status_code)
            if response.status_code == 302:
                assert "login" in response["Location"] or "logga-in" in response["Location"]


@pytest.mark.django_db
def test_audit_chain_verifies(matrix_data: MatrixData) -> None:
    """A representative workload of audited reads and writes, then `audit_verify`."""
    for key in (
        "intake:hub_report[nacka]",
        "intake:receiver_report[nacka]",
        "defectors:detail",
        "api:samverkan_defectors_api_get_assignment",
        "intake:receiver_accept[solna]",
        "audit:search",
    ):
        row = TABLE[key]
        for persona in sorted(row.allowed):
            _request(matrix_data, key, row, persona, _method(key, row))
    call_command("audit_verify", stdout=open(os.devnull, "w"))


assert ANONYMOUS in PERSONAS
