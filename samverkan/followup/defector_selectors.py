"""Defector figures (SPEC §5, §8): assignments per pair, costs, reconciliations, balances.

Aggregates only, computed by GROUP BY in the database; no aliases, no free text.
Amounts are not counts, but an amount that stands for fewer assignments than the
threshold is hidden together with that count when the figures are suppressed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from samverkan.defectors import rules
from samverkan.defectors.models import Assignment, CostEntry, Reconciliation
from samverkan.followup import stats
from samverkan.followup.periods import Period
from samverkan.followup.selectors import Scope, dashboard_for
from samverkan.followup.stats import Cell
from samverkan.followup.tables import Dashboard, Row, Table

PREPARING = [
    rules.State.DRAFT.value,
    rules.State.CONSULTATION.value,
    rules.State.REQUESTED.value,
    rules.State.ACCEPTED.value,
]
ZERO = Decimal("0.00")


def _assignments(period: Period, scope: Scope) -> QuerySet[Assignment]:
    """Assignments that existed during the period and had not ended before it (not declined)."""
    start, end = period.bounds()
    queryset = Assignment.objects.filter(created_at__lt=end).exclude(
        state=rules.State.DECLINED.value
    )
    queryset = queryset.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.first))
    return _scoped(queryset, scope, "").order_by()


def _scoped(queryset: QuerySet[Any], scope: Scope, prefix: str) -> QuerySet[Any]:
    if scope.organisation is not None:
        return queryset.filter(
            Q(**{f"{prefix}home_municipality": scope.organisation})
            | Q(**{f"{prefix}receiving_municipality": scope.organisation})
        )
    if scope.agreement is not None:
        return queryset.filter(**{f"{prefix}agreement": scope.agreement})
    return queryset


def _costs(period: Period, scope: Scope) -> QuerySet[CostEntry]:
    return _scoped(
        CostEntry.objects.filter(incurred_on__gte=period.first, incurred_on__lte=period.last),
        scope,
        "assignment__",
    ).order_by()


def _hidden_amount(amount: Decimal | None, count: Cell) -> Cell:
    return Cell(amount if amount is not None else ZERO, stats.SECONDARY if count.hidden else "")


def _amount_of(amount: Decimal | None, cases: int, suppress: bool, limit: int) -> Cell:
    """An amount hidden like a count when it sums fewer cases than the threshold."""
    return _hidden_amount(amount, stats.suppress_count(cases, limit=limit, enabled=suppress))


def _pairs(period: Period, scope: Scope, suppress: bool, limit: int) -> Table:
    rows = (
        _assignments(period, scope)
        .values(
            "home_municipality__code",
            "home_municipality__name",
            "receiving_municipality__code",
            "receiving_municipality__name",
        )
        .annotate(
            preparing=Count("pk", filter=Q(state__in=PREPARING)),
            active=Count("pk", filter=Q(state=rules.State.ACTIVE.value)),
            ended=Count("pk", filter=Q(state=rules.State.ENDED.value)),
        )
        .order_by("home_municipality__name", "receiving_municipality__name")
    )
    items = list(rows)
    table = stats.suppress_table(
        [[r["preparing"], r["active"], r["ended"]] for r in items], limit=limit, enabled=suppress
    )
    return Table(
        slug="pairs",
        title="Uppdrag per par av kommuner",
        columns=["Under beredning", "Pågående", "Avslutade", "Totalt"],
        rows=[
            Row(
                f"{r['home_municipality__code']}>{r['receiving_municipality__code']}",
                f"{r['home_municipality__name']} → {r['receiving_municipality__name']}",
                [*cells, total],
            )
            for r, cells, total in zip(items, table.cells, table.row_totals, strict=True)
        ],
        total=Row("total", "Totalt", [*table.column_totals, table.total]) if items else None,
        chart=False,
        note=(
            "Hemkommun → mottagande kommun. Uppdrag som fanns under perioden; avböjda räknas inte."
        ),
        limit=limit,
    )


def _costs_by_intervention(period: Period, scope: Scope, suppress: bool, limit: int) -> Table:
    rows = (
        _costs(period, scope)
        .values(
            "intervention__kind",
            "intervention__catalogue_item__name",
        )
        .annotate(amount=Sum("amount"), assignments=Count("assignment", distinct=True))
        .order_by("intervention__kind", "intervention__catalogue_item__name")
    )
    kind_labels = {
        rules.InterventionKind.OUTSIDE.value: "Utanför katalogen (hemkommunen)",
        rules.InterventionKind.HOUSING.value: "Tillfälligt boende (hemkommunen)",
    }
    result = []
    for r in rows:
        count = stats.suppress_count(r["assignments"], limit=limit, enabled=suppress)
        label = r["intervention__catalogue_item__name"] or kind_labels.get(
            r["intervention__kind"], r["intervention__kind"]
        )
        key = f"{r['intervention__kind']}:{r['intervention__catalogue_item__name'] or ''}"
        result.append(Row(key, label, [_hidden_amount(r["amount"], count), count]))
    total_amount = _costs(period, scope).aggregate(
        amount=Sum("amount"), assignments=Count("assignment", distinct=True)
    )
    total_count = stats.suppress_count(total_amount["assignments"], limit=limit, enabled=suppress)
    if any(row.cells[0].hidden for row in result):
        # The amounts add up to the total: shown, it would give a single hidden one back.
        total_count = Cell(total_count.value, total_count.suppressed or stats.SECONDARY)
    return Table(
        slug="costs_by_intervention",
        title="Kostnader per insats",
        columns=["Belopp (kr)", "Antal uppdrag"],
        rows=result,
        total=Row(
            "total", "Totalt", [_hidden_amount(total_amount["amount"], total_count), total_count]
        ),
        chart=bool(result),
        note="Bokförda kostnader med datum inom perioden.",
        limit=limit,
    )


def _reconciliations(period: Period, scope: Scope, suppress: bool, limit: int) -> Table:
    codes = []
    year = period.first.year
    while year <= period.last.year:
        for half in (1, 2):
            candidate = rules.Period(year, half)
            if candidate.start <= period.last and candidate.end >= period.first:
                codes.append(candidate.code)
        year += 1
    queryset = Reconciliation.objects.filter(period__in=codes).order_by()
    if scope.organisation is not None:
        queryset = queryset.filter(Q(party_a=scope.organisation) | Q(party_b=scope.organisation))
    elif scope.agreement is not None:
        queryset = queryset.filter(agreement=scope.agreement)
    counts = queryset.aggregate(
        total=Count("pk"),
        locked=Count("pk", filter=Q(locked_at__isnull=False)),
        equalised=Count("pk", filter=~Q(equalisation=0)),
        equalisation=Sum("equalisation"),
        costs=Sum("a_for_b"),
        costs_back=Sum("b_for_a"),
    )
    items = [
        ("total", "Kostnadsavstämningar", counts["total"]),
        ("locked", "Godkända av båda parter", counts["locked"]),
        ("equalised", "Med utjämning", counts["equalised"]),
    ]
    # The counts are of reconciliations between organisations and are shown; an
    # amount that sums fewer reconciliations than the threshold is hidden, since a
    # single reconciliation's amounts describe the costs of a few children.
    rows = [Row(key, label, [Cell(n)]) for key, label, n in items]
    rows.append(
        Row(
            "equalisation",
            "Utjämnat belopp (kr)",
            [_amount_of(counts["equalisation"], counts["equalised"], suppress, limit)],
        )
    )
    rows.append(
        Row(
            "reconciled_costs",
            "Avstämda kostnader (kr)",
            [
                _amount_of(
                    (counts["costs"] or ZERO) + (counts["costs_back"] or ZERO),
                    counts["total"],
                    suppress,
                    limit,
                )
            ],
        )
    )
    return Table(
        slug="reconciliations",
        title="Kostnadsavstämningar och utjämningar",
        columns=["Värde"],
        rows=rows,
        note="Avstämningsperioder (halvår) som överlappar perioden.",
        limit=limit,
    )


def _balance(period: Period, scope: Scope, suppress: bool, limit: int) -> Table:
    assignments = _assignments(period, scope)
    sent = {
        r["home_municipality__code"]: (r["home_municipality__name"], r["n"])
        for r in assignments.values("home_municipality__code", "home_municipality__name").annotate(
            n=Count("pk")
        )
    }
    received = {
        r["receiving_municipality__code"]: (r["receiving_municipality__name"], r["n"])
        for r in assignments.values(
            "receiving_municipality__code", "receiving_municipality__name"
        ).annotate(n=Count("pk"))
    }
    receiving_costs = _costs(period, scope).filter(booked_by_side=rules.Side.RECEIVING.value)
    done_for_others = {
        r["assignment__receiving_municipality__code"]: r["amount"]
        for r in receiving_costs.values("assignment__receiving_municipality__code").annotate(
            amount=Sum("amount")
        )
    }
    done_by_others = {
        r["assignment__home_municipality__code"]: r["amount"]
        for r in receiving_costs.values("assignment__home_municipality__code").annotate(
            amount=Sum("amount")
        )
    }
    codes = sorted(set(sent) | set(received))
    names = {code: (sent.get(code) or received.get(code) or ("", 0))[0] for code in codes}
    if scope.organisation is not None:
        codes = [c for c in codes if c == scope.organisation.code]
    counts = stats.suppress_table(
        [[sent.get(c, ("", 0))[1], received.get(c, ("", 0))[1]] for c in codes],
        limit=limit,
        enabled=suppress,
        column_relations=False,
    )
    rows = []
    for code, cells in zip(codes, counts.cells, strict=True):
        for_others = done_for_others.get(code) or ZERO
        by_others = done_by_others.get(code) or ZERO
        hide = any(cell.hidden for cell in cells)
        rows.append(
            Row(
                code,
                names[code],
                [
                    *cells,
                    Cell(for_others, stats.SECONDARY if hide else ""),
                    Cell(by_others, stats.SECONDARY if hide else ""),
                    Cell(for_others - by_others, stats.SECONDARY if hide else ""),
                ],
            )
        )
    return Table(
        slug="balance",
        title="Balans mellan skickade och mottagna uppdrag",
        columns=[
            "Uppdrag skickade",
            "Uppdrag mottagna",
            "Utfört åt andra (kr)",
            "Andra utfört åt kommunen (kr)",
            "Netto (kr)",
        ],
        rows=rows,
        note=(
            "Kostnader som mottagande kommun bokfört under perioden. Netto: utfört åt andra "
            "minus det andra utfört åt kommunen."
        ),
        limit=limit,
    )


def defector_dashboard(
    *, period: Period, scope: Scope, suppress: bool, now: datetime | None = None
) -> Dashboard:
    limit = stats.threshold()
    dashboard = dashboard_for(
        "Avhoppare", period, scope, suppress=suppress, now=now or timezone.now()
    )
    dashboard.tables = [
        _pairs(period, scope, suppress, limit),
        _costs_by_intervention(period, scope, suppress, limit),
        _reconciliations(period, scope, suppress, limit),
        _balance(period, scope, suppress, limit),
    ]
    if suppress:
        dashboard.notes.append(
            f"{stats.suppression_note(limit)} Belopp som gäller färre uppdrag döljs på samma sätt."
        )
    return dashboard
