from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from samverkan.core.errors import Conflict, InvalidInput, NotAllowed, ServiceError
from samverkan.defectors import access, rules, services
from samverkan.defectors.models import Assignment, AssignmentEvent, CostEntry

from .conftest import (
    GOTHENBURG,
    MALMO,
    STOCKHOLM,
    accepted,
    book,
    catalogue_intervention,
    confirm_all,
    draft,
    make_agreement,
    prepared,
    reconcile,
    requested,
)

pytestmark = pytest.mark.django_db


def test_home_drafts_and_history_records_each_transition(agreement, stockholm, gothenburg, org):
    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    assert assignment.state == "draft"
    assert assignment.reference.startswith("AVH-")
    services.assignment_start_consultation(actor=stockholm, assignment=assignment)
    confirm_all(stockholm, assignment)
    services.assignment_request(actor=stockholm, assignment=assignment)
    assignment.refresh_from_db()
    services.assignment_accept(actor=gothenburg, assignment=assignment)
    services.assignment_activate(actor=stockholm, assignment=assignment)
    assignment.refresh_from_db()
    services.assignment_end(actor=stockholm, assignment=assignment, reason="Målen uppnådda")
    events = list(AssignmentEvent.objects.filter(assignment=assignment).order_by("id"))
    assert [e.to_state for e in events] == [
        "draft",
        "consultation",
        "requested",
        "accepted",
        "active",
        "ended",
    ]
    assert [e.side for e in events][3] == "receiving"
    assert events[-1].reason == "Målen uppnådda"
    assert all(e.actor_label for e in events)


@pytest.mark.parametrize("kind", list(rules.PreconditionKind))
def test_every_missing_precondition_blocks_the_request(agreement, stockholm, org, kind):
    assignment = prepared(stockholm, agreement, org[GOTHENBURG], skip=kind)
    with pytest.raises(ServiceError) as error:
        services.assignment_request(actor=stockholm, assignment=assignment)
    assert error.value.messages == [str(rules.PRECONDITION_MISSING[kind])]
    assignment.refresh_from_db()
    assert assignment.state == "consultation"


def test_receiving_side_cannot_send_request_and_home_cannot_accept(
    agreement, stockholm, gothenburg, org
):
    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    with pytest.raises(ServiceError, match="Endast hemkommunen"):
        services.assignment_start_consultation(actor=gothenburg, assignment=assignment)
    services.assignment_start_consultation(actor=stockholm, assignment=assignment)
    confirm_all(stockholm, assignment)
    services.assignment_request(actor=stockholm, assignment=assignment)
    assignment.refresh_from_db()
    with pytest.raises(ServiceError, match="mottagande kommunen"):
        services.assignment_accept(actor=stockholm, assignment=assignment)


def test_decline_needs_reason(agreement, stockholm, gothenburg, org):
    assignment = requested(stockholm, agreement, org[GOTHENBURG])
    with pytest.raises(ServiceError, match="Ange ett skäl"):
        services.assignment_decline(actor=gothenburg, assignment=assignment, reason="")
    services.assignment_decline(
        actor=gothenburg, assignment=assignment, reason="Kan inte ta emot nu"
    )
    assignment.refresh_from_db()
    assert assignment.state == "declined"
    assert assignment.state_reason == "Kan inte ta emot nu"


def test_stale_state_change_loses(agreement, stockholm, gothenburg, org):
    assignment = requested(stockholm, agreement, org[GOTHENBURG])
    first = Assignment.objects.get(pk=assignment.pk)
    second = Assignment.objects.get(pk=assignment.pk)
    services.assignment_accept(actor=gothenburg, assignment=first)
    with pytest.raises(ServiceError):
        services.assignment_decline(actor=gothenburg, assignment=second, reason="för sent")
    assert Assignment.objects.get(pk=assignment.pk).state == "accepted"
    assert AssignmentEvent.objects.filter(assignment=assignment, to_state="declined").count() == 0


def test_third_municipality_cannot_act(agreement, stockholm, malmo, org):
    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    with pytest.raises(NotAllowed):
        services.consultation_record(
            actor=malmo, assignment=assignment, held_on=date(2024, 1, 5), participants="x"
        )
    assert access.visible_to(malmo).count() == 0


def test_other_roles_in_a_party_see_nothing(agreement, stockholm, hub_worker, analyst, org):
    draft(stockholm, agreement, org[GOTHENBURG])
    assert access.visible_to(stockholm).count() == 1
    assert access.visible_to(hub_worker).count() == 0
    assert access.visible_to(analyst).count() == 0


def test_pilot_cap_blocks_second_request_from_same_home(
    agreement, stockholm, gothenburg, malmo, org
):
    accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    second = prepared(stockholm, agreement, org[MALMO], "Klient B")
    with pytest.raises(ServiceError) as error:
        services.assignment_request(actor=stockholm, assignment=second)
    assert "Stockholm har redan skickat 1 uppdrag under pilottiden" in error.value.message
    # Göteborg may still send one to Malmö: both within their caps.
    requested(gothenburg, agreement, org[MALMO], "Klient C")


def test_pilot_cap_is_configurable_on_the_agreement(org, stockholm, gothenburg):
    agreement = make_agreement(org, reference="AVH-TEST-2", pilot_max_sent=2, pilot_max_received=2)
    accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    accepted(stockholm, gothenburg, agreement, org[GOTHENBURG], "Klient B")
    third = prepared(stockholm, agreement, org[GOTHENBURG], "Klient C")
    with pytest.raises(ServiceError, match="högst 2"):
        services.assignment_request(actor=stockholm, assignment=third)


def test_declined_request_does_not_use_the_cap(agreement, stockholm, gothenburg, org):
    first = requested(stockholm, agreement, org[GOTHENBURG])
    services.assignment_decline(actor=gothenburg, assignment=first, reason="Erbjuder inte stödet")
    accepted(stockholm, gothenburg, agreement, org[GOTHENBURG], "Klient B")


def test_children_task_blocks_request_until_closed(agreement, stockholm, gothenburg, org):
    assignment = prepared(stockholm, agreement, org[GOTHENBURG])
    task = services.children_task_create(
        actor=gothenburg, assignment=assignment, description="Personen har ett barn på 3 år"
    )
    assignment.refresh_from_db()
    with pytest.raises(ServiceError, match="Barn har aktualiserats"):
        services.assignment_request(actor=stockholm, assignment=assignment)
    services.children_task_close(
        actor=stockholm, task=task, resolution="Hemkommunen utreder barnets behov"
    )
    with pytest.raises(ServiceError, match="redan stängd"):
        services.children_task_close(actor=gothenburg, task=task, resolution="igen")
    services.assignment_request(actor=stockholm, assignment=assignment)


def relocation_needed(
    actor: Any, assignment: Assignment, day: date, level: rules.ThreatLevel, **extra: Any
) -> None:
    """A threat assessment that finds the person must move; `assignment` is read again."""
    services.threat_assessment_record(
        actor=actor,
        assignment=assignment,
        assessed_on=day,
        level=level,
        relocation_needed=True,
        **extra,
    )
    assignment.refresh_from_db()


def test_high_threat_with_relocation_moves_stockholm_case_to_central_unit(
    agreement, stockholm, org
):
    from samverkan.defectors.models import HandlingRule
    from samverkan.registry.models import Unit

    central = Unit.objects.get(code="0180-avhopparverksamhet")
    HandlingRule.objects.create(
        municipality=org[STOCKHOLM], central_organisation=org[STOCKHOLM], central_unit=central
    )
    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    relocation_needed(stockholm, assignment, date(2024, 1, 3), rules.ThreatLevel.MEDIUM)
    assert not assignment.handled_centrally
    relocation_needed(
        stockholm,
        assignment,
        date(2024, 1, 4),
        rules.ThreatLevel.HIGH,
        police_unit=org["polisen-bops"],
    )
    assert assignment.handled_centrally
    assert assignment.home_unit == central


def _plan(stockholm, gothenburg, agreement, org):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    services.consultation_record(
        actor=gothenburg, assignment=assignment, held_on=date(2024, 1, 12), participants="A, B"
    )
    services.plan_decide(actor=stockholm, assignment=assignment, decided_on=date(2024, 1, 15))
    talks = catalogue_intervention(stockholm, assignment, "motivational_talks")
    housing = services.plan_intervention_add(
        actor=stockholm, assignment=assignment, kind=rules.InterventionKind.HOUSING
    )
    support = services.plan_intervention_add(
        actor=stockholm,
        assignment=assignment,
        kind=rules.InterventionKind.OUTSIDE,
        description="Försörjningsstöd",
    )
    return assignment, talks, housing, support


def test_catalogue_rule_in_the_ledger(agreement, stockholm, gothenburg, org):
    assignment, talks, housing, support = _plan(stockholm, gothenburg, agreement, org)
    for intervention in (housing, support):
        with pytest.raises(ServiceError, match="aldrig bokas på den mottagande kommunen"):
            book(gothenburg, assignment, intervention, "5000")
        book(stockholm, assignment, intervention, "5000")
    with pytest.raises(ServiceError):
        book(stockholm, assignment, talks, "100")
    entry = book(gothenburg, assignment, talks, "12 500,50")
    assert entry.amount == Decimal("12500.50")
    assert entry.period == "2024-H1"


def test_outside_catalogue_needs_description_and_catalogue_needs_item(
    agreement, stockholm, gothenburg, org
):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    with pytest.raises(ServiceError, match="katalog"):
        services.plan_intervention_add(
            actor=stockholm, assignment=assignment, kind=rules.InterventionKind.CATALOGUE
        )
    with pytest.raises(ServiceError, match="hemtjänst"):
        services.plan_intervention_add(
            actor=stockholm, assignment=assignment, kind=rules.InterventionKind.OUTSIDE
        )


def test_receiving_may_decline_an_intervention_it_does_not_offer(
    agreement, stockholm, gothenburg, org
):
    assignment, talks, housing, _ = _plan(stockholm, gothenburg, agreement, org)
    with pytest.raises(ServiceError):
        services.intervention_decline_not_offered(
            actor=gothenburg, intervention=housing, reason="x"
        )
    services.intervention_decline_not_offered(
        actor=gothenburg, intervention=talks, reason="Erbjuds inte i Göteborg"
    )
    with pytest.raises(ServiceError, match="avböjd"):
        book(gothenburg, assignment, talks, "100")


def test_amounts_never_floats_and_bad_input_is_refused(agreement, stockholm, gothenburg, org):
    assignment, talks, _, _ = _plan(stockholm, gothenburg, agreement, org)
    for bad in ("abc", "12.345", "0"):
        with pytest.raises(ServiceError):
            book(gothenburg, assignment, talks, bad)
    assert CostEntry.objects.count() == 0


def _two_way(stockholm, gothenburg, agreement, org, a_costs, b_costs):
    """Stockholm → Göteborg and Göteborg → Stockholm, with costs each carried for the other."""
    s_to_g, talks_g, _, _ = _plan(stockholm, gothenburg, agreement, org)
    g_to_s = accepted(gothenburg, stockholm, agreement, org[STOCKHOLM], "Klient B")
    services.consultation_record(
        actor=stockholm, assignment=g_to_s, held_on=date(2024, 1, 12), participants="A, B"
    )
    talks_s = catalogue_intervention(gothenburg, g_to_s, "crisis_support")
    for amount in a_costs:  # Göteborg (1480) carried for Stockholm
        book(gothenburg, s_to_g, talks_g, amount, on=date(2024, 3, 1))
    for amount in b_costs:  # Stockholm (0180) carried for Göteborg
        book(stockholm, g_to_s, talks_s, amount, on=date(2024, 3, 1))


def test_reconciliation_with_equalisation_and_approval_locks(agreement, stockholm, gothenburg, org):
    _two_way(stockholm, gothenburg, agreement, org, ["30000.10", "0.20"], ["5000.00"])
    r = reconcile(stockholm, agreement, org[GOTHENBURG])
    # party_a is 0180 (lower code): Stockholm carried 5000.00 for Göteborg, Göteborg 30000.30.
    assert (r.party_a.code, r.party_b.code) == ("0180", "1480")
    assert r.a_for_b == Decimal("5000.00")
    assert r.b_for_a == Decimal("30000.30")
    assert r.deviation == Decimal("12500.15")
    assert r.equalisation == Decimal("12500.15")
    assert r.payer.code == "0180"
    services.reconciliation_approve(actor=stockholm, reconciliation=r)
    with pytest.raises(ServiceError, match="redan godkänt"):
        services.reconciliation_approve(actor=stockholm, reconciliation=r)
    r = services.reconciliation_approve(actor=gothenburg, reconciliation=r)
    assert r.locked_at is not None
    with pytest.raises(ServiceError, match="låst"):
        reconcile(gothenburg, agreement, org[STOCKHOLM])


def test_reconciliation_without_equalisation_below_threshold(agreement, stockholm, gothenburg, org):
    # Deviation exactly 10 000.00 = the threshold: not material.
    _two_way(stockholm, gothenburg, agreement, org, ["25000.00"], ["5000.00"])
    r = reconcile(gothenburg, agreement, org[STOCKHOLM])
    assert r.deviation == Decimal("10000.00")
    assert r.equalisation == Decimal("0.00")
    assert r.payer is None


def test_reconciliation_one_ore_over_threshold_equalises(agreement, stockholm, gothenburg, org):
    _two_way(stockholm, gothenburg, agreement, org, ["25000.02"], ["5000.00"])
    r = reconcile(gothenburg, agreement, org[STOCKHOLM])
    assert r.deviation == Decimal("10000.01")
    assert r.equalisation == Decimal("10000.01")
    assert r.payer.code == "0180"


def test_a_cost_dated_in_a_locked_period_is_refused_naming_it(
    agreement, stockholm, gothenburg, org
):
    _two_way(stockholm, gothenburg, agreement, org, ["1000.00"], ["1000.00"])
    r = reconcile(stockholm, agreement, org[GOTHENBURG])
    services.reconciliation_approve(actor=stockholm, reconciliation=r)
    services.reconciliation_approve(actor=gothenburg, reconciliation=r)
    assignment = Assignment.objects.get(home_municipality=org[STOCKHOLM])
    talks = assignment.plan.interventions.get(kind="catalogue")
    with pytest.raises(InvalidInput) as refused:
        book(gothenburg, assignment, talks, "-200.00", date(2024, 4, 1))
    assert refused.value.field == "incurred_on"
    assert "Perioden 2024 första halvåret är avstämd och låst" in str(refused.value)
    entry = book(gothenburg, assignment, talks, "-200.00", date(2024, 7, 1))
    assert entry.period == "2024-H2"
    r.refresh_from_db()
    assert r.b_for_a == Decimal("1000.00")


def test_an_unfinished_half_year_is_preliminary_and_cannot_be_approved(
    agreement, stockholm, gothenburg, org
):
    _two_way(stockholm, gothenburg, agreement, org, ["1000.00"], ["400.00"])
    with time_machine.travel(datetime(2024, 6, 20, 12, tzinfo=UTC), tick=False):
        r = reconcile(stockholm, agreement, org[GOTHENBURG])  # computing is allowed
        assert r.b_for_a == Decimal("1000.00")
        with pytest.raises(Conflict) as refused:
            services.reconciliation_approve(actor=stockholm, reconciliation=r)
    assert "har inte tagit slut" in str(refused.value)
    r.refresh_from_db()
    assert r.approved_a_at is None and r.locked_at is None


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("100 000,50", Decimal("100000.50")),
        ("100\u00a0000,50", Decimal("100000.50")),
        ("100\u202f000,50", Decimal("100000.50")),
        ("12345.5", Decimal("12345.50")),
    ],
)
def test_amounts_are_read_as_people_write_them(typed, amount):
    assert services.parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["1e5", "1E5", "NaN", "Infinity", "-inf", "10 00,00"])
def test_exponents_and_non_numbers_are_refused_in_swedish(typed):
    with pytest.raises(InvalidInput) as refused:
        services.parse_amount(typed)
    assert refused.value.field == "amount"
    assert "till exempel 100 000,50" in str(refused.value)


def test_new_cost_resets_a_one_sided_approval(agreement, stockholm, gothenburg, org):
    _two_way(stockholm, gothenburg, agreement, org, ["1000.00"], ["1000.00"])
    r = reconcile(stockholm, agreement, org[GOTHENBURG])
    services.reconciliation_approve(actor=stockholm, reconciliation=r)
    assignment = Assignment.objects.get(home_municipality=org[STOCKHOLM])
    talks = assignment.plan.interventions.get(kind="catalogue")
    book(gothenburg, assignment, talks, "500.00", date(2024, 4, 1))
    r.refresh_from_db()
    assert r.b_for_a == Decimal("1500.00")
    assert r.approved_a_at is None


def test_third_party_cannot_approve(agreement, stockholm, gothenburg, malmo, org):
    _two_way(stockholm, gothenburg, agreement, org, ["1000.00"], ["1000.00"])
    r = reconcile(stockholm, agreement, org[GOTHENBURG])
    with pytest.raises(NotAllowed):
        services.reconciliation_approve(actor=malmo, reconciliation=r)


def test_follow_up_is_led_by_home(agreement, stockholm, gothenburg, org):
    assignment = accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    with pytest.raises(NotAllowed):
        services.followup_record(actor=gothenburg, assignment=assignment, held_on=date(2024, 3, 1))
    followup = services.followup_record(
        actor=stockholm, assignment=assignment, held_on=date(2024, 3, 1), motivation="Hög"
    )
    assert followup.motivation == "Hög"


def test_disclosure_to_receiving_municipality_is_audited_with_legal_basis(
    agreement, stockholm, gothenburg, org
):
    from samverkan.audit.models import AuditEntry

    assignment = requested(stockholm, agreement, org[GOTHENBURG])
    entry = AuditEntry.objects.get(action="disclose", record_id=str(assignment.pk))
    assert entry.controller == STOCKHOLM
    assert entry.detail["recipient"] == GOTHENBURG
    assert entry.detail["legal_basis"] == "consent"
    assert "Samtycke från den enskilde" in entry.reason
    assert entry.actor_user == stockholm


def test_reading_an_assignment_is_audited(agreement, stockholm, gothenburg, org):
    from samverkan.audit.models import AuditEntry
    from samverkan.defectors import selectors

    assignment = requested(stockholm, agreement, org[GOTHENBURG])
    selectors.assignment_get(user=gothenburg, pk=assignment.pk)
    assert AuditEntry.objects.filter(
        action="view", record_type="defectors.Assignment", actor_user=gothenburg
    ).exists()


# --- nothing shown before it is asked; a draft changed or withdrawn -----------------------------


def test_the_receiving_municipality_sees_an_assignment_only_once_it_is_requested(
    agreement, stockholm, gothenburg, org
):
    assignment = draft(stockholm, agreement, org[GOTHENBURG])
    assert not access.visible_to(gothenburg).filter(pk=assignment.pk).exists()
    services.assignment_start_consultation(actor=stockholm, assignment=assignment)
    confirm_all(stockholm, assignment)
    assert not access.visible_to(gothenburg).filter(pk=assignment.pk).exists()
    services.assignment_request(actor=stockholm, assignment=assignment)
    assert access.visible_to(gothenburg).filter(pk=assignment.pk).exists()
    assert access.visible_to(stockholm).filter(pk=assignment.pk).exists()


def test_the_joint_evaluation_lists_no_drafts(agreement, stockholm, gothenburg, org):
    from samverkan.defectors import selectors

    shown = requested(stockholm, agreement, org[GOTHENBURG], alias="Begärd")
    draft(stockholm, agreement, org[GOTHENBURG], alias="Bara utkast")
    data = selectors.evaluation_data(user=gothenburg, agreement=agreement, on=date(2026, 12, 1))
    listed = [a.person_alias for pair in data.pairs for a in pair.assignments]
    assert listed == [shown.person_alias]


def test_a_draft_is_changed_by_the_home_municipality_only(agreement, stockholm, malmo, org):
    assignment = draft(stockholm, agreement, org[GOTHENBURG], alias="Klient A")
    services.assignment_edit(
        actor=stockholm,
        assignment=assignment,
        receiving_municipality=org[MALMO],
        person_alias="Klient B",
        summary="Ny bakgrund.",
    )
    assignment.refresh_from_db()
    assert (assignment.person_alias, assignment.receiving_municipality, assignment.summary) == (
        "Klient B",
        org[MALMO],
        "Ny bakgrund.",
    )
    services.assignment_start_consultation(actor=stockholm, assignment=assignment)
    with pytest.raises(Conflict, match="Bara ett utkast"):
        services.assignment_edit(
            actor=stockholm,
            assignment=assignment,
            receiving_municipality=org[MALMO],
            person_alias="Klient C",
        )


def test_withdrawing_keeps_the_reason_and_is_only_before_the_request(
    agreement, stockholm, gothenburg, org
):
    assignment = prepared(stockholm, agreement, org[GOTHENBURG])
    with pytest.raises(InvalidInput):
        services.assignment_withdraw(actor=stockholm, assignment=assignment, reason=" ")
    services.assignment_withdraw(
        actor=stockholm, assignment=assignment, reason="Personen valde att stanna."
    )
    assignment.refresh_from_db()
    assert assignment.state == rules.State.WITHDRAWN
    event = assignment.events.order_by("-at", "-id").first()
    assert (event.to_state, event.reason) == ("withdrawn", "Personen valde att stanna.")
    sent = requested(stockholm, agreement, org[GOTHENBURG], alias="Klient B")
    with pytest.raises(Conflict):
        services.assignment_withdraw(actor=stockholm, assignment=sent, reason="För sent.")


def test_the_evaluation_reports_summary_says_who_pays_whom(agreement, stockholm, gothenburg, org):
    from django.template.loader import render_to_string

    from samverkan.defectors import selectors
    from samverkan.defectors.report import report_context

    _two_way(stockholm, gothenburg, agreement, org, ["30000.10", "0.20"], ["5000.00"])
    reconcile(stockholm, agreement, org[GOTHENBURG])
    data = selectors.evaluation_data(user=stockholm, agreement=agreement, on=date(2024, 8, 1))
    html = render_to_string("defectors/evaluation_report.html", report_context(data))
    summary = html[html.index("Sammanfattning") : html.index("</table>")]
    assert "2024 första halvåret: Stockholm betalar 12\u00a0500,15 kr till Göteborg" in summary
