"""Every read of defector data a user may see: scoped to the two parties and audited.

Only the home and the receiving municipality of an assignment see it, and
within them only defector coordinators (and system administrators of those
organisations). A third municipality gets nothing: `assignment_get` raises
`Assignment.DoesNotExist`, so views answer 404 and never confirm it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from samverkan.agreements.models import Agreement
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record
from samverkan.defectors import access, rules, services
from samverkan.defectors.models import (
    Assignment,
    ChildrenTask,
    CostEntry,
    EvaluationLesson,
    Reconciliation,
)
from samverkan.defectors.services import counted_assignments, terms_for
from samverkan.registry.models import Organisation


def assignment_list(*, user: Any) -> QuerySet[Assignment]:
    """Assignments the user's party may see (no personal data beyond the alias is listed)."""
    return access.visible_to(user).select_related(
        "home_municipality", "receiving_municipality", "agreement"
    )


def assignment_get(*, user: Any, pk: int, audit: bool = True) -> Assignment:
    assignment = assignment_list(user=user).get(pk=pk)
    if audit:
        services.audit(
            user, AuditAction.VIEW, assignment, controller=assignment.home_municipality.code
        )
    return assignment


def defector_agreements_for(*, user: Any) -> list[Agreement]:
    """Defector agreements where the user's municipality is a party."""
    return access.agreements_visible_to(user)


def agreement_get_for(*, user: Any, pk: int) -> Agreement:
    for agreement in defector_agreements_for(user=user):
        if agreement.pk == pk:
            return agreement
    raise Agreement.DoesNotExist


def party_organisations(agreement: Any) -> list[Organisation]:
    codes = access.party_codes(agreement)
    return list(Organisation.objects.filter(code__in=codes).order_by("code"))


def reconciliation_list(*, user: Any, agreement: Any) -> QuerySet[Reconciliation]:
    return (
        access.reconciliations_visible_to(user)
        .filter(agreement=agreement)
        .select_related("party_a", "party_b", "payer")
    )


def reconciliation_get(*, user: Any, pk: int) -> Reconciliation:
    return (
        access.reconciliations_visible_to(user)
        .select_related("party_a", "party_b", "payer", "agreement")
        .get(pk=pk)
    )


def ledger(*, user: Any, assignment: Assignment) -> QuerySet[CostEntry]:
    """Cost entries of an assignment the user may already see."""
    return (
        CostEntry.objects.filter(assignment=assignment)
        .select_related("intervention__catalogue_item", "booked_by_organisation", "booked_by")
        .order_by("period", "incurred_on", "id")
    )


def share_of(part: Decimal, whole: Decimal) -> str:
    """`part` as a percentage of `whole`, one decimal, written the Swedish way ("12,5 %")."""
    if not whole:
        return "–"
    percent = (part * 100 / whole).quantize(Decimal("0.1"))
    return f"{percent} %".replace(".", ",")


@dataclass(frozen=True)
class EntryShare:
    entry: CostEntry
    share: str


@dataclass(frozen=True)
class AssignmentShare:
    assignment: Assignment
    amount: Decimal
    share: str
    entries: list[EntryShare]


@dataclass(frozen=True)
class CarriedShares:
    """What one party carried for the other in the period, assignment by assignment."""

    carrier: Organisation
    home: Organisation
    total: Decimal
    assignments: list[AssignmentShare]


def reconciliation_shares(reconciliation: Reconciliation) -> list[CarriedShares]:
    """Each assignment's and each cost entry's share of what a party carried for the other.

    The same entries `services.carried_for` sums (the receiving side's bookings), so the
    shares add up to the figures of the reconciliation.
    """
    result = []
    pairs = [
        (reconciliation.party_a, reconciliation.party_b),
        (reconciliation.party_b, reconciliation.party_a),
    ]
    for carrier, home in pairs:
        entries = list(
            CostEntry.objects.filter(
                assignment__agreement=reconciliation.agreement,
                period=reconciliation.period,
                booked_by_side=rules.Side.RECEIVING,
                assignment__receiving_municipality=carrier,
                assignment__home_municipality=home,
            )
            .select_related("assignment", "intervention__catalogue_item")
            .order_by("assignment__reference", "incurred_on", "id")
        )
        total = sum((e.amount for e in entries), rules.ZERO)
        by_assignment: dict[int, list[CostEntry]] = {}
        for entry in entries:
            by_assignment.setdefault(entry.assignment_id, []).append(entry)
        rows = []
        for group in by_assignment.values():
            amount = sum((e.amount for e in group), rules.ZERO)
            rows.append(
                AssignmentShare(
                    assignment=group[0].assignment,
                    amount=amount,
                    share=share_of(amount, total),
                    entries=[EntryShare(e, share_of(e.amount, total)) for e in group],
                )
            )
        result.append(CarriedShares(carrier=carrier, home=home, total=total, assignments=rows))
    return result


@dataclass(frozen=True)
class BalanceRow:
    party: Organisation
    sent: int
    received: int
    max_sent: int | None
    max_received: int | None


def balance_for(agreement: Any) -> list[BalanceRow]:
    """Counts sent and received per party side by side, with the pilot caps where they apply."""
    terms = terms_for(agreement)
    parties = party_organisations(agreement)
    counted = counted_assignments(agreement)
    pairs = [
        (home, receiving)
        for home, receiving in counted.values_list(
            "home_municipality__code", "receiving_municipality__code"
        )
    ]
    counts = rules.balance(pairs, parties=[p.code for p in parties])
    caps = terms.caps
    return [
        BalanceRow(
            party=party,
            sent=counts[party.code].sent,
            received=counts[party.code].received,
            max_sent=caps.max_sent if caps.enabled and caps.max_sent < 10**6 else None,
            max_received=(
                caps.max_received if caps.enabled and caps.max_received < 10**6 else None
            ),
        )
        for party in parties
    ]


def open_children_tasks_for(*, user: Any) -> QuerySet[ChildrenTask]:
    visible = access.visible_to(user)
    return (
        ChildrenTask.objects.filter(assignment__in=visible, closed_at__isnull=True)
        .select_related("assignment")
        .order_by("created_at")
    )


def requests_awaiting_answer_for(*, user: Any) -> QuerySet[Assignment]:
    own = access.own_municipality(user)
    if own is None:
        return Assignment.objects.none()
    return access.visible_to(user).filter(state=rules.State.REQUESTED, receiving_municipality=own)


def reconciliations_awaiting_approval_for(*, user: Any) -> QuerySet[Reconciliation]:
    own = access.own_municipality(user)
    if own is None:
        return Reconciliation.objects.none()
    return (
        Reconciliation.objects.filter(locked_at__isnull=True)
        .filter(
            Q(party_a=own, approved_a_at__isnull=True) | Q(party_b=own, approved_b_at__isnull=True)
        )
        .select_related("party_a", "party_b")
    )


@dataclass(frozen=True)
class PairReport:
    party_a: Organisation
    party_b: Organisation
    assignments: list[Assignment]
    reconciliations: list[Reconciliation]
    costs_a_for_b: Decimal
    costs_b_for_a: Decimal
    home_costs: Decimal
    equalisations: Decimal


@dataclass(frozen=True)
class EvaluationData:
    agreement: Any
    parties: list[Organisation]
    pairs: list[PairReport]
    lessons: list[EvaluationLesson]
    generated_on: date


def evaluation_data(*, user: Any, agreement: Any, on: date) -> EvaluationData:
    """Everything the joint evaluation report shows, for an agreement the user is party to."""
    agreement = agreement_get_for(user=user, pk=agreement.pk)
    parties = party_organisations(agreement)
    assignments = list(
        Assignment.objects.filter(
            agreement=agreement, state__in=[s.value for s in rules.SHOWN_TO_RECEIVING]
        )
        .select_related("home_municipality", "receiving_municipality")
        .prefetch_related("plan__interventions__catalogue_item", "followups", "events", "costs")
        .order_by("reference")
    )
    pairs = []
    for index, a in enumerate(parties):
        for b in parties[index + 1 :]:
            between = [
                x
                for x in assignments
                if {x.home_municipality_id, x.receiving_municipality_id} == {a.pk, b.pk}
            ]
            recs = list(
                Reconciliation.objects.filter(agreement=agreement, party_a=a, party_b=b)
                .select_related("payer", "party_a", "party_b")
                .order_by("period")
            )
            if not between and not recs:
                continue

            def carried(carrier: Organisation, home: Organisation) -> Decimal:
                total = CostEntry.objects.filter(
                    assignment__agreement=agreement,
                    booked_by_side=rules.Side.RECEIVING,
                    assignment__receiving_municipality=carrier,
                    assignment__home_municipality=home,
                ).aggregate(total=Sum("amount"))["total"]
                return total or Decimal("0.00")

            home_costs = CostEntry.objects.filter(
                assignment__in=[x.pk for x in between], booked_by_side=rules.Side.HOME
            ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
            pairs.append(
                PairReport(
                    party_a=a,
                    party_b=b,
                    assignments=between,
                    reconciliations=recs,
                    costs_a_for_b=carried(a, b),
                    costs_b_for_a=carried(b, a),
                    home_costs=home_costs,
                    equalisations=sum(
                        (r.equalisation for r in recs if r.locked_at), Decimal("0.00")
                    ),
                )
            )
    lessons = list(
        EvaluationLesson.objects.filter(agreement=agreement)
        .select_related("party")
        .order_by("party__code")
    )
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        record_type="defectors.EvaluationReport",
        record_id=agreement.pk,
        controller=getattr(access.own_municipality(user), "code", ""),
    )
    return EvaluationData(agreement, parties, pairs, lessons, on)
