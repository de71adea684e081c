"""Daily and monthly summaries the single-entry dashboard reads (issue 20.1, ADR 0008).

No personal data: a Swedish day, organisation ids, a municipality code, a
measure's name, a whole number (minutes, an hour, a due date) and a count.
"""

from __future__ import annotations

from django.db import models


class Figure(models.Model):
    """How many reports or records of one period share a measure's value, per organisation."""

    responsible_id = models.IntegerField(default=0)  # plain ids: a merged organisation stays
    controller_id = models.IntegerField(default=0)
    home_municipality = models.CharField(max_length=40, blank=True, default="")
    metric = models.CharField(max_length=24)
    value = models.BigIntegerField(default=0)
    n = models.IntegerField()

    class Meta:
        abstract = True


class DailyFigure(Figure):
    """How many reports (or not-eligible records) of one Swedish day share one value.

    Reports are counted on the day they were received, per responsible
    municipality and controller (the organisations they had then; "today's"
    organisations are mapped when read). Not-eligible records on the day they
    were decided, per home municipality code. `value` depends on `metric`:
    minutes for a duration (a sparse histogram, exact to the minute), the hour
    and kind of day for the time of day, a due date or instant for a step not
    yet done, and 0 for a plain count (see `summaries.METRICS`).
    """

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "metric",
                    "responsible_id",
                    "controller_id",
                    "home_municipality",
                    "value",
                ],
                name="followup_daily_figure_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric}={self.value}: {self.n}"


class StaleDay(models.Model):
    """A day whose figures a write changed since they were summarised (insert only).

    Writers only ever insert (no row two writers could both update); a refresh
    deletes exactly the marks it read before recomputing, so a mark committed
    meanwhile survives for the next refresh.
    """

    day = models.DateField(db_index=True)

    def __str__(self) -> str:
        return f"{self.day}"


class MonthlyFigure(Figure):
    """The sum of a calendar month's `DailyFigure` rows, per organisation (ADR 0008).

    `month` is the month's first day. The dashboard reads these for the whole
    months of a period and the daily rows for the days at its ends, so a year
    costs twelve months of rows, not 365 days of them.
    """

    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "metric",
                    "responsible_id",
                    "controller_id",
                    "home_municipality",
                    "value",
                ],
                name="followup_monthly_figure_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.metric}={self.value}: {self.n}"


class MonthlyHistogram(models.Model):
    """A month's durations and times of day summed over every organisation (ADR 0008).

    Per organisation few reports share a minute, so the histograms kept per
    organisation grow with the reports; summed over every organisation they
    are bounded by the range of values. The dashboard for all municipalities
    reads these for whole months.
    """

    month = models.DateField()
    metric = models.CharField(max_length=24)
    value = models.BigIntegerField(default=0)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "metric", "value"], name="followup_monthly_histogram_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.metric}={self.value}: {self.n}"
