"""Follow-up figures computed in the database: counts by GROUP BY, percentiles by rank.

Nothing here loads report rows into Python. The single-entry dashboard's
counts come from one grouped query over the period's reports (conditional
`COUNT(...) FILTER (...)`, a bounded number of groups summed here), the time
of day from one more, and each median or 90th percentile from
`ROW_NUMBER() OVER (ORDER BY duration NULLS LAST, pk)`: the outer query keeps
only the rows at the nearest ranks (`stats.rank_for_percentile`,
`stats.median_ranks`), so the database returns at most three durations per
figure. The same SQL runs on SQLite and PostgreSQL, except that on SQLite
local time and durations are plain SQLite date functions instead of
Django's per-row Python functions (see `_PerVendor`).

Cohort: every single-entry figure is about the reports *received* in the
period (eligible `ConcernReport`s and anonymous `NotEligibleRecord`s) and
what has happened to them so far.

No personal data leaves this module: only counts, durations and the names
of organisations.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from operator import itemgetter
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
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import (
    Cast,
    ExtractHour,
    ExtractIsoWeekDay,
    RowNumber,
    TruncDate,
)
from django.utils import timezone

from samverkan.agreements.models import Agreement, AgreementTypeCode, PartyRole
from samverkan.core.calendar import STOCKHOLM, is_public_holiday, local_date
from samverkan.followup import stats, summaries
from samverkan.followup.models import DailyFigure, MonthlyFigure, MonthlyHistogram
from samverkan.followup.periods import Period
from samverkan.followup.tables import Dashboard, Row, Table
from samverkan.intake.models import (
    ConcernReport,
    HandoverAttempt,
    NotEligibleRecord,
)
from samverkan.intake.rules import REASON_LABELS, Reason
from samverkan.registry.models import Organisation, OrganisationKind

WEEKDAYS = ["Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag", "Lördag", "Söndag"]
HOLIDAY_LABEL = "Helgdag eller helgafton"
UNKNOWN_MUNICIPALITY = "Okänd bosättningskommun"

# --- scope ------------------------------------------------------------------------


MAPPING_THEN = "dåvarande"
MAPPING_TODAY = "dagens"
MAPPING_LABELS = {
    MAPPING_THEN: "som organisationerna var vid tidpunkten",
    MAPPING_TODAY: "överförda till dagens organisationer",
}
MAPPING_NOTES = {
    MAPPING_THEN: (
        "Organisationer visas som de var vid tidpunkten: en anmälan räknas på det "
        "stadsdelsområde som tog emot den, även om det senare har upphört."
    ),
    MAPPING_TODAY: (
        "Organisationer visas överförda till dagens organisationer: anmälningar till ett "
        "stadsdelsområde som har upphört räknas på dess efterträdare (till exempel "
        "Spånga-Tensta och Rinkeby-Kista på Järva)."
    ),
}


@dataclass(frozen=True)
class Scope:
    """Which reports a dashboard counts: all, one organisation's, or one agreement's parties.

    `mapping` (issue 10): ``MAPPING_THEN`` counts a report on the organisation it had
    at the time; ``MAPPING_TODAY`` on the organisation that has since taken over
    (an organisation chosen then also covers its predecessors).
    """

    organisation: Organisation | None = None
    agreement: Agreement | None = None
    mapping: str = MAPPING_THEN

    @property
    def mapped(self) -> bool:
        return self.mapping == MAPPING_TODAY

    def organisation_ids(self) -> set[int]:
        """The chosen organisation, and with `mapped` also every organisation it took over."""
        assert self.organisation is not None
        if not self.mapped:
            return {self.organisation.pk}
        from samverkan.registry.changes import predecessors_of

        return predecessors_of(self.organisation)

    @property
    def label(self) -> str:
        if self.organisation is not None:
            return self.organisation.name
        if self.agreement is not None:
            return self.agreement.title
        return "Alla kommuner"

    @property
    def everything(self) -> bool:
        """Every municipality's reports and records count."""
        return self.organisation is None and self.agreement is None

    def municipality_codes(self) -> set[str] | None:
        """Codes whose reports count, or None for all."""
        if self.organisation is not None:
            return {self.organisation.code}
        if self.agreement is not None:
            return set(
                self.agreement.parties.filter(
                    organisation__kind=OrganisationKind.MUNICIPALITY
                ).values_list("organisation__code", flat=True)
            )
        return None

    def report_filter(self) -> Q:
        if self.organisation is not None:
            if self.organisation.kind == OrganisationKind.DISTRICT:
                return Q(controller_id__in=self.organisation_ids())
            return Q(responsible_municipality_id__in=self.organisation_ids())
        codes = self.municipality_codes()
        if codes is None:
            return Q()
        return Q(responsible_municipality__code__in=codes)

    def not_eligible_filter(self) -> Q:
        codes = self.municipality_codes()
        if codes is None:
            return Q()
        return Q(home_municipality__in=codes)

    def responsible_organisation_ids(self) -> set[int] | None:
        """The organisations responsible for the figures (None: many, i.e. all)."""
        if self.organisation is not None:
            return {self.organisation.pk}
        if self.agreement is not None:
            providers = set(
                self.agreement.parties.filter(role=PartyRole.PROVIDER).values_list(
                    "organisation_id", flat=True
                )
            )
            return providers or None
        return None


def scope_choices() -> tuple[list[Organisation], list[Agreement]]:
    organisations = list(
        Organisation.objects.filter(
            kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.DISTRICT]
        ).order_by("kind", "name")
    )
    agreements = list(
        Agreement.objects.filter(
            type__code__in=[AgreementTypeCode.SINGLE_ENTRY, AgreementTypeCode.DEFECTOR_SERVICES]
        ).order_by("title")
    )
    return organisations, agreements


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


# --- percentiles in the database ----------------------------------------------------


@dataclass(frozen=True)
class DurationSummary:
    n: int
    median: timedelta | None
    p90: timedelta | None


def _summary(n: int, at_rank: dict[int, timedelta]) -> DurationSummary:
    if not n:
        return DurationSummary(0, None, None)
    low, high = stats.median_ranks(n)
    median = stats.mean_of_two(at_rank[low], at_rank[high])
    return DurationSummary(n, median, at_rank[stats.rank_for_percentile(n, 90)])


def _wanted_ranks(n: int) -> list[int]:
    low, high = stats.median_ranks(n)
    return sorted({low, high, stats.rank_for_percentile(n, 90)})


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


# --- the single-entry dashboard ---------------------------------------------------------


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


class _Source:
    """The period's figures for the tables, read from the summaries (ADR 0008).

    After the period's stale days are refreshed: the monthly rows for the whole
    months of the period and the daily rows for the days at its ends, in two
    grouped reads each (counts per organisation; durations and time of day per
    value), and one look-up of organisation names. For all municipalities the
    whole months' durations and times of day come from `MonthlyHistogram`, which
    does not grow with the reports. The same attributes as the direct
    computation the tests compare it with (`tests/oracle.py`).
    """

    def __init__(self, period: Period, scope: Scope, now: datetime) -> None:
        self.period = period
        self.scope = scope
        self.now = now
        summaries.refresh(period.first, period.last)
        months, edges = summaries.whole_months(period.first, period.last)
        in_scope = _summary_scope(scope)
        days = Q(pk__in=[])
        for first, last in edges:
            days |= Q(day__gte=first, day__lte=last)
        self.daily = DailyFigure.objects.filter(days).filter(in_scope).order_by()
        self.monthly = MonthlyFigure.objects.filter(month__in=months).filter(in_scope).order_by()
        self.histograms: QuerySet[Any] = (
            MonthlyHistogram.objects.filter(month__in=months).order_by()
            if scope.everything
            else self.monthly
        )

    @cached_property
    def _counts(self) -> list[dict[str, Any]]:
        """Counts per organisation, measure and value (durations and hours summed apart)."""
        fields = ("responsible_id", "controller_id", "home_municipality", "metric", "value")
        return _summed(
            [rows.exclude(metric__in=summaries.HISTOGRAMS) for rows in (self.daily, self.monthly)],
            fields,
        )

    @cached_property
    def _values(self) -> dict[str, list[tuple[int, int]]]:
        """(value, count) per duration measure and for the time of day, in value order."""
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        rows = _summed(
            [
                rows.filter(metric__in=summaries.HISTOGRAMS)
                for rows in (self.daily, self.histograms)
            ],
            ("metric", "value"),
        )
        for row in sorted(rows, key=itemgetter("metric", "value")):
            found[row["metric"]].append((row["value"], row["total"]))
        return found

    @cached_property
    def report_counts(self) -> dict[str, int]:
        today = local_date(self.now).toordinal()
        now = summaries.microseconds(self.now)
        totals: dict[str, int] = defaultdict(int)
        for row in self._counts:
            metric, value, n = row["metric"], row["value"], row["total"]
            if metric == "received":
                totals["total"] += n
                if value:
                    totals["escalated"] += n
                    totals["escalations"] += value * n
            elif metric == "protection_open":
                totals["protection_basis"] += n if value < now else 0
            elif metric in ("preliminary_open", "feedback_open"):
                totals[metric.replace("_open", "_basis")] += n if value < today else 0
            else:
                totals[metric] += n
        durations = self._values
        for name in ("accepted", "protection"):
            totals[name] = sum(n for _, n in durations[name])
        totals["protection_basis"] += totals["protection"]
        totals["preliminary_basis"] += totals["preliminary"]
        totals["feedback_basis"] += totals["feedback_delivered"]
        totals["repeats"] = totals["repeat"]
        names = [
            "total",
            "handed_over",
            "accepted",
            "protection",
            "preliminary",
            "repeats",
            "protection_on_time",
            "protection_basis",
            "preliminary_on_time",
            "preliminary_basis",
            "feedback_on_time",
            "feedback_basis",
            "escalated",
            "escalations",
        ]
        return {name: totals[name] for name in names}

    @cached_property
    def by_controller(self) -> list[dict[str, Any]]:
        counts: dict[tuple[int, int], int] = defaultdict(int)
        for row in self._counts:
            if row["metric"] == "received":
                counts[row["responsible_id"], row["controller_id"]] += row["total"]
        ids = {i for pair in counts for i in pair}
        organisations = {
            o["pk"]: o
            for o in Organisation.objects.filter(pk__in=ids).values("pk", "code", "name", "kind")
        }
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
        groups: dict[str, dict[str, Any]] = {}
        for row in self._counts:
            if row["metric"] not in ("ne", "ne_reason"):
                continue
            home = row["home_municipality"]
            group = groups.setdefault(
                home, {"home_municipality": home, "records": 0, **dict.fromkeys(Reason.ALL, 0)}
            )
            if row["metric"] == "ne":
                group["records"] += row["total"]
            else:
                group[Reason.ALL[row["value"]]] += row["total"]
        return list(groups.values())

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
        counts: dict[int, int] = defaultdict(int)
        for metric in ("hour", "ne_hour"):
            for value, n in self._values[metric]:
                counts[value] += n
        return [
            (value // 8, value % 8 + 1 if value % 8 < 7 else 0, value % 8 == 7, n)
            for value, n in counts.items()
        ]

    @cached_property
    def durations(self) -> dict[str, DurationSummary]:
        return {name: self._duration(name) for name in ("accepted", "protection", "first_attempt")}

    def _duration(self, name: str) -> DurationSummary:
        """Count, median and p90 from the histogram of whole minutes."""
        histogram = self._values[name]
        n = sum(count for _, count in histogram)
        if not n:
            return _summary(0, {})
        wanted = set(_wanted_ranks(n))
        at_rank: dict[int, timedelta] = {}
        seen = 0
        for value, count in histogram:
            for rank in [r for r in wanted if seen < r <= seen + count]:
                at_rank[rank] = timedelta(minutes=value)
            seen += count
        return _summary(n, at_rank)

    @cached_property
    def information_requests(self) -> dict[str, Any]:
        answer = self._duration("answer")
        sent = sum(row["total"] for row in self._counts if row["metric"] == "request")
        return {"sent": sent, "answered": answer.n, "answer": answer}


def _summed(sources: list[QuerySet[Any]], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """The sum of `n` per `fields` over several summary tables, as one list of rows."""
    totals: dict[tuple[Any, ...], int] = defaultdict(int)
    for rows in sources:
        for row in rows.values_list(*fields).annotate(total=Sum("n")):
            totals[row[:-1]] += row[-1]
    return [{**dict(zip(fields, key, strict=True)), "total": n} for key, n in totals.items()]


def _summary_scope(scope: Scope) -> Q:
    """`Scope.report_filter` and `not_eligible_filter` on the summary rows."""
    reports = Q()
    if scope.organisation is not None:
        ids = scope.organisation_ids()
        if scope.organisation.kind == OrganisationKind.DISTRICT:
            reports = Q(controller_id__in=ids)
        else:
            reports = Q(responsible_id__in=ids)
    elif (codes := scope.municipality_codes()) is not None:
        reports = Q(responsible_id__in=Organisation.objects.filter(code__in=codes).values("pk"))
    records = Q()
    if (codes := scope.municipality_codes()) is not None:
        records = Q(home_municipality__in=codes)
    return (Q(metric__in=summaries.REPORT_METRICS) & reports) | (
        Q(metric__in=summaries.NOT_ELIGIBLE_METRICS) & records
    )


def _count_rows(
    slug: str,
    title: str,
    column: str,
    items: Sequence[tuple[str, str, int]],
    *,
    suppress: bool,
    limit: int,
    chart: bool = False,
    note: str = "",
    total_label: str = "Totalt",
    hide_total: bool = False,
) -> Table:
    cells, total = stats.suppress_list(
        [n for _, _, n in items], limit=limit, enabled=suppress, hide_total=hide_total
    )
    return Table(
        slug=slug,
        title=title,
        columns=[column],
        rows=[Row(key, label, [cell]) for (key, label, _), cell in zip(items, cells, strict=True)],
        total=Row("total", total_label, [total]),
        chart=chart,
        note=note,
        limit=limit,
    )


def _eligibility(by_municipality: Table) -> Table:
    """The margins of the table per municipality: the same cells, hidden the same way."""
    assert by_municipality.total is not None
    eligible, not_eligible, total = by_municipality.total.cells
    return Table(
        slug="eligibility",
        title="Mottagna anmälningar",
        columns=["Antal"],
        rows=[
            Row("eligible", "Omfattas av en ingång", [eligible]),
            Row("not_eligible", "Omfattas inte av en ingång", [not_eligible]),
        ],
        total=Row("total", "Mottagna totalt", [total]),
        chart=True,
        limit=by_municipality.limit,
    )


def _reasons(source: _Source, suppress: bool, limit: int, not_eligible: stats.Cell) -> Table:
    counts = source.not_eligible_counts
    # Each reason is at most the reports not eligible (the table per municipality's total).
    cells = stats.suppress_each_within(
        [counts[code] or 0 for code in Reason.ALL],
        whole=not_eligible,
        limit=limit,
        enabled=suppress,
    )
    rows = [
        Row(code, REASON_LABELS[code], [cell]) for code, cell in zip(Reason.ALL, cells, strict=True)
    ]
    return Table(
        slug="not_eligible_reasons",
        title="Skäl till att anmälan inte omfattas",
        columns=["Antal"],
        rows=rows,
        total=Row(
            "total",
            "Anmälningar som inte omfattas",
            [not_eligible],  # as in the table per municipality, which adds it up
        ),
        chart=True,
        note="En anmälan kan ha flera skäl; skälen summerar därför inte till totalen.",
        limit=limit,
    )


def _by_municipality(source: _Source, suppress: bool, limit: int) -> Table:
    eligible: dict[str, int] = defaultdict(int)
    for row in source.by_controller:
        eligible[row["responsible_municipality__code"]] += row["n"]
    not_eligible = {row["home_municipality"]: row["records"] for row in source.not_eligible_groups}
    codes = sorted(set(eligible) | set(not_eligible), key=lambda c: (c == "", c))
    names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    table = stats.suppress_table(
        [[eligible.get(code, 0), not_eligible.get(code, 0)] for code in codes],
        limit=limit,
        enabled=suppress,
        columns=2,
    )
    rows = [
        Row(code or "unknown", names.get(code, code) or UNKNOWN_MUNICIPALITY, [*cells, total])
        for code, cells, total in zip(codes, table.cells, table.row_totals, strict=True)
    ]
    return Table(
        slug="by_municipality",
        title="Anmälningar per kommun",
        columns=["Omfattas", "Omfattas inte", "Totalt"],
        rows=rows,
        total=Row("total", "Totalt", [*table.column_totals, table.total]),
        note=(
            "Anmälningar som omfattas räknas på ansvarig (mottagande) kommun, "
            "anmälningar som inte omfattas på uppgiven bosättningskommun."
        ),
        limit=limit,
    )


def _by_district(source: _Source, suppress: bool, limit: int, by_municipality: Table) -> Table:
    """The districts' counts: parts of their municipality's count in the table per municipality.

    A district's reports are its municipality's (the responsible one), so the
    districts add up to at most that count (`stats.suppress_parts`).
    """
    found = [r for r in source.by_controller if r["controller__kind"] == OrganisationKind.DISTRICT]
    municipalities = {r["responsible_municipality__code"] for r in found}
    if source.scope.mapped:
        found = _mapped_onto_today(found)
    totals: dict[tuple[str, str], int] = {}
    for r in found:
        key = (r["controller__code"], r["controller__name"])
        totals[key] = totals.get(key, 0) + r["n"]
    rows = sorted(totals.items(), key=lambda item: item[0][1])
    # Districts belong to one municipality (Stockholm), whose count is the whole.
    eligible = [row.cells[0] for row in by_municipality.rows if row.key in municipalities]
    whole = stats.Cell(None, stats.SECONDARY if any(c.hidden for c in eligible) else "")
    cells, total = stats.suppress_parts(
        [n for _, n in rows], whole=whole, limit=limit, enabled=suppress
    )
    return Table(
        slug="by_district",
        title="Anmälningar per stadsdelsområde (Stockholm)",
        columns=["Antal"],
        rows=[Row(code, name, [cell]) for ((code, name), _), cell in zip(rows, cells, strict=True)],
        total=Row("total", "Totalt", [total]),
        limit=limit,
    )


def _mapped_onto_today(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's controller replaced by the organisation that has taken it over since."""
    from samverkan.registry.changes import successor_map

    mapping = successor_map({r["controller_id"] for r in rows})
    now = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=set(mapping.values())).only("code", "name")
    }
    return [
        {
            **r,
            "controller_id": mapping[r["controller_id"]],
            "controller__code": now[mapping[r["controller_id"]]].code,
            "controller__name": now[mapping[r["controller_id"]]].name,
        }
        for r in rows
    ]


def _by_hour(source: _Source, suppress: bool, limit: int, hide_total: bool) -> Table:
    counts = [0] * 24
    for hour, _weekday, _holiday, n in source.time_of_day:
        counts[hour] += n
    return _count_rows(
        "by_hour",
        "Mottagna anmälningar per timme på dygnet",
        "Antal",
        [(f"{h:02d}", f"{h:02d}–{h + 1:02d}", counts[h]) for h in range(24)],
        suppress=suppress,
        limit=limit,
        chart=True,
        note="Svensk tid. Timmen då anmälan togs emot, alla anmälningar.",
        hide_total=hide_total,
    )


def _by_weekday(source: _Source, suppress: bool, limit: int, hide_total: bool) -> Table:
    counts = [0] * 8  # Monday..Sunday that are not holidays, then holidays and eves
    for _hour, weekday, holiday, n in source.time_of_day:
        counts[7 if holiday else weekday - 1] += n
    labels = [*WEEKDAYS, HOLIDAY_LABEL]
    keys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"]
    return _count_rows(
        "by_weekday",
        "Mottagna anmälningar per veckodag och helgdag",
        "Antal",
        [(keys[i], labels[i], counts[i]) for i in range(8)],
        suppress=suppress,
        limit=limit,
        chart=True,
        note="Helgdagar och helgaftnar (midsommar-, jul- och nyårsafton) räknas för sig.",
        hide_total=hide_total,
    )


def _first_attempt() -> Subquery:
    return Subquery(
        HandoverAttempt.objects.filter(handover__report=OuterRef("pk"))
        .order_by("at")
        .values("at")[:1],
        output_field=DateTimeField(),
    )


def _information(source: _Source, suppress: bool, limit: int) -> tuple[stats.Cell, ...]:
    """Requests sent, answered and unanswered: sent is their sum, hidden as one."""
    requests = source.information_requests
    (answered, unanswered), sent = stats.suppress_list(
        [requests["answered"], requests["sent"] - requests["answered"]],
        limit=limit,
        enabled=suppress,
    )
    return sent, answered, unanswered


def _times(source: _Source, suppress: bool, limit: int) -> Table:
    durations = source.durations
    measures = [
        ("first_attempt", "Till första överlämningsförsök", durations["first_attempt"]),
        ("accepted", "Till mottagen av ansvarig kommun", durations["accepted"]),
        ("protection", "Till omedelbar skyddsbedömning", durations["protection"]),
        (
            "information_answer",
            "Svarstid för informationsbegäran",
            source.information_requests["answer"],
        ),
    ]
    counted = {"information_answer": _information(source, suppress, limit)[1]}
    rows = []
    for key, label, summary in measures:
        small = suppress and summary.n < limit
        rows.append(
            Row(
                key,
                label,
                [
                    counted.get(key)
                    or stats.suppress_count(summary.n, limit=limit, enabled=suppress),
                    stats.hide_if(summary.median, hide=small),
                    stats.hide_if(summary.p90, hide=small),
                ],
            )
        )
    return Table(
        slug="times",
        title="Tider från mottagen anmälan",
        columns=["Antal", "Median", "90:e percentilen"],
        rows=rows,
        note=(
            "Median och 90:e percentil (närmaste rang) bland anmälningarna där steget är gjort. "
            "I exporterna anges tider i minuter."
        ),
        limit=limit,
    )


def _deadlines(source: _Source, suppress: bool, limit: int) -> Table:
    counts = source.report_counts
    measures = [
        (
            "protection",
            "Omedelbar skyddsbedömning i tid",
            counts["protection_on_time"],
            counts["protection_basis"],
        ),
        (
            "preliminary",
            "Förhandsbedömning inom 14 dagar",
            counts["preliminary_on_time"],
            counts["preliminary_basis"],
        ),
        (
            "feedback",
            "Återkoppling till anmälaren i tid",
            counts["feedback_on_time"],
            counts["feedback_basis"],
        ),
    ]
    table = stats.suppress_table(
        [[on_time, basis - on_time] for _, _, on_time, basis in measures],
        limit=limit,
        enabled=suppress,
        column_relations=False,
    )
    rows = []
    for (key, label, on_time, basis), cells, total in zip(
        measures, table.cells, table.row_totals, strict=True
    ):
        share = round(100 * on_time / basis, 1) if basis else None
        hide_share = any(cell.hidden for cell in (*cells, total))
        rows.append(Row(key, label, [*cells, total, stats.hide_if(share, hide=hide_share)]))
    return Table(
        slug="deadlines",
        title="Tidsfrister",
        columns=["I tid", "Inte i tid", "Underlag", "Andel i tid (%)"],
        rows=rows,
        note=(
            "Underlag: gjorda, och ännu inte gjorda vars frist har gått ut. "
            "Förhandsbedömningens frist är 14 dagar, flyttad till nästa vardag."
        ),
        limit=limit,
    )


def _activity(source: _Source, suppress: bool, limit: int) -> Table:
    counts = source.report_counts
    items = [
        ("handed_over", "Överlämnade", counts["handed_over"]),
        ("accepted", "Mottagna av ansvarig kommun", counts["accepted"]),
        ("escalated_reports", "Eskalerade anmälningar", counts["escalated"]),
        ("escalations", "Eskaleringar", counts["escalations"]),
        ("protection", "Omedelbara skyddsbedömningar", counts["protection"]),
        ("preliminary", "Förhandsbedömningar beslutade", counts["preliminary"]),
        ("repeats", "Upprepade anmälningar (samma barn)", counts["repeats"]),
    ]
    information = zip(
        ("information_sent", "information_answered", "information_open"),
        (
            "Informationsbegäranden skickade",
            "Informationsbegäranden besvarade",
            "Informationsbegäranden obesvarade",
        ),
        _information(source, suppress, limit),
        strict=True,
    )
    return Table(
        slug="activity",
        title="Överlämning, eskalering och informationsbegäran",
        columns=["Antal"],
        rows=[
            *(
                Row(key, label, [stats.suppress_count(n, limit=limit, enabled=suppress)])
                for key, label, n in items
            ),
            *(Row(key, label, [cell]) for key, label, cell in information),
        ],
        note="Anmälningar som omfattas av en ingång och togs emot under perioden.",
        limit=limit,
    )


def single_entry_dashboard(
    *, period: Period, scope: Scope, suppress: bool, now: datetime | None = None
) -> Dashboard:
    """Every single-entry figure for the period and scope, suppressed or not."""
    now = now or timezone.now()
    return dashboard_from(_Source(period, scope, now), suppress=suppress)


def dashboard_from(source: Any, *, suppress: bool) -> Dashboard:
    """The single-entry tables from a source of figures (the summaries; in tests, the oracle)."""
    limit = stats.threshold()
    dashboard = Dashboard(
        title="En ingång",
        period=source.period,
        scope_label=source.scope.label,
        suppressed=suppress,
        generated_at=source.now,
    )
    # The same numbers appear in several tables: the table per municipality is
    # the one that adds them up, and the others show its cells (eligibility,
    # the not-eligible total) or hide the number received when it does.
    by_municipality = _by_municipality(source, suppress, limit)
    assert by_municipality.total is not None
    _eligible, not_eligible, received = by_municipality.total.cells
    dashboard.tables = [
        _eligibility(by_municipality),
        _activity(source, suppress, limit),
        _times(source, suppress, limit),
        _deadlines(source, suppress, limit),
        _reasons(source, suppress, limit, not_eligible),
        by_municipality,
        _by_district(source, suppress, limit, by_municipality),
        _by_hour(source, suppress, limit, received.hidden),
        _by_weekday(source, suppress, limit, received.hidden),
    ]
    if suppress:
        dashboard.notes.append(stats.suppression_note(limit))
    return dashboard
