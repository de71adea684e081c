"""Reads of the situational picture: inflow figures, and the tables as a user may see them.

Concern reports are read in aggregate only (no identity leaves this module);
outside the district the figures are suppressed by the follow-up's one rule
(`samverkan.followup.stats`): small counts, and whatever would give them back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from samverkan.collaboration import rules
from samverkan.collaboration.access import is_inside
from samverkan.collaboration.models import ActionPlan, Activity, Forum, SituationalPicture
from samverkan.core.calendar import local_date
from samverkan.core.identity import age_on
from samverkan.followup import stats
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
    cell: stats.Cell

    @property
    def count(self) -> int | None:
        """The count, None when hidden."""
        return None if self.cell.hidden else int(self.cell.value or 0)  # type: ignore[arg-type]

    @property
    def hidden(self) -> str:
        """Why hidden: "", PRIMARY ("<5"), or SECONDARY ("–": would give a small count back)."""
        return self.cell.suppressed

    @property
    def shown(self) -> str:
        # The one wording of a hidden count, as on every follow-up page and export.
        return self.cell.text()


BREAKDOWNS = ("by_reporter", "by_age", "by_area")


def suppressed_figures(figures: dict[str, Any], *, enabled: bool) -> dict[str, Any]:
    """A picture's figures as published: the three breakdowns of one total, suppressed together.

    Each breakdown adds up to the total, so they are one publication
    (`stats.suppress_breakdowns`); the repeated reports are a part of the
    total (at most it), a single count.
    """
    breakdowns = [dict(figures.get(key) or {}) for key in BREAKDOWNS]
    cells, total = stats.suppress_breakdowns(
        [list(values.values()) for values in breakdowns],
        total=int(figures.get("total", 0)),
        enabled=enabled,
    )
    tables: dict[str, Any] = {
        key: [Cell(label, cell) for label, cell in zip(values, row, strict=True)]
        for key, values, row in zip(BREAKDOWNS, breakdowns, cells, strict=True)
    }
    tables["total"] = Cell("total", total)
    tables["repeats"] = Cell(
        "repeats", stats.suppress_count(int(figures.get("repeats", 0)), enabled=enabled)
    )
    return tables


def picture_tables(picture: SituationalPicture, user: Any) -> dict[str, Any]:
    """The picture's figures as a user may see them: suppressed outside the district."""
    inside = is_inside(user, picture.district_id)
    return {
        **suppressed_figures(picture.figures or {}, enabled=not inside),
        "inside": inside,
        "threshold": stats.threshold(),
    }
