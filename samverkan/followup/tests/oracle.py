"""The direct computation of the single-entry figures: the test oracle for the summaries.

This is how the dashboard counted before daily summaries (issue 8): grouped
queries and ranked windows over the period's reports themselves. The
property tests (`test_summaries.py`) build the dashboard from it and from the
summaries and require every figure to be equal. One difference is by
definition (ADR 0008): durations are whole minutes (floor), so the values at
the median's and 90th percentile's ranks are floored here too — flooring keeps
the order, so the floored value at a rank is the rank's value of the floored
durations.

The SQL helpers below it (Swedish local time, durations and percentiles in the
database) were the dashboard's own until then; only this oracle uses them now.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, ExtractHour, ExtractIsoWeekDay, RowNumber, TruncDate
from django.db.models.lookups import LessThanOrEqual

from samverkan.core.calendar import STOCKHOLM, is_public_holiday, local_date
from samverkan.followup.periods import Period
from samverkan.followup.selectors import DurationSummary, Scope, _summary, _wanted_ranks
from samverkan.intake.models import (
    ConcernReport,
    Escalation,
    HandoverAttempt,
    InformationRequest,
    NotEligibleRecord,
)
from samverkan.intake.rules import Reason
from samverkan.registry.models import Organisation


class DirectSource:
    """The period's cohort and the aggregates the tables share, each query run once.

    Queries (whatever the number of reports): the reports grouped by responsible
    municipality, controller and number of escalations, with every conditional
    count (feedback joined in); the time of day of reports and not-eligible
    records (one UNION ALL); the not-eligible records by home municipality with
    the reasons; the three report durations (one query of window functions); the
    information requests (counts and answer time, one query); the names of the
    organisations involved.
    """

    def __init__(self, period: Period, scope: Scope, now: datetime) -> None:
        self.period = period
        self.scope = scope
        self.now = now
        self.reports = _reports(period, scope)
        self.not_eligible = _not_eligible(period, scope)
        self.start, self.end = period.bounds()
        self.count_names: list[str] = []

    @cached_property
    def report_groups(self) -> list[dict[str, Any]]:
        """Counts per (responsible municipality, controller, escalations of a report)."""
        today = local_date(self.now)
        # COUNT as a plain function: one aggregate row per report, 0 when none (no GROUP BY)
        escalations = Subquery(
            Escalation.objects.filter(report=OuterRef("pk"))
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n"),
            output_field=IntegerField(),
        )
        # A feedback may be delivered long after the period: Stockholm's offsets to well after now.
        changes = _offset_changes(
            self.start - timedelta(days=400), max(self.now, self.end) + timedelta(days=400)
        )
        delivered_on = _local_date("feedback__delivered_at", changes)
        aggregates = dict(
            total=Count("pk"),
            handed_over=Count("pk", filter=Q(handed_over_at__isnull=False)),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            protection=Count("pk", filter=Q(protection_assessed_at__isnull=False)),
            preliminary=Count("pk", filter=Q(preliminary_decided_on__isnull=False)),
            repeats=Count("pk", filter=Q(repeat_of__isnull=False)),
            protection_on_time=Count(
                "pk", filter=Q(protection_assessed_at__lte=F("protection_assessment_due"))
            ),
            protection_basis=Count(
                "pk",
                filter=Q(protection_assessed_at__isnull=False)
                | Q(protection_assessment_due__lt=self.now),
            ),
            preliminary_on_time=Count(
                "pk", filter=Q(preliminary_decided_on__lte=F("preliminary_assessment_due"))
            ),
            preliminary_basis=Count(
                "pk",
                filter=Q(preliminary_decided_on__isnull=False)
                | Q(preliminary_assessment_due__lt=today),
            ),
            feedback_on_time=Count("pk", filter=LessThanOrEqual(delivered_on, F("feedback__due"))),
            feedback_basis=Count(
                "pk",
                filter=Q(feedback__delivered_at__isnull=False) | Q(feedback__due__lt=today),
            ),
        )
        self.count_names = list(aggregates)
        return list(
            self.reports.annotate(escalation_count=escalations)
            .values("responsible_municipality_id", "controller_id", "escalation_count")
            .annotate(**aggregates)
        )

    @cached_property
    def report_counts(self) -> dict[str, int]:
        """Every count over the eligible reports (summed over the groups)."""
        totals: dict[str, int] = defaultdict(int)
        groups = self.report_groups
        for key in [*self.count_names, "escalated", "escalations"]:  # 0 without reports
            totals[key] = 0
        for row in groups:
            for key, value in row.items():
                if key not in ("responsible_municipality_id", "controller_id", "escalation_count"):
                    totals[key] += value
            if row["escalation_count"]:
                totals["escalated"] += row["total"]
                totals["escalations"] += row["escalation_count"] * row["total"]
        return dict(totals)

    @cached_property
    def organisations(self) -> dict[int, dict[str, Any]]:
        ids = {r["responsible_municipality_id"] for r in self.report_groups} | {
            r["controller_id"] for r in self.report_groups
        }
        return {
            o["pk"]: dict(o)
            for o in Organisation.objects.filter(pk__in=ids).values("pk", "code", "name", "kind")
        }

    @cached_property
    def by_controller(self) -> list[dict[str, Any]]:
        counts: dict[tuple[int, int], int] = defaultdict(int)
        for row in self.report_groups:
            counts[row["responsible_municipality_id"], row["controller_id"]] += row["total"]
        organisations = self.organisations
        return [
            {
                "responsible_municipality__code": organisations[responsible]["code"],
                "controller_id": controller,
                "controller__code": organisations[controller]["code"],
                "controller__name": organisations[controller]["name"],
                "controller__kind": organisations[controller]["kind"],
                "n": n,
            }
            for (responsible, controller), n in counts.items()
        ]

    @cached_property
    def not_eligible_groups(self) -> list[dict[str, Any]]:
        aggregates: dict[str, Any] = {
            code: Count("pk", filter=Q(reasons__icontains=f'"{code}"')) for code in Reason.ALL
        }
        aggregates["records"] = Count("pk")
        return list(self.not_eligible.values("home_municipality").annotate(**aggregates))

    @cached_property
    def not_eligible_counts(self) -> dict[str, int]:
        totals = dict.fromkeys([*Reason.ALL, "records"], 0)
        for row in self.not_eligible_groups:
            for key in totals:
                totals[key] += row[key]
        return totals

    @cached_property
    def time_of_day(self) -> list[tuple[int, int, bool, int]]:
        """(hour, ISO weekday, holiday or eve, count) in Swedish time, every report."""
        changes = _offset_changes(self.start, self.end)
        ranges = _holiday_ranges(self.period)
        parts = []
        for queryset, field in ((self.reports, "received_at"), (self.not_eligible, "decided_at")):
            holiday: Any = Value(0, output_field=IntegerField())
            if ranges:
                during = Q()
                for first, after in ranges:
                    during |= Q(**{f"{field}__gte": first, f"{field}__lt": after})
                holiday = Case(When(during, then=Value(1)), default=Value(0))
            parts.append(
                queryset.annotate(
                    hour=_local_hour(field, changes),
                    weekday=_local_iso_weekday(field, changes),
                    holiday=holiday,
                )
                .values("hour", "weekday", "holiday")
                .annotate(n=Count("pk"))
            )
        return [
            (row["hour"], row["weekday"], bool(row["holiday"]), row["n"])
            for row in parts[0].union(parts[1], all=True)
        ]

    @cached_property
    def durations(self) -> dict[str, DurationSummary]:
        """The three durations from receipt, in two queries."""
        counts = self.report_counts
        found: dict[str, DurationSummary] = _summaries(
            self.reports,
            {
                "accepted": ("accepted_at", "received_at"),
                "protection": ("protection_assessed_at", "received_at"),
            },
            counts={"accepted": counts["accepted"], "protection": counts["protection"]},
            whole_minutes=True,
        )
        # The first attempt is a look-up per report: only the reports with one, counted
        # by the window, so that the look-up is not repeated for a count.
        attempted = self.reports.annotate(first_attempt_at=_first_attempt()).filter(
            first_attempt_at__isnull=False
        )
        found |= _summaries(
            attempted,
            {"first_attempt": ("first_attempt_at", "received_at")},
            complete=True,
            whole_minutes=True,
        )
        return found

    @cached_property
    def information_requests(self) -> dict[str, Any]:
        """Requests sent, answered and the answer time, in one query."""
        requests = InformationRequest.objects.filter(
            report__in=self.reports.values("pk")
        ).order_by()
        found = _summaries(
            requests, {"answer": ("answered_at", "sent_at")}, rows=True, whole_minutes=True
        )
        return {"sent": found["rows"], "answered": found["answer"].n, "answer": found["answer"]}


# --- Swedish local time and durations in plain SQL ----------------------------------
#
# Django's SQLite backend computes time-zone extraction, date truncation and
# timestamp differences with Python functions called once per row; at 100,000
# reports a year those calls, not the scans, were most of the dashboard's time.
# The expressions below are Django's own on PostgreSQL (native there) and plain
# SQLite date functions on SQLite, with the Stockholm UTC offset chosen by a
# CASE over the offset changes (daylight saving time) in the period, computed
# here from the time-zone database. Both give the same values.


def _offset_changes(start: datetime, end: datetime) -> list[tuple[datetime, timedelta]]:
    """Stockholm's UTC offset from `start` on, and every change of it before `end`."""
    epoch_start, epoch_end = int(start.timestamp()), int(end.timestamp())

    def offset(second: int) -> timedelta:
        return datetime.fromtimestamp(second, STOCKHOLM).utcoffset() or timedelta(0)

    changes = [(datetime.fromtimestamp(epoch_start, UTC), offset(epoch_start))]
    day = 86400
    low = epoch_start
    while low < epoch_end:
        high = min(low + day, epoch_end)
        if offset(high) != changes[-1][1]:
            a, b = low, high  # offset(a) is the current one, offset(b) the next
            while b - a > 1:
                middle = (a + b) // 2
                if offset(middle) == changes[-1][1]:
                    a = middle
                else:
                    b = middle
            changes.append((datetime.fromtimestamp(b, UTC), offset(b)))
        low = high
    return changes


def _sqlite_offset(field: str, changes: list[tuple[datetime, timedelta]]) -> Expression:
    """An SQLite date-function modifier ('+3600 seconds') with Stockholm's offset at `field`."""

    def modifier(offset: timedelta) -> Value:
        return Value(f"{int(offset.total_seconds()):+d} seconds")

    if len(changes) == 1:
        return modifier(changes[0][1])
    whens = [
        When(**{f"{field}__lt": at}, then=modifier(before))
        for (_, before), (at, _after) in itertools.pairwise(changes)
    ]
    return Case(*whens, default=modifier(changes[-1][1]), output_field=CharField())


class _PerVendor(Func):
    """Django's portable expression, or a plain-SQL equivalent on SQLite."""

    def __init__(self, portable: Expression, sqlite: Expression, output_field: Any) -> None:
        super().__init__(portable, sqlite, output_field=output_field)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        return compiler.compile(self.get_source_expressions()[0])

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        return compiler.compile(self.get_source_expressions()[1])


def _local_hour(field: str, changes: list[tuple[datetime, timedelta]]) -> Expression:
    sqlite = Cast(
        Func(Value("%H"), F(field), _sqlite_offset(field, changes), function="strftime"),
        IntegerField(),
    )
    return _PerVendor(ExtractHour(field, tzinfo=STOCKHOLM), sqlite, IntegerField())


def _local_iso_weekday(field: str, changes: list[tuple[datetime, timedelta]]) -> Expression:
    # strftime('%w') is 0 for Sunday; ISO numbers Monday 1 … Sunday 7.
    weekday = Cast(
        Func(Value("%w"), F(field), _sqlite_offset(field, changes), function="strftime"),
        IntegerField(),
    )
    sqlite = (weekday + Value(6)) % Value(7) + Value(1)
    return _PerVendor(ExtractIsoWeekDay(field, tzinfo=STOCKHOLM), sqlite, IntegerField())


def _local_date(field: str, changes: list[tuple[datetime, timedelta]]) -> Expression:
    sqlite = Func(F(field), _sqlite_offset(field, changes), function="date")
    return _PerVendor(TruncDate(field, tzinfo=STOCKHOLM), sqlite, DateField())


class _SqliteMicroseconds(Func):
    """`end - start` in microseconds from SQLite's text timestamps (what Django's
    Python function returns): whole seconds by strftime('%s'), the fraction from
    the text ('YYYY-MM-DD HH:MM:SS.ffffff')."""

    output_field = IntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        (end, end_params), (start, start_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        seconds = f"(CAST(strftime(%s, {end}) AS INTEGER) - CAST(strftime(%s, {start}) AS INTEGER))"
        fraction = f"(CAST(substr({end}, 21) AS INTEGER) - CAST(substr({start}, 21) AS INTEGER))"
        sql = f"({seconds} * 1000000 + {fraction})"
        params = ["%s", *end_params, "%s", *start_params, *end_params, *start_params]
        return sql, params


def _elapsed(end: Any, start: str) -> Expression:
    """`end - start` as a duration, NULL where `end` is."""
    portable = ExpressionWrapper(end - F(start), output_field=DurationField())
    return _PerVendor(portable, _SqliteMicroseconds(end, F(start)), DurationField())


def _rank_filter(rank: str, n: str) -> Q:
    """The median's and the nearest-rank p90's ranks among n (a column), in SQL.

    The same ranks as `stats.median_ranks` ((n+1) div 2 and n div 2 + 1) and
    `stats.rank_for_percentile(n, 90)` (⌈9n/10⌉ = (9n+9) div 10), by integer
    division on both databases.
    """
    count = F(n)
    return (
        Q(**{rank: (count + 1) / 2})
        | Q(**{rank: count / 2 + 1})
        | Q(**{rank: (count * 9 + 9) / 10})
    )


Measure = tuple[Any, str]  # (end: a field name or an expression, NULL when not done; start field)


def _summaries(
    queryset: QuerySet[Any],
    measures: dict[str, Measure],
    counts: dict[str, int] | None = None,
    *,
    rows: bool = False,
    complete: bool = False,
    whole_minutes: bool = False,
) -> dict[str, Any]:
    """Count, median and p90 of several durations `end - start` over the same rows, one query.

    Each measure's duration is ranked by `ROW_NUMBER() OVER (ORDER BY duration
    NULLS LAST, pk)` (rows without the step rank last) and only the rows at the
    median's and p90's ranks come back: at most three rows per measure. Where
    `counts` gives how many rows have the step (known from another query) the
    ranks are constants; otherwise they are computed from `COUNT(duration)
    OVER ()`, or with `complete` (the queryset holds only rows with every step)
    from `COUNT(*) OVER ()`, which does not evaluate the duration again. With
    `rows`, also the number of rows in the queryset. With `whole_minutes`, the
    durations at the ranks are floored to the minute (as the daily summaries
    count them; flooring keeps the order) before the median is taken.
    """
    counts = counts or {}
    annotations: dict[str, Any] = {}
    wanted = Q()
    for name, (end, start) in measures.items():
        annotations[f"{name}_d"] = _elapsed(F(end) if isinstance(end, str) else end, start)
        annotations[f"{name}_rank"] = Window(
            RowNumber(), order_by=[F(f"{name}_d").asc(nulls_last=True), F("pk").asc()]
        )
        if name not in counts:
            annotations[f"{name}_n"] = Window(Count("pk" if complete else f"{name}_d"))
            wanted |= _rank_filter(f"{name}_rank", f"{name}_n")
        elif counts[name]:
            wanted |= Q(**{f"{name}_rank__in": _wanted_ranks(counts[name])})
    if rows:
        annotations["rows"] = Window(Count("pk"))
    found: list[dict[str, Any]] = []
    if wanted:
        ranked = queryset.order_by().annotate(**annotations).filter(wanted)
        found = list(ranked.values(*annotations))
    result: dict[str, Any] = {}
    if rows:
        result["rows"] = found[0]["rows"] if found else 0
    for name in measures:
        if name in counts:
            n = counts[name]
        else:
            n = found[0][f"{name}_n"] if found else 0
        at_rank = {
            row[f"{name}_rank"]: (
                timedelta(minutes=row[f"{name}_d"] // timedelta(minutes=1))
                if whole_minutes
                else row[f"{name}_d"]
            )
            for row in found
            if row[f"{name}_rank"] <= n and row[f"{name}_d"] is not None
        }
        result[name] = _summary(n, at_rank)
    return result


def duration_summary(
    queryset: QuerySet[Any], end: Expression | Subquery | str, start: str
) -> DurationSummary:
    """Count, median and nearest-rank 90th percentile of `end - start` where `end` is set."""
    summary: DurationSummary = _summaries(queryset, {"m": (end, start)})["m"]
    return summary


def _reports(period: Period, scope: Scope) -> QuerySet[ConcernReport]:
    start, end = period.bounds()
    return ConcernReport.objects.filter(
        scope.report_filter(), received_at__gte=start, received_at__lt=end
    ).order_by()


def _not_eligible(period: Period, scope: Scope) -> QuerySet[NotEligibleRecord]:
    start, end = period.bounds()
    return NotEligibleRecord.objects.filter(
        scope.not_eligible_filter(), decided_at__gte=start, decided_at__lt=end
    ).order_by()


def _holidays(period: Period) -> list[date]:
    return [day for day in period.days() if is_public_holiday(day)]


def _holiday_ranges(period: Period) -> list[tuple[datetime, datetime]]:
    """Public holidays and eves in the period as half-open ranges of instants (Swedish days)."""
    ranges: list[tuple[datetime, datetime]] = []
    for day in _holidays(period):
        first = datetime.combine(day, time.min, tzinfo=STOCKHOLM)
        after = datetime.combine(day + timedelta(days=1), time.min, tzinfo=STOCKHOLM)
        if ranges and ranges[-1][1] == first:
            ranges[-1] = (ranges[-1][0], after)
        else:
            ranges.append((first, after))
    return ranges


def _first_attempt() -> Subquery:
    return Subquery(
        HandoverAttempt.objects.filter(handover__report=OuterRef("pk"))
        .order_by("at")
        .values("at")[:1],
        output_field=DateTimeField(),
    )
