"""Follow-up figures computed in the database: counts by GROUP BY, percentiles by rank.

Nothing here loads report rows into Python. Each count is one aggregate
query (conditional `COUNT(... FILTER ...)` where Django can), each median or
90th percentile is a `COUNT` and then `ORDER BY duration LIMIT 1 OFFSET k-1`
for the nearest rank (`stats.rank_for_percentile`, `stats.median_ranks`), so
the database returns at most two durations per figure. The same SQL runs on
SQLite and PostgreSQL.

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
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.models import RoleCode
from samverkan.agreements.models import Agreement, AgreementTypeCode, PartyRole
from samverkan.core.calendar import STOCKHOLM, is_public_holiday, local_date
from samverkan.followup import stats
from samverkan.followup.periods import Period
from samverkan.followup.tables import Dashboard, Row, Table
from samverkan.intake.models import (
    ConcernReport,
    Escalation,
    Feedback,
    HandoverAttempt,
    InformationRequest,
    NotEligibleRecord,
)
from samverkan.intake.rules import REASON_LABELS, Reason
from samverkan.registry.models import Organisation, OrganisationKind

WEEKDAYS = ["Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag", "Lördag", "Söndag"]
HOLIDAY_LABEL = "Helgdag eller helgafton"
UNKNOWN_MUNICIPALITY = "Okänd bosättningskommun"

FOLLOWUP_ROLES = (RoleCode.ANALYST, RoleCode.AGREEMENT_ADMIN, RoleCode.ADMINISTRATOR)


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


def must_suppress(user: Any, scope: Scope) -> bool:
    """Suppress unless the user belongs to the organisation responsible for every figure.

    A municipality's (or district's) own people see its figures in full; the
    provider party of an agreement (e.g. Stockholm for single entry, which
    handles every report at the hub) sees that agreement's figures in full.
    Everyone else — and every open-data export — gets suppressed figures.
    """
    responsible = scope.responsible_organisation_ids()
    if responsible is None:
        return True
    return not responsible <= set(responsible_organisation_ids(user))


def may_view_followup(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False)) or has_role(user, *FOLLOWUP_ROLES)


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


# --- percentiles in the database ----------------------------------------------------


@dataclass(frozen=True)
class DurationSummary:
    n: int
    median: timedelta | None
    p90: timedelta | None


def _nth(queryset: QuerySet[Any], rank: int, count: int = 1) -> list[timedelta]:
    """The durations at 1-based ranks rank..rank+count-1, in order (ORDER BY … LIMIT OFFSET)."""
    return list(queryset.values_list("duration", flat=True)[rank - 1 : rank - 1 + count])


def duration_summary(
    queryset: QuerySet[Any], end: Expression | Subquery | str, start: str
) -> DurationSummary:
    """Count, median and nearest-rank 90th percentile of `end - start` where `end` is set."""
    end_expression = F(end) if isinstance(end, str) else end
    durations = (
        queryset.annotate(
            duration_end=end_expression,
        )
        .filter(duration_end__isnull=False)
        .annotate(
            duration=ExpressionWrapper(F("duration_end") - F(start), output_field=DurationField())
        )
        .order_by("duration", "pk")
    )
    n = durations.count()
    if n == 0:
        return DurationSummary(0, None, None)
    low, high = stats.median_ranks(n)
    middle = _nth(durations, low, high - low + 1)
    median = middle[0] if len(middle) == 1 else (middle[0] + middle[1]) / 2
    (p90,) = _nth(durations, stats.rank_for_percentile(n, 90))
    return DurationSummary(n, median, p90)


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


class _Source:
    """The period's cohort and the aggregates several tables share (each one query, once)."""

    def __init__(self, period: Period, scope: Scope, now: datetime) -> None:
        self.period = period
        self.scope = scope
        self.now = now
        self.reports = _reports(period, scope)
        self.not_eligible = _not_eligible(period, scope)

    @cached_property
    def report_counts(self) -> dict[str, int]:
        """Every count over the eligible reports, in one scan of the period."""
        today = local_date(self.now)
        return self.reports.aggregate(
            total=Count("pk"),
            handed_over=Count("pk", filter=Q(handed_over_at__isnull=False)),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            protection=Count("pk", filter=Q(protection_assessed_at__isnull=False)),
            preliminary=Count("pk", filter=Q(preliminary_decided_on__isnull=False)),
            repeats=Count("pk", filter=Q(repeat_of__isnull=False)),
            escalated=Count(
                "pk", filter=Q(Exists(Escalation.objects.filter(report=OuterRef("pk"))))
            ),
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
        )

    @cached_property
    def by_controller(self) -> list[dict[str, Any]]:
        return list(
            self.reports.values(
                "responsible_municipality__code",
                "controller_id",
                "controller__code",
                "controller__name",
                "controller__kind",
            ).annotate(n=Count("pk"))
        )

    @cached_property
    def not_eligible_counts(self) -> dict[str, int]:
        aggregates: dict[str, Any] = {
            code: Count("pk", filter=Q(reasons__icontains=f'"{code}"')) for code in Reason.ALL
        }
        aggregates["records"] = Count("pk")
        return self.not_eligible.aggregate(**aggregates)

    @cached_property
    def time_of_day(self) -> list[tuple[int, int, bool, int]]:
        """(hour, ISO weekday, holiday or eve, count) in Swedish time, every report."""
        holidays = _holidays(self.period)
        found: list[tuple[int, int, bool, int]] = []
        for queryset, field in ((self.reports, "received_at"), (self.not_eligible, "decided_at")):
            holiday: Any = Value(0, output_field=IntegerField())
            if holidays:
                queryset = queryset.annotate(day=TruncDate(field, tzinfo=STOCKHOLM))
                holiday = Case(
                    When(day__in=holidays, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            for row in (
                queryset.annotate(
                    hour=ExtractHour(field, tzinfo=STOCKHOLM),
                    weekday=ExtractIsoWeekDay(field, tzinfo=STOCKHOLM),
                    holiday=holiday,
                )
                .values("hour", "weekday", "holiday")
                .annotate(n=Count("pk"))
            ):
                found.append((row["hour"], row["weekday"], bool(row["holiday"]), row["n"]))
        return found


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
) -> Table:
    cells, total = stats.suppress_list([n for _, _, n in items], limit=limit, enabled=suppress)
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


def _eligibility(source: _Source, suppress: bool, limit: int) -> Table:
    eligible = source.report_counts["total"]
    not_eligible = source.not_eligible_counts["records"]
    return _count_rows(
        "eligibility",
        "Mottagna anmälningar",
        "Antal",
        [
            ("eligible", "Omfattas av en ingång", eligible),
            ("not_eligible", "Omfattas inte av en ingång", not_eligible),
        ],
        suppress=suppress,
        limit=limit,
        chart=True,
        total_label="Mottagna totalt",
    )


def _reasons(source: _Source, suppress: bool, limit: int) -> Table:
    counts = source.not_eligible_counts
    rows = [
        Row(
            code,
            REASON_LABELS[code],
            [stats.suppress_count(counts[code] or 0, limit=limit, enabled=suppress)],
        )
        for code in Reason.ALL
    ]
    return Table(
        slug="not_eligible_reasons",
        title="Skäl till att anmälan inte omfattas",
        columns=["Antal"],
        rows=rows,
        total=Row(
            "total",
            "Anmälningar som inte omfattas",
            [stats.suppress_count(counts["records"], limit=limit, enabled=suppress)],
        ),
        chart=True,
        note="En anmälan kan ha flera skäl; skälen summerar därför inte till totalen.",
        limit=limit,
    )


def _by_municipality(source: _Source, suppress: bool, limit: int) -> Table:
    eligible: dict[str, int] = defaultdict(int)
    for row in source.by_controller:
        eligible[row["responsible_municipality__code"]] += row["n"]
    not_eligible = {
        row["home_municipality"]: row["n"]
        for row in source.not_eligible.values("home_municipality").annotate(n=Count("pk"))
    }
    codes = sorted(set(eligible) | set(not_eligible), key=lambda c: (c == "", c))
    names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    table = stats.suppress_table(
        [[eligible.get(code, 0), not_eligible.get(code, 0)] for code in codes],
        limit=limit,
        enabled=suppress,
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


def _by_district(source: _Source, suppress: bool, limit: int) -> Table:
    found = [r for r in source.by_controller if r["controller__kind"] == OrganisationKind.DISTRICT]
    if source.scope.mapped:
        found = _mapped_onto_today(found)
    totals: dict[tuple[str, str], int] = {}
    for r in found:
        key = (r["controller__code"], r["controller__name"])
        totals[key] = totals.get(key, 0) + r["n"]
    rows = sorted(totals.items(), key=lambda item: item[0][1])
    return _count_rows(
        "by_district",
        "Anmälningar per stadsdelsområde (Stockholm)",
        "Antal",
        [(code, name, n) for (code, name), n in rows],
        suppress=suppress,
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


def _by_hour(source: _Source, suppress: bool, limit: int) -> Table:
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
    )


def _by_weekday(source: _Source, suppress: bool, limit: int) -> Table:
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
    )


def _first_attempt() -> Subquery:
    return Subquery(
        HandoverAttempt.objects.filter(handover__report=OuterRef("pk"))
        .order_by("at")
        .values("at")[:1],
        output_field=DateTimeField(),
    )


def _times(source: _Source, suppress: bool, limit: int) -> Table:
    reports = source.reports
    requests = InformationRequest.objects.filter(report__in=reports.values("pk")).order_by()
    measures = [
        (
            "first_attempt",
            "Till första överlämningsförsök",
            duration_summary(reports, _first_attempt(), "received_at"),
        ),
        (
            "accepted",
            "Till mottagen av ansvarig kommun",
            duration_summary(reports, "accepted_at", "received_at"),
        ),
        (
            "protection",
            "Till omedelbar skyddsbedömning",
            duration_summary(reports, "protection_assessed_at", "received_at"),
        ),
        (
            "information_answer",
            "Svarstid för informationsbegäran",
            duration_summary(requests, "answered_at", "sent_at"),
        ),
    ]
    rows = []
    for key, label, summary in measures:
        small = suppress and summary.n < limit
        rows.append(
            Row(
                key,
                label,
                [
                    stats.suppress_count(summary.n, limit=limit, enabled=suppress),
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
    today = local_date(source.now)
    reports = source.reports
    counts = source.report_counts
    feedback = (
        Feedback.objects.filter(report__in=reports.values("pk"))
        .order_by()
        .annotate(delivered_on=TruncDate("delivered_at", tzinfo=STOCKHOLM))
        .aggregate(
            on_time=Count("pk", filter=Q(delivered_on__lte=F("due"))),
            basis=Count("pk", filter=Q(delivered_at__isnull=False) | Q(due__lt=today)),
        )
    )
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
        ("feedback", "Återkoppling till anmälaren i tid", feedback["on_time"], feedback["basis"]),
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
    reports = source.reports
    counts = source.report_counts
    escalations = Escalation.objects.filter(report__in=reports.values("pk")).count()
    requests = (
        InformationRequest.objects.filter(report__in=reports.values("pk"))
        .order_by()
        .aggregate(sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    )
    items = [
        ("handed_over", "Överlämnade", counts["handed_over"]),
        ("accepted", "Mottagna av ansvarig kommun", counts["accepted"]),
        ("escalated_reports", "Eskalerade anmälningar", counts["escalated"]),
        ("escalations", "Eskaleringar", escalations),
        ("protection", "Omedelbara skyddsbedömningar", counts["protection"]),
        ("preliminary", "Förhandsbedömningar beslutade", counts["preliminary"]),
        ("repeats", "Upprepade anmälningar (samma barn)", counts["repeats"]),
        ("information_sent", "Informationsbegäranden skickade", requests["sent"]),
        ("information_answered", "Informationsbegäranden besvarade", requests["answered"]),
        (
            "information_open",
            "Informationsbegäranden obesvarade",
            requests["sent"] - requests["answered"],
        ),
    ]
    return Table(
        slug="activity",
        title="Överlämning, eskalering och informationsbegäran",
        columns=["Antal"],
        rows=[
            Row(key, label, [stats.suppress_count(n, limit=limit, enabled=suppress)])
            for key, label, n in items
        ],
        note="Anmälningar som omfattas av en ingång och togs emot under perioden.",
        limit=limit,
    )


def single_entry_dashboard(
    *, period: Period, scope: Scope, suppress: bool, now: datetime | None = None
) -> Dashboard:
    """Every single-entry figure for the period and scope, suppressed or not."""
    now = now or timezone.now()
    limit = stats.threshold()
    dashboard = Dashboard(
        title="En ingång",
        period=period,
        scope_label=scope.label,
        suppressed=suppress,
        generated_at=now,
    )
    source = _Source(period, scope, now)
    dashboard.tables = [
        _eligibility(source, suppress, limit),
        _activity(source, suppress, limit),
        _times(source, suppress, limit),
        _deadlines(source, suppress, limit),
        _reasons(source, suppress, limit),
        _by_municipality(source, suppress, limit),
        _by_district(source, suppress, limit),
        _by_hour(source, suppress, limit),
        _by_weekday(source, suppress, limit),
    ]
    if suppress:
        dashboard.notes.append(
            f"Antal under {limit} visas som ”<{limit}”, och värden som annars skulle "
            "gå att räkna fram visas som ”–”."
        )
    return dashboard
