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

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from operator import itemgetter
from typing import Any

from django.db.models import (
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from samverkan.agreements.models import Agreement, AgreementTypeCode, PartyRole
from samverkan.core.calendar import local_date
from samverkan.followup import stats, summaries
from samverkan.followup.models import DailyFigure, MonthlyFigure, MonthlyHistogram
from samverkan.followup.periods import Period
from samverkan.followup.tables import Dashboard, Row, Table
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


# --- durations: median and 90th percentile at their ranks ---------------------------


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


# --- the single-entry dashboard ---------------------------------------------------------


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
            [rows.filter(metric__in=summaries.COUNTS) for rows in (self.daily, self.monthly)],
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


def dashboard_for(
    title: str, period: Period, scope: Scope, *, suppress: bool, now: datetime
) -> Dashboard:
    """An empty follow-up dashboard of a period and scope; the page adds its tables."""
    return Dashboard(
        title=title,
        period=period,
        scope_label=scope.label,
        suppressed=suppress,
        generated_at=now,
    )


def dashboard_from(source: Any, *, suppress: bool) -> Dashboard:
    """The single-entry tables from a source of figures (the summaries; in tests, the oracle)."""
    limit = stats.threshold()
    dashboard = dashboard_for(
        "En ingång", source.period, source.scope, suppress=suppress, now=source.now
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
