"""Collaboration figures (SPEC §6, §8): forum compliance, action-plan progress, indicators.

Built on the collaboration app's own selectors (`forum_compliance`,
`indicator_series`) so that a forum's compliance and an indicator's value are
the same here as on the collaboration pages. Forums, plans and indicators are
few (tens per district), so they are iterated; activities are counted by
GROUP BY. Terms are the collaboration app's terms (VT January–June, HT
July–December): those overlapping the period, up to its last day.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from samverkan.collaboration import rules as collaboration_rules
from samverkan.collaboration.indicators.selectors import published_point
from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    Forum,
    Indicator,
)
from samverkan.collaboration.selectors import forum_compliance, indicator_series
from samverkan.core.calendar import local_date
from samverkan.followup import stats
from samverkan.followup.periods import Period
from samverkan.followup.selectors import Scope, dashboard_for
from samverkan.followup.stats import Cell
from samverkan.followup.tables import Dashboard, Row, Table
from samverkan.registry.selectors import descendant_ids

TREND_TEXT = {"up": "Ökar", "down": "Minskar", "flat": "Oförändrad", "": ""}
MAX_TERMS = 4


def _organisation_ids(scope: Scope) -> set[int] | None:
    """The organisation and those below it (a municipality's districts); None for all."""
    if scope.organisation is not None:
        return set(descendant_ids([scope.organisation.pk]))
    if scope.agreement is not None:
        return set(scope.agreement.parties.values_list("organisation_id", flat=True))
    return None


def _in_scope(queryset: QuerySet[Any], scope: Scope, field: str = "district") -> QuerySet[Any]:
    if scope.agreement is not None and field == "district" and hasattr(queryset.model, "agreement"):
        return queryset.filter(agreement=scope.agreement)
    ids = _organisation_ids(scope)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}_id__in": ids})


def _terms(period: Period, today: date) -> tuple[date, int]:
    """The day the terms count back from, and how many terms (at most MAX_TERMS)."""
    last = min(period.last, today)
    terms = collaboration_rules.terms_between(period.first, max(period.first, last))
    return last, max(1, min(len(terms), MAX_TERMS))


def _forums(period: Period, scope: Scope, today: date) -> Table:
    last, count = _terms(period, today)
    rows = []
    for forum in _in_scope(Forum.objects.all(), scope).order_by("name"):
        terms = forum_compliance(forum, today=last, terms=count)
        held = sum(t.held for t in terms)
        required = sum(t.required for t in terms)
        met = sum(1 for t in terms if t.met)
        with_functions = sum(1 for t in terms if t.functions_met)
        rows.append(
            Row(
                str(forum.pk),
                forum.name,
                [Cell(held), Cell(required), Cell(with_functions), Cell(met), Cell(len(terms))],
            )
        )
    return Table(
        slug="forum_compliance",
        title="Samverkansforum: möten och deltagande",
        columns=[
            "Genomförda möten",
            "Krävda möten",
            "Terminer med alla funktioner",
            "Terminer där kraven uppfylldes",
            "Terminer",
        ],
        rows=rows,
        chart=False,
        note=(
            "Terminer (VT/HT) som överlappar perioden, fram till periodens sista dag. Ett forums "
            "krav är uppfyllt när antalet möten nåtts och alla krävda funktioner deltagit i "
            "varje genomfört möte."
        ),
    )


def _activities(period: Period, scope: Scope, today: date) -> Table:
    plans = _in_scope(
        ActionPlan.objects.filter(period_start__lte=period.last, period_end__gte=period.first),
        scope,
    )
    activities = Activity.objects.filter(plan__in=plans.values("pk")).order_by()
    by_status = dict(activities.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    overdue = activities.filter(
        ~Q(status__in=[ActivityStatus.DONE, ActivityStatus.CANCELLED]),
        due_date__lt=min(today, period.last),
    ).count()
    items = [
        (status.value, str(status.label), by_status.get(status.value, 0))
        for status in ActivityStatus
    ]
    cells, total = stats.suppress_list([n for _, _, n in items], enabled=False)
    return Table(
        slug="action_plans",
        title="Åtgärdsplanernas aktiviteter",
        columns=["Antal"],
        rows=[
            *[Row(key, label, [cell]) for (key, label, _), cell in zip(items, cells, strict=True)],
        ],
        total=Row("total", "Aktiviteter totalt", [total]),
        chart=True,
        note=(
            f"Aktiviteter i åtgärdsplaner som gäller under perioden. Varav förfallna och inte "
            f"genomförda: {overdue}."
        ),
    )


def _indicator_cells(indicator: Indicator, point: Any, suppress: bool, limit: int) -> Cell:
    """The value as the collaboration pages publish it outside the district (one rule)."""
    published = published_point(indicator, point, enabled=suppress, limit=limit).value
    if published.value is None:
        return Cell(None)
    return Cell(round(published.value, 1), published.suppressed)  # type: ignore[arg-type]


def _indicators(period: Period, scope: Scope, today: date, suppress: bool, limit: int) -> Table:
    last, count = _terms(period, today)
    count = MAX_TERMS  # a trend needs history: always the last four terms up to the period
    indicators = list(_in_scope(Indicator.objects.all(), scope).order_by("name"))
    series = [indicator_series(indicator, today=last, terms=count) for indicator in indicators]
    terms = [p.term for p in series[0].points] if series else []
    rows = []
    for item in series:
        cells = [_indicator_cells(item.indicator, p, suppress, limit) for p in item.points]
        trend = TREND_TEXT.get(item.trend, "")
        if trend and item.good is not None:
            trend += " (bättre)" if item.good else " (sämre)"
        if suppress and any(c.hidden for c in cells[-2:]):
            trend = ""
        unit = f" ({item.indicator.unit})" if item.indicator.unit else ""
        rows.append(
            Row(str(item.indicator.pk), f"{item.indicator.name}{unit}", [*cells, Cell(trend)])
        )
    return Table(
        slug="indicators",
        title="Resultatindikatorer per termin",
        columns=[*(t.label for t in terms), "Trend"],
        rows=rows,
        note=(
            "Beräknade värden kommer från uppgifterna i systemet, övriga är inmatade med källa. "
            "Trenden jämför de två senaste terminerna."
        ),
        limit=limit,
    )


def collaboration_dashboard(
    *, period: Period, scope: Scope, suppress: bool, now: datetime | None = None
) -> Dashboard:
    now = now or timezone.now()
    today = local_date(now)
    limit = stats.threshold()
    dashboard = dashboard_for("Samverkan", period, scope, suppress=suppress, now=now)
    dashboard.tables = [
        _forums(period, scope, today),
        _activities(period, scope, today),
        _indicators(period, scope, today, suppress, limit),
    ]
    if suppress:
        dashboard.notes.append(
            f"{stats.suppression_note(limit)} Det gäller också indikatorer som bygger på "
            f"färre än {limit} barn eller anmälningar."
        )
    return dashboard
