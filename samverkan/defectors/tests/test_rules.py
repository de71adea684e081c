from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.defectors import rules
from samverkan.defectors.rules import (
    Confirmation,
    InterventionKind,
    Period,
    PilotCaps,
    PreconditionKind,
    Side,
    State,
)

DAY = date(2023, 3, 1)


def complete(kind: PreconditionKind) -> Confirmation:
    return Confirmation(
        kind=kind,
        confirmed_on=DAY,
        confirmed_by="Anna Andersson",
        police_unit="polisen-lpo-rinkeby" if "police" in kind else "",
        legal_basis="consent" if kind is PreconditionKind.LEGAL_BASIS else "",
        has_document=kind in rules.DOCUMENT_REQUIRED,
    )


ALL = [complete(kind) for kind in PreconditionKind]


def test_all_preconditions_confirmed_nothing_missing():
    assert rules.missing_preconditions(ALL) == []


@pytest.mark.parametrize("kind", list(PreconditionKind))
def test_each_missing_precondition_blocks_with_its_own_message(kind):
    missing = rules.missing_preconditions([c for c in ALL if c.kind is not kind])
    assert [m.kind for m in missing] == [kind]
    assert missing[0].message == str(rules.PRECONDITION_MISSING[kind])


def test_police_consultation_needs_police_unit_and_date():
    no_unit = Confirmation(PreconditionKind.POLICE_CONSULTATION_RECEIVING, DAY, "Anna")
    no_date = Confirmation(
        PreconditionKind.POLICE_CONSULTATION_HOME, None, "Anna", police_unit="polisen-lpo-x"
    )
    others = [c for c in ALL if "police" not in c.kind]
    missing = rules.missing_preconditions([*others, no_unit, no_date])
    assert {m.kind for m in missing} == {
        PreconditionKind.POLICE_CONSULTATION_HOME,
        PreconditionKind.POLICE_CONSULTATION_RECEIVING,
    }
    assert "Polisen i hemkommunen" in missing[0].message


def test_legal_basis_needs_document():
    without = Confirmation(PreconditionKind.LEGAL_BASIS, DAY, "Anna", legal_basis="consent")
    others = [c for c in ALL if c.kind is not PreconditionKind.LEGAL_BASIS]
    assert [m.kind for m in rules.missing_preconditions([*others, without])] == [
        PreconditionKind.LEGAL_BASIS
    ]


def test_known_children_block_even_when_no_children_was_confirmed():
    missing = rules.missing_preconditions(ALL, children_known=True)
    assert [m.kind for m in missing] == [PreconditionKind.NO_CHILDREN]
    assert "Barn har aktualiserats" in missing[0].message


def test_confirmation_without_confirmer_does_not_count():
    anonymous = Confirmation(PreconditionKind.MOTIVATED, DAY, "  ")
    others = [c for c in ALL if c.kind is not PreconditionKind.MOTIVATED]
    assert [m.kind for m in rules.missing_preconditions([*others, anonymous])] == [
        PreconditionKind.MOTIVATED
    ]


# --- transitions ---


def test_only_home_sends_request_and_only_receiving_answers():
    assert (
        rules.transition_error(current=State.CONSULTATION, target=State.REQUESTED, side=Side.HOME)
        is None
    )
    assert "hemkommunen" in rules.transition_error(
        current=State.CONSULTATION, target=State.REQUESTED, side=Side.RECEIVING
    )
    assert "mottagande" in rules.transition_error(
        current=State.REQUESTED, target=State.ACCEPTED, side=Side.HOME
    )
    assert (
        rules.transition_error(current=State.REQUESTED, target=State.ACCEPTED, side=Side.RECEIVING)
        is None
    )


def test_decline_and_end_need_a_reason():
    assert (
        rules.transition_error(
            current=State.REQUESTED, target=State.DECLINED, side=Side.RECEIVING, reason=" "
        )
        == "Ange ett skäl."
    )
    assert (
        rules.transition_error(
            current=State.ACTIVE, target=State.ENDED, side=Side.HOME, reason="Flyttat hem"
        )
        is None
    )


def test_cannot_skip_states():
    assert "kan inte gå" in rules.transition_error(
        current=State.DRAFT, target=State.ACTIVE, side=Side.HOME
    )


# --- handling unit ---


def test_high_threat_with_relocation_goes_to_central_unit_where_configured():
    stockholm = rules.HandlingRule(central_for_high_threat_relocation=True)
    assert rules.handled_centrally(
        rule=stockholm, threat=rules.ThreatLevel.HIGH, relocation_needed=True
    )
    assert not rules.handled_centrally(
        rule=stockholm, threat=rules.ThreatLevel.HIGH, relocation_needed=False
    )
    assert not rules.handled_centrally(
        rule=stockholm, threat=rules.ThreatLevel.MEDIUM, relocation_needed=True
    )
    elsewhere = rules.HandlingRule(central_for_high_threat_relocation=False)
    assert not rules.handled_centrally(
        rule=elsewhere, threat=rules.ThreatLevel.HIGH, relocation_needed=True
    )
    assert not rules.handled_centrally(
        rule=None, threat=rules.ThreatLevel.HIGH, relocation_needed=True
    )


# --- catalogue rule ---


@pytest.mark.parametrize("kind", [InterventionKind.OUTSIDE, InterventionKind.HOUSING])
def test_outside_catalogue_and_housing_never_booked_on_receiving(kind):
    assert rules.bearer_of(kind) is Side.HOME
    error = rules.booking_error(kind=kind, booked_by=Side.RECEIVING)
    assert error and "aldrig bokas på den mottagande kommunen" in error
    assert rules.booking_error(kind=kind, booked_by=Side.HOME) is None


def test_catalogue_interventions_are_booked_by_receiving():
    assert rules.booking_error(kind=InterventionKind.CATALOGUE, booked_by=Side.RECEIVING) is None
    assert rules.booking_error(kind=InterventionKind.CATALOGUE, booked_by=Side.HOME)


def test_default_catalogue_has_the_eleven_interventions_of_the_agreement():
    names = [name for _, name in rules.DEFAULT_CATALOGUE]
    assert len(names) == 11
    assert "Krisstöd" in names and "Arbetsinriktade insatser (t.ex. KRAMI)" in names
    assert not any("hemtjänst" in name.lower() for name in names)


# --- periods ---


def test_periods_are_half_years():
    assert rules.period_of(date(2023, 6, 30)) == Period(2023, 1)
    assert rules.period_of(date(2023, 7, 1)) == Period(2023, 2)
    assert Period(2023, 2).next() == Period(2024, 1)
    assert Period.parse("2024-H2").end == date(2024, 12, 31)
    with pytest.raises(ValueError):
        Period.parse("2024-H3")


def test_a_cost_dated_in_a_locked_period_is_refused_naming_the_period():
    locked = {Period(2023, 1)}
    refusal = rules.booking_error_for_period(date(2023, 5, 2), locked)
    assert refusal is not None
    assert refusal.startswith("Perioden 2023 första halvåret är avstämd och låst")
    assert rules.booking_error_for_period(date(2023, 7, 1), locked) is None


def test_only_a_finished_half_year_has_ended():
    assert not Period(2024, 1).has_ended(date(2024, 6, 30))
    assert Period(2024, 1).has_ended(date(2024, 7, 1))
    assert Period(2024, 2).name == "2024 andra halvåret"


# --- reconciliation ---


def reconcile(
    a_for_b: str, b_for_a: str, threshold: str, parties: tuple[str, str] = ("A", "B")
) -> rules.Reconciled:
    """`rules.reconcile` with the amounts written as the exact decimal strings they are."""
    return rules.reconcile(
        party_a=parties[0],
        party_b=parties[1],
        a_for_b=Decimal(a_for_b),
        b_for_a=Decimal(b_for_a),
        threshold=Decimal(threshold),
    )


def test_reconciliation_with_equalisation():
    result = reconcile("100000.00", "60000.00", "5000", parties=("0180", "1480"))
    assert result.total == Decimal("160000.00")
    assert result.equal_share == Decimal("80000.00")
    assert result.deviation == Decimal("20000.00")
    assert result.material
    assert result.equalisation == Decimal("20000.00")
    assert (result.payer, result.payee) == ("1480", "0180")
    assert result.a_carries_after == result.b_carries_after == Decimal("80000.00")


def test_reconciliation_without_equalisation_under_threshold():
    result = reconcile("10000.00", "12000.00", "5000.00", parties=("0180", "1280"))
    assert result.deviation == Decimal("1000.00")
    assert not result.material
    assert result.equalisation == Decimal("0.00")
    assert result.payer is None


def test_threshold_boundary_equal_is_not_material_one_ore_more_is():
    at = reconcile("20000.00", "10000.00", "5000.00")
    assert at.deviation == Decimal("5000.00") and not at.material
    above = reconcile("20000.02", "10000.00", "5000.00")
    assert above.deviation == Decimal("5000.01") and above.material
    assert above.equalisation == Decimal("5000.01")
    assert (above.payer, above.payee) == ("B", "A")


def test_decimal_exact_where_floats_would_drift():
    result = rules.reconcile(
        party_a="A",
        party_b="B",
        a_for_b=Decimal("0.10") + Decimal("0.20"),
        b_for_a=Decimal("0.00"),
        threshold=Decimal("0"),
    )
    assert result.total == Decimal("0.30")
    assert result.equalisation == Decimal("0.15")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        rules.to_sek(0.1)  # type: ignore[arg-type]


sek = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)


@given(a=sek, b=sek, threshold=sek)
def test_property_equalisation_evens_shares_and_preserves_sum(a, b, threshold):
    result = rules.reconcile(party_a="A", party_b="B", a_for_b=a, b_for_a=b, threshold=threshold)
    assert result.a_carries_after + result.b_carries_after == a + b
    if result.material:
        gap = abs(result.a_carries_after - result.b_carries_after)
        odd_ore = (a + b) * 100 % 2
        assert gap == (Decimal("0.01") if odd_ore else Decimal("0.00"))
        assert result.deviation > threshold
    else:
        assert result.equalisation == 0
        assert result.deviation <= threshold
    assert result.equalisation == result.equalisation.quantize(Decimal("0.01"))


@given(a=sek, b=sek, threshold=sek)
def test_property_symmetric_in_parties(a, b, threshold):
    one = rules.reconcile(party_a="A", party_b="B", a_for_b=a, b_for_a=b, threshold=threshold)
    two = rules.reconcile(party_a="B", party_b="A", a_for_b=b, b_for_a=a, threshold=threshold)
    assert one.equalisation == two.equalisation
    assert one.payer == two.payer


# --- balance and caps ---


def test_balance_counts_sent_and_received_side_by_side():
    counts = rules.balance([("0180", "1480"), ("1480", "1280")], parties=["0180", "1280", "1480"])
    assert counts["0180"] == rules.Counts(sent=1, received=0)
    assert counts["1480"] == rules.Counts(sent=1, received=1)
    assert counts["1280"] == rules.Counts(sent=0, received=1)


@given(pairs=st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from("ABC"))))
def test_property_balance_totals_match(pairs):
    counts = rules.balance(pairs)
    assert sum(c.sent for c in counts.values()) == len(pairs)
    assert sum(c.received for c in counts.values()) == len(pairs)


PILOT = PilotCaps(
    enabled=True, max_sent=1, max_received=1, starts=date(2023, 1, 1), ends=date(2023, 12, 31)
)


def cap_check(caps: PilotCaps, sent: int, received: int, on: date = DAY) -> rules.CapCheck:
    """Stockholm sending to Malmö, which have sent and received so many assignments so far."""
    return rules.pilot_cap_check(
        caps=caps,
        on=on,
        home_name="Stockholm",
        home_sent=sent,
        receiving_name="Malmö",
        receiving_received=received,
    )


def test_pilot_cap_allows_first_and_blocks_second():
    assert cap_check(PILOT, sent=0, received=0).ok
    second = cap_check(PILOT, sent=1, received=1)
    assert not second.ok
    assert "Stockholm har redan skickat 1 uppdrag" in second.messages[0]
    assert "Malmö har redan tagit emot 1 uppdrag" in second.messages[1]


def test_pilot_cap_configurable_and_only_during_pilot_term():
    assert cap_check(PilotCaps(enabled=True, max_sent=2, max_received=2), sent=1, received=1).ok
    assert cap_check(PILOT, sent=5, received=5, on=date(2024, 1, 1)).ok
    assert cap_check(PilotCaps(enabled=False), sent=9, received=9).ok


def test_sek_formatting_is_swedish():
    from samverkan.defectors.templatetags.defectors_tags import format_sek

    assert format_sek(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50"
    assert format_sek(Decimal("-200")) == "−200,00"
    assert format_sek(Decimal("0")) == "0,00"
