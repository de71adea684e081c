"""Reads of local collaboration, scoped to the user's organisation (SPEC §6, §7).

* Forums, meetings: the convening district and the forum's parties.
* Co-location, consultations, trainings: the district and the police unit.
* Serious talks (personal data): only the responsible district; reads are audited.
* Situational pictures: the district and the owners of activities in its action
  plans; outside the district, counts below STATISTICS_SUPPRESSION_THRESHOLD
  are suppressed.
* Action plans: the district sees every activity; another party only its own.
* Concern reports are read in aggregate only (no identity leaves this module).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.agreements.models import Agreement, AgreementTypeCode
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record
from samverkan.collaboration import rules
from samverkan.collaboration.models import (
    ActionPlan,
    Activity,
    AnonymousConsultation,
    CoLocation,
    Forum,
    Function,
    Indicator,
    IndicatorKind,
    Meeting,
    MeetingDecision,
    MeetingStatus,
    ReportFollowed,
    SeriousTalk,
    SituationalPicture,
    Training,
)
from samverkan.core.calendar import STOCKHOLM, is_working_day, local_date
from samverkan.core.identity import age_on
from samverkan.intake.models import ConcernReport, SourceChannel
from samverkan.registry.models import Organisation, School

# --- scoping ----------------------------------------------------------------------------


def forums_visible_to(user: Any) -> QuerySet[Forum]:
    return Forum.objects.visible_to(user).select_related("district")


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).select_related("forum__district")


def colocations_visible_to(user: Any) -> QuerySet[CoLocation]:
    return CoLocation.objects.visible_to(user).select_related("district", "police_unit")


def consultations_visible_to(user: Any) -> QuerySet[AnonymousConsultation]:
    return AnonymousConsultation.objects.visible_to(user).select_related("district", "police_unit")


def trainings_visible_to(user: Any) -> QuerySet[Training]:
    return Training.objects.visible_to(user).select_related("district", "police_unit")


def pictures_visible_to(user: Any) -> QuerySet[SituationalPicture]:
    ids = responsible_organisation_ids(user)
    if not ids:
        return SituationalPicture.objects.none()
    return (
        SituationalPicture.objects.filter(
            Q(district_id__in=ids) | Q(action_plans__activities__owner_id__in=ids)
        )
        .distinct()
        .select_related("district")
    )


def plans_visible_to(user: Any) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.visible_to(user).select_related("district", "situational_picture")


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    """The district sees every activity of its plans; another party only those it owns."""
    ids = responsible_organisation_ids(user)
    if not ids:
        return Activity.objects.none()
    return Activity.objects.filter(Q(plan__district_id__in=ids) | Q(owner_id__in=ids)).distinct()


def indicators_visible_to(user: Any) -> QuerySet[Indicator]:
    ids = responsible_organisation_ids(user)
    if not ids:
        return Indicator.objects.none()
    return (
        Indicator.objects.filter(
            Q(district_id__in=ids)
            | Q(forum__parties__id__in=ids)
            | Q(agreement__parties__organisation_id__in=ids)
        )
        .distinct()
        .select_related("district", "forum", "agreement")
    )


def serious_talks_for(user: Any, *, reason: str = "") -> list[SeriousTalk]:
    """The district's serious talks (personal data): the read is audited."""
    talks = list(SeriousTalk.objects.visible_to(user).select_related("district", "police_unit"))
    for talk in talks:
        audit_record(
            actor=user,
            action=AuditAction.VIEW,
            record_type="collaboration.SeriousTalk",
            record_id=talk.pk,
            controller=talk.district.code,
            reason=reason,
        )
    return talks


def is_inside(user: Any, district_id: int) -> bool:
    return district_id in responsible_organisation_ids(user)


# --- co-location calendar ------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: date
    working_day: bool
    stationed: tuple[CoLocation, ...]


def colocation_calendar(
    colocations: list[CoLocation], start: date, days: int = 28
) -> list[CalendarDay]:
    """Working days from `start` with who is stationed where (holidays: nobody)."""
    calendar: list[CalendarDay] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        working = is_working_day(day)
        stationed = tuple(
            c
            for c in colocations
            if working
            and day.weekday() in c.weekdays
            and c.valid_from <= day
            and (c.valid_to is None or day <= c.valid_to)
        )
        calendar.append(CalendarDay(day, working, stationed))
    return calendar


# --- forums and compliance ----------------------------------------------------------------


def meeting_facts(forum: Forum) -> list[rules.MeetingFacts]:
    meetings = Meeting.objects.filter(forum=forum).prefetch_related("attendance")
    return [
        rules.MeetingFacts(
            held_on=m.held_on,
            held=m.status == MeetingStatus.HELD,
            functions=frozenset(a.function for a in m.attendance.all()),
        )
        for m in meetings
    ]


def forum_compliance(forum: Forum, *, today: date, terms: int = 4) -> list[rules.TermCompliance]:
    """Compliance for the current term and the `terms - 1` before it, newest first."""
    current = rules.term_of(today)
    chosen = [current]
    while len(chosen) < terms:
        chosen.append(chosen[-1].previous())
    rows = rules.compliance_across_terms(
        chosen,
        required_per_term=forum.required_per_term,
        required_functions=list(forum.required_functions),
        meetings=meeting_facts(forum),
        today=today,
    )
    return rows


def function_label(code: str) -> str:
    try:
        return str(Function(code).label)
    except ValueError:
        return code


def open_decisions(forum: Forum) -> QuerySet[MeetingDecision]:
    return (
        MeetingDecision.objects.filter(meeting__forum=forum, status="open")
        .select_related("owner", "meeting")
        .order_by("due_date", "id")
    )


# --- situational picture ------------------------------------------------------------------


REPORTER_LABELS = {
    SourceChannel.POLICE_API: "Polisen (en ingång)",
    SourceChannel.POLICE_PHONE: "Polisen (en ingång)",
    SourceChannel.SCHOOL: "Skola",
    SourceChannel.OTHER: "Annan anmälare",
}


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, tzinfo=STOCKHOLM),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=STOCKHOLM),
    )


def inflow_figures(district: Organisation, start: date, end: date) -> dict[str, Any]:
    """Counts of concern reports to the district in the period (no personal data)."""
    low, high = _bounds(start, end)
    reports = ConcernReport.objects.filter(
        controller=district, received_at__gte=low, received_at__lt=high
    ).select_related("found_in", "reporting_organisation__school__district")
    by_reporter: Counter[str] = Counter()
    by_age: Counter[str] = Counter()
    by_area: Counter[str] = Counter()
    repeats = 0
    total = 0
    for report in reports.only(
        "source_channel",
        "birth_date",
        "received_at",
        "repeat_of_id",
        "found_in__name",
        "reporting_organisation__kind",
        "reporting_organisation__school__district__name",
    ):
        total += 1
        by_reporter[REPORTER_LABELS.get(SourceChannel(report.source_channel), "Annan")] += 1
        by_age[rules.age_band(age_on(report.birth_date, local_date(report.received_at)))] += 1
        organisation = report.reporting_organisation
        school = getattr(organisation, "school", None) if organisation else None
        area = school.district.name if school is not None else report.found_in.name
        by_area[area] += 1
        repeats += report.repeat_of_id is not None
    return {
        "total": total,
        "repeats": repeats,
        "by_reporter": dict(sorted(by_reporter.items())),
        "by_age": {band: by_age.get(band, 0) for band in rules.AGE_BANDS},
        "by_area": dict(by_area.most_common()),
    }


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None: suppressed

    @property
    def shown(self) -> str:
        if self.count is None:
            return f"färre än {settings.STATISTICS_SUPPRESSION_THRESHOLD}"
        return str(self.count)


def picture_tables(picture: SituationalPicture, user: Any) -> dict[str, Any]:
    """The picture's figures as a user may see them: suppressed outside the district."""
    inside = is_inside(user, picture.district_id)
    threshold = settings.STATISTICS_SUPPRESSION_THRESHOLD

    def cells(values: dict[str, int]) -> list[Cell]:
        return [
            Cell(label, count if inside else rules.suppress(count, threshold))
            for label, count in values.items()
        ]

    figures = picture.figures or {}
    total = int(figures.get("total", 0))
    return {
        "inside": inside,
        "total": Cell("total", total if inside else rules.suppress(total, threshold)),
        "repeats": Cell(
            "repeats",
            int(figures.get("repeats", 0))
            if inside
            else rules.suppress(int(figures.get("repeats", 0)), threshold),
        ),
        "by_reporter": cells(figures.get("by_reporter", {})),
        "by_age": cells(figures.get("by_age", {})),
        "by_area": cells(figures.get("by_area", {})),
        "threshold": threshold,
    }


# --- schools ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolRow:
    school: School
    agreement: Agreement | None


def school_register(district: Organisation | None = None) -> list[SchoolRow]:
    """Schools (municipal and independent) with their school-collaboration agreement, if any."""
    schools = School.objects.select_related("organisation", "district").order_by(
        "district__name", "organisation__name"
    )
    if district is not None:
        schools = schools.filter(district=district)
    agreements: dict[int, Agreement] = {}
    for agreement in (
        Agreement.objects.filter(type__code=AgreementTypeCode.SCHOOL_COLLABORATION)
        .prefetch_related("parties")
        .order_by("start_date")
    ):
        for party in agreement.parties.all():
            agreements[party.organisation_id] = agreement
    return [SchoolRow(s, agreements.get(s.organisation_id)) for s in schools]


def districts_with_schools() -> QuerySet[Organisation]:
    return Organisation.objects.filter(schools_located__isnull=False).distinct().order_by("name")


def school_reports_by(user: Any) -> QuerySet[ConcernReport]:
    """The reports the user's school filed: status only is shown (like the police's view)."""
    if getattr(user, "organisation_id", None) is None:
        return ConcernReport.objects.none()
    return (
        ConcernReport.objects.filter(
            source_channel=SourceChannel.SCHOOL, reporting_organisation_id=user.organisation_id
        )
        .select_related("controller")
        .only("public_id", "received_at", "status", "accepted_at", "controller__name")
        .order_by("-received_at")
    )


RECURRENCE_WINDOW = timedelta(days=183)


# --- indicators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorPoint:
    term: rules.Term
    value: float | None
    source: str  # "beräknat" or the source entered
    detail: str = ""


def _term_bounds(term: rules.Term) -> tuple[datetime, datetime]:
    return _bounds(term.start, term.end)


def _districts(indicator: Indicator) -> list[int]:
    return [indicator.district_id]


def compute_indicator(indicator: Indicator, term: rules.Term, *, today: date) -> IndicatorPoint:
    """One term's value: computed from the data, or the value entered with its source."""
    kind = indicator.kind
    low, high = _term_bounds(term)
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
        within = [
            r
            for r in settled.only("preliminary_decided_on", "preliminary_assessment_due")
            if r.preliminary_decided_on is not None
            and r.preliminary_decided_on <= r.preliminary_assessment_due
        ]
        count = settled.count()
        return IndicatorPoint(
            term,
            rules.share(len(within), count),
            "beräknat",
            f"{len(within)} av {count} anmälningar",
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
            term, rules.median_days(days), "beräknat", f"{len(days)} konsultationer"
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
        return IndicatorPoint(term, float(len(people)), "beräknat", "efter allvarssamtal")
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
        f"{recurring} av {children} barn",
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
    current = rules.term_of(today)
    chosen = [current]
    while len(chosen) < terms:
        chosen.append(chosen[-1].previous())
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
