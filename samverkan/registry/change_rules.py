"""Mergers and splits: what moves where, and which organisation a former one is now (pure).

Issue 10. Nothing here touches the database or the clock. The selectors in
`samverkan.registry.changes` describe every record that points at an ending
organisation as a `Candidate`; `plan_change` decides for each one:

* closed records (an agreement no longer in force, an ended assignment, a done
  activity, a unit no longer valid, a deactivated user, a closed concern report,
  a finished handover, a closed homecoming plan) keep the organisation they had
  at the time — they are listed as staying;
* open records move to the successor that takes that responsibility (in a
  merger the one successor takes all; in a split each responsibility goes to
  exactly one successor);
* a record that would get the successor twice (it is already a party of the
  agreement, both ending districts were parties of the same forum, an
  assignment between two merging municipalities) is not duplicated: a
  membership (many-to-many) drops the ending organisation, a row keeps it and
  the plan says why.

`successor_on` follows changes in order ("Rinkeby-Kista" → Järva → …) and is
what routing, `home_district` and the statistics' "today's organisations" use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

# Responsibility codes (registry.models.Responsibility values), in display order. Each
# app's declarations (core.crossing.OrganisationRecords) put their records in one of
# these: concern reports, handovers and questions to the police go with UNITS (where
# reports are received); co-location, serious talks, indicators, routines and
# homecoming plans with COLLABORATION.
AGREEMENTS = "agreements"
DEFECTORS = "defectors"
COLLABORATION = "collaboration"
UNITS = "units"
USERS = "users"
RESPONSIBILITIES = (AGREEMENTS, DEFECTORS, COLLABORATION, UNITS, USERS)

# The responsibility whose successor a split organisation's history is mapped onto in
# statistics: the one taking the units, i.e. where reports are received.
STATISTICS_RESPONSIBILITY = UNITS

MERGER = "merger"
SPLIT = "split"

MOVE = "move"  # the record now points at the successor
REMOVE = "remove"  # a membership: the successor is already there, the ending one is dropped
KEEP = "keep"  # stays with the ending organisation (closed, or it would duplicate)

NOTE_CLOSED = "Avslutad – behåller organisationen den hade då."
NOTE_ALREADY = "Efterträdaren finns redan på posten – den upphörande organisationen står kvar."
NOTE_REMOVED = "Efterträdaren finns redan – den upphörande organisationen tas bort."


@dataclass(frozen=True)
class Candidate:
    """A record (or one foreign key / membership of it) pointing at an ending organisation."""

    category: str  # a responsibility code
    record_type: str  # "agreements.AgreementParty"
    record_id: int
    field: str  # the foreign key or many-to-many field
    organisation_id: int  # the ending organisation it points at
    label: str  # Swedish, no personal data beyond a user's own name
    open: bool
    group: str = ""  # records that must not get the same organisation twice ("agreement:5")
    occupied: frozenset[int] = frozenset()  # organisations already in the group
    many: bool = False  # a many-to-many membership
    detail: str = ""  # e.g. "2 telefonnummer, 5 öppettider"


@dataclass(frozen=True)
class Move:
    candidate: Candidate
    action: str  # MOVE, REMOVE or KEEP
    to_organisation_id: int | None
    note: str = ""


@dataclass(frozen=True)
class ChangeSpec:
    kind: str
    effective_date: date
    ending: frozenset[int]
    successor_for: Mapping[str, int]  # responsibility code -> successor organisation id


@dataclass
class Plan:
    moves: list[Move] = field(default_factory=list)  # MOVE and REMOVE
    kept: list[Move] = field(default_factory=list)  # KEEP

    @property
    def is_empty(self) -> bool:
        return not self.moves

    def by_category(self, which: str = "moves") -> list[tuple[str, list[Move]]]:
        rows = self.moves if which == "moves" else self.kept
        grouped: dict[str, list[Move]] = defaultdict(list)
        for move in rows:
            grouped[move.candidate.category].append(move)
        return [(code, grouped[code]) for code in RESPONSIBILITIES if grouped.get(code)]

    def counts(self) -> dict[str, int]:
        return {code: len(moves) for code, moves in self.by_category()}


def validate_successors(kind: str, successors: Mapping[int, Sequence[str]]) -> list[str]:
    """Errors (Swedish) in who takes what; [] when every responsibility has exactly one taker."""
    errors: list[str] = []
    if not successors:
        return ["Ange minst en efterträdare."]
    if kind == MERGER and len(successors) != 1:
        errors.append("En sammanläggning har exakt en efterträdare.")
    if kind == SPLIT and len(successors) < 2:
        errors.append("En delning har minst två efterträdare.")
    taken: dict[str, int] = defaultdict(int)
    for responsibilities in successors.values():
        for code in responsibilities:
            if code not in RESPONSIBILITIES:
                errors.append(f"Okänt ansvar: {code}.")
            taken[code] += 1
    missing = [code for code in RESPONSIBILITIES if taken[code] == 0]
    twice = [code for code in RESPONSIBILITIES if taken[code] > 1]
    if missing:
        errors.append("Varje ansvar måste tas över av någon efterträdare.")
    if twice:
        errors.append("Varje ansvar tas över av exakt en efterträdare.")
    return errors


def plan_change(spec: ChangeSpec, candidates: Iterable[Candidate]) -> Plan:
    """Everything that moves (and what deliberately stays), in a stable order."""
    plan = Plan()
    added: dict[str, set[int]] = defaultdict(set)
    ordered = sorted(
        candidates,
        key=lambda c: (
            RESPONSIBILITIES.index(c.category),
            c.record_type,
            c.record_id,
            c.field,
            c.organisation_id,
        ),
    )
    for candidate in ordered:
        if candidate.organisation_id not in spec.ending:
            continue
        if not candidate.open:
            plan.kept.append(Move(candidate, KEEP, None, NOTE_CLOSED))
            continue
        target = spec.successor_for[candidate.category]
        group = (
            candidate.group or f"{candidate.record_type}:{candidate.record_id}:{candidate.field}"
        )
        taken = (candidate.occupied - spec.ending) | added[group]
        if target in taken:
            if candidate.many:
                plan.moves.append(Move(candidate, REMOVE, target, NOTE_REMOVED))
            else:
                plan.kept.append(Move(candidate, KEEP, target, NOTE_ALREADY))
            continue
        added[group].add(target)
        plan.moves.append(Move(candidate, MOVE, target))
    return plan


@dataclass(frozen=True)
class Succession:
    """One change as `successor_on` needs it."""

    effective_date: date
    ending: frozenset[int]
    successor: int  # the successor taking STATISTICS_RESPONSIBILITY (the only one in a merger)


def successor_on(organisation_id: int, day: date | None, changes: Iterable[Succession]) -> int:
    """The organisation `organisation_id` has become by `day` (None: after every change)."""
    ordered = sorted(changes, key=lambda c: c.effective_date)
    current = organisation_id
    seen = {current}
    for change in ordered:
        if day is not None and change.effective_date > day:
            break
        if current in change.ending:
            current = change.successor
            if current in seen:  # a cycle in bad data: stop rather than loop
                break
            seen.add(current)
    return current


def current_names(
    names: Mapping[str, int], valid: Mapping[int, str], day: date, changes: Iterable[Succession]
) -> dict[str, int]:
    """Name -> organisation id valid on `day`, former names answering with their successor.

    `names` holds every known name (current and former) and `valid` the
    organisations valid on `day` (id -> name). A former name whose successor on
    `day` is not valid (the change has not happened yet, or no successor) is left out.
    """
    changes = list(changes)
    found = {name: org_id for org_id, name in valid.items()}
    for name, org_id in names.items():
        if name in found:
            continue
        successor = successor_on(org_id, day, changes)
        if successor in valid:
            found[name] = successor
    return found
