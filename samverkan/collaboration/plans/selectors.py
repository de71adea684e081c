"""Reads of the situational picture: inflow figures, and the tables as a user may see them.

Concern reports are read in aggregate only (no identity leaves this module);
outside the district, counts below STATISTICS_SUPPRESSION_THRESHOLD are suppressed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from samverkan.collaboration import rules
from samverkan.collaboration.access import is_inside
from samverkan.collaboration.models import ActionPlan, Activity, Forum, SituationalPicture
from samverkan.core.calendar import local_date
from samverkan.core.identity import age_on
from samverkan.followup.stats import PRIMARY, suppressed_text
from samverkan.intake.models import ConcernReport, SourceChannel
from samverkan.registry.models import Organisation

REPORTER_LABELS = {
    SourceChannel.POLICE_API: "Polisen (en ingång)",
    SourceChannel.POLICE_PHONE: "Polisen (en ingång)",
    SourceChannel.SCHOOL: "Skola",
    SourceChannel.OTHER: "Annan anmälare",
}


def plan_parties(plan: ActionPlan) -> QuerySet[Organisation]:
    """Who may own an activity of the plan: its district, the parties of the district's
    collaboration forums (the local agreement's parties) and the owners it already has."""
    forum_parties = Forum.parties.through.objects.filter(forum__district_id=plan.district_id)
    owners = Activity.objects.filter(plan=plan)
    return Organisation.objects.filter(
        Q(pk=plan.district_id)
        | Q(pk__in=forum_parties.values("organisation_id"))
        | Q(pk__in=owners.values("owner_id"))
    ).order_by("name")


def inflow_figures(district: Organisation, start: date, end: date) -> dict[str, Any]:
    """Counts of concern reports to the district in the period (no personal data)."""
    low, high = rules.period_bounds(start, end)
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
            # The one wording of a hidden count, as on every follow-up page and export.
            return suppressed_text(PRIMARY, settings.STATISTICS_SUPPRESSION_THRESHOLD)
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
