"""The direct computation of the single-entry figures: the test oracle for the summaries.

This is how the dashboard counted before daily summaries (issue 8): grouped
queries and ranked windows over the period's reports themselves. The
property tests (`test_summaries.py`) build the dashboard from it and from the
summaries and require every figure to be equal. One difference is by
definition (ADR 0008): durations are whole minutes (floor), so the values at
the median's and 90th percentile's ranks are floored here too — flooring keeps
the order, so the floored value at a rank is the rank's value of the floored
durations.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import LessThanOrEqual

from samverkan.core.calendar import local_date
from samverkan.followup.periods import Period
from samverkan.followup.selectors import (
    DurationSummary,
    Scope,
    _first_attempt,
    _holiday_ranges,
    _local_date,
    _local_hour,
    _local_iso_weekday,
    _not_eligible,
    _offset_changes,
    _reports,
    _summaries,
)
from samverkan.intake.models import Escalation, InformationRequest
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
