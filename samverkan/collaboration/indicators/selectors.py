"""Reads of result indicators: each term's value, computed from the data or entered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q

from samverkan.collaboration import rules
from samverkan.collaboration.models import (
    AnonymousConsultation,
    Indicator,
    IndicatorKind,
    ReportFollowed,
    SeriousTalk,
)
from samverkan.followup import stats
from samverkan.intake.models import ConcernReport, SourceChannel

RECURRENCE_WINDOW = timedelta(days=183)


# --- indicators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorPoint:
    term: rules.Term
    value: float | None
    source: str  # "beräknat" or the source entered
    # What the value is computed from: `wording` with `counts` filled in ("{} av {} barn").
    wording: str = ""
    counts: tuple[int, ...] = ()

    @property
    def detail(self) -> str:
        return self.wording.format(*self.counts)


def _districts(indicator: Indicator) -> list[int]:
    return [indicator.district_id]


def compute_indicator(indicator: Indicator, term: rules.Term, *, today: date) -> IndicatorPoint:
    """One term's value: computed from the data, or the value entered with its source."""
    kind = indicator.kind
    low, high = rules.period_bounds(term.start, term.end)
    districts = _districts(indicator)
    if kind == IndicatorKind.SCHOOL_PRELIMINARY_WITHIN_14_DAYS:
        reports = ConcernReport.objects.filter(
            controller_id__in=districts,
            source_channel=SourceChannel.SCHOOL,
            received_at__gte=low,
            received_at__lt=high,
        )
        # Reports still open and not yet due are not counted either way.
        settled = reports.filter(
            Q(preliminary_decided_on__isnull=False) | Q(preliminary_assessment_due__lt=today)
        )
        counts = settled.aggregate(
            settled=Count("pk"),
            within=Count(
                "pk", filter=Q(preliminary_decided_on__lte=F("preliminary_assessment_due"))
            ),
        )
        within, count = counts["within"], counts["settled"]
        return IndicatorPoint(
            term, rules.share(within, count), "beräknat", "{} av {} anmälningar", (within, count)
        )
    if kind == IndicatorKind.CONSULTATION_TO_REPORT_DAYS:
        consultations = AnonymousConsultation.objects.filter(
            district_id__in=districts,
            held_on__gte=term.start,
            held_on__lte=term.end,
            report_followed=ReportFollowed.YES,
            report_filed_on__isnull=False,
        ).values_list("held_on", "report_filed_on")
        days = [(filed - held).days for held, filed in consultations]
        return IndicatorPoint(
            term, rules.median_days(days), "beräknat", "{} konsultationer", (len(days),)
        )
    if kind == IndicatorKind.YOUNG_PEOPLE_WITH_PLAN:
        people = set(
            SeriousTalk.objects.filter(
                district_id__in=districts,
                held_on__gte=term.start,
                held_on__lte=term.end,
                plan_agreed=True,
            ).values_list("person_id", flat=True)
        )
        return IndicatorPoint(
            term, float(len(people)), "beräknat", "efter allvarssamtal", (len(people),)
        )
    if kind == IndicatorKind.RECURRENCE_SIX_MONTHS:
        return _recurrence(districts, term, low, high)
    entered = indicator.values.filter(term=term.key).first()
    if entered is None:
        return IndicatorPoint(term, None, "")
    return IndicatorPoint(term, float(entered.value), entered.source)


def _recurrence(
    districts: list[int], term: rules.Term, low: datetime, high: datetime
) -> IndicatorPoint:
    """Share of the children reported in the term who were reported again within six months.

    A child counts as recurring when one of its reports received in the term has
    an earlier report of the same child (to any unit in the system) at most six
    months (183 days) before it. Children without an identity number are left out:
    they cannot be matched.
    """
    # In the database: the term's reports can be many thousands, and each child's
    # earlier report is one index probe on (person_id, …, received_at).
    in_term = ConcernReport.objects.filter(
        controller_id__in=districts, received_at__gte=low, received_at__lt=high
    ).exclude(person_id="")
    earlier_report = ConcernReport.objects.filter(
        person_id=OuterRef("person_id"),
        received_at__lt=OuterRef("received_at"),
        received_at__gte=ExpressionWrapper(
            OuterRef("received_at") - RECURRENCE_WINDOW, output_field=DateTimeField()
        ),
    )
    counts = in_term.aggregate(
        children=Count("person_id", distinct=True),
        recurring=Count("person_id", distinct=True, filter=Q(Exists(earlier_report))),
    )
    children, recurring = counts["children"], counts["recurring"]
    return IndicatorPoint(
        term,
        rules.share(recurring, children),
        "beräknat",
        "{} av {} barn",
        (recurring, children),
    )


@dataclass(frozen=True)
class IndicatorSeries:
    indicator: Indicator
    points: list[IndicatorPoint]  # oldest first
    trend: str  # up / down / flat / ""
    good: bool | None

    @property
    def latest(self) -> IndicatorPoint | None:
        return self.points[-1] if self.points else None


def indicator_series(indicator: Indicator, *, today: date, terms: int = 4) -> IndicatorSeries:
    chosen = rules.recent_terms(today, terms)
    points = [compute_indicator(indicator, term, today=today) for term in reversed(chosen)]
    known = [p.value for p in points if p.value is not None]
    direction = (
        rules.trend(known[-2], known[-1], higher_is_better=indicator.higher_is_better)
        if len(known) >= 2
        else ""
    )
    return IndicatorSeries(
        indicator,
        points,
        direction,
        rules.trend_is_good(direction, higher_is_better=indicator.higher_is_better),
    )


# --- as published -------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedPoint:
    term: rules.Term
    value: stats.Cell
    source: str
    detail: str


@dataclass(frozen=True)
class PublishedSeries:
    indicator: Indicator
    points: list[PublishedPoint]
    trend: str
    good: bool | None


def published_point(
    indicator: Indicator, point: IndicatorPoint, *, enabled: bool, limit: int | None = None
) -> PublishedPoint:
    """A term's value as a reader outside the district may see it (the follow-up's rule).

    The counts it is computed from are small counts like any other ("<5"); a
    count of young people is itself one; a share or a median of fewer than
    the threshold is hidden ("–"), and so is a share whose part is hidden,
    since with the basis shown it gives the part back.
    """
    if not enabled or point.value is None:
        return PublishedPoint(point.term, stats.Cell(point.value), point.source, point.detail)
    counts = [stats.suppress_count(n, limit=limit) for n in point.counts]
    if indicator.kind == IndicatorKind.YOUNG_PEOPLE_WITH_PLAN:
        value = stats.suppress_count(int(point.value), limit=limit)
    else:
        value = stats.hide_if(point.value, hide=any(cell.hidden for cell in counts))
    detail = point.wording.format(*(cell.text(limit) for cell in counts))
    return PublishedPoint(point.term, value, point.source, detail)


def published_series(series: IndicatorSeries, *, enabled: bool) -> PublishedSeries:
    """The series as published: a trend between hidden values is not shown either."""
    points = [published_point(series.indicator, p, enabled=enabled) for p in series.points]
    compared = [p for p in points if p.value.value is not None][-2:]  # as `indicator_series`
    if any(p.value.hidden for p in compared):
        return PublishedSeries(series.indicator, points, "", None)
    return PublishedSeries(series.indicator, points, series.trend, series.good)
