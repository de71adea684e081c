"""The pure rules of organisation changes (issue 10)."""

from datetime import date

from samverkan.registry import change_rules as rules

SPEC = rules.ChangeSpec(
    kind=rules.MERGER,
    effective_date=date(2024, 1, 1),
    ending=frozenset({1, 2}),
    successor_for={code: 3 for code in rules.RESPONSIBILITIES},
)


def candidate(record_id: int, organisation_id: int, **extra) -> rules.Candidate:
    values = {
        "category": rules.AGREEMENTS,
        "record_type": "agreements.AgreementParty",
        "record_id": record_id,
        "field": "organisation",
        "organisation_id": organisation_id,
        "label": f"Post {record_id}",
        "open": True,
    }
    values.update(extra)
    return rules.Candidate(**values)


def test_open_records_move_closed_ones_stay_others_are_ignored():
    plan = rules.plan_change(SPEC, [candidate(1, 1), candidate(2, 2, open=False), candidate(3, 9)])
    assert [(m.candidate.record_id, m.action, m.to_organisation_id) for m in plan.moves] == [
        (1, rules.MOVE, 3)
    ]
    assert [(m.candidate.record_id, m.note) for m in plan.kept] == [(2, rules.NOTE_CLOSED)]


def test_no_record_gets_the_successor_twice():
    group = {"group": "agreement:7", "occupied": frozenset({1, 2, 5})}
    plan = rules.plan_change(SPEC, [candidate(10, 1, **group), candidate(11, 2, **group)])
    assert [m.action for m in plan.moves] == [rules.MOVE]
    assert [m.note for m in plan.kept] == [rules.NOTE_ALREADY]
    many = {"group": "forum:1", "occupied": frozenset({1, 3}), "many": True, "field": "parties"}
    plan = rules.plan_change(SPEC, [candidate(1, 1, **many)])
    assert [m.action for m in plan.moves] == [rules.REMOVE]


def test_who_takes_what_is_validated():
    assert rules.validate_successors(rules.MERGER, {3: list(rules.RESPONSIBILITIES)}) == []
    assert rules.validate_successors(rules.MERGER, {3: ["agreements"]})
    assert (
        rules.validate_successors(
            rules.SPLIT, {3: ["agreements", "defectors"], 4: ["collaboration", "units", "users"]}
        )
        == []
    )
    assert rules.validate_successors(rules.SPLIT, {3: list(rules.RESPONSIBILITIES)})
    assert rules.validate_successors(rules.SPLIT, {3: ["agreements"], 4: ["agreements"]})


def test_successor_on_follows_changes_in_date_order():
    changes = [
        rules.Succession(date(2025, 1, 1), frozenset({3}), 4),
        rules.Succession(date(2024, 1, 1), frozenset({1, 2}), 3),
    ]
    assert rules.successor_on(1, None, changes) == 4
    assert rules.successor_on(1, date(2024, 6, 1), changes) == 3
    assert rules.successor_on(1, date(2023, 12, 31), changes) == 1
    names = {"Ett": 1, "Tre": 3, "Fyra": 4}
    assert rules.current_names(names, {3: "Tre"}, date(2024, 6, 1), changes) == {
        "Tre": 3,
        "Ett": 3,
    }
