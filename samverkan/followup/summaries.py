"""Daily summaries: the single-entry dashboard's figures kept per Swedish day (ADR 0008).

A day's rows (`DailyFigure`) are a pure function of the reports received that
day (with their escalations, handover attempts, information requests and
feedback) and the not-eligible records decided that day: `day_figures`. Every
write that can change them marks the day stale in its own transaction
(`StaleDay`, through `intake.models.figures_changed` and Django's model
signals); `refresh` recomputes stale days, idempotently, from the task worker
(`tasks.refresh_summaries`) and, for the days a dashboard shows, before it reads,
so a dashboard is never behind the data. Each recomputed day's month is summed
again from its daily rows (`roll_up`): `MonthlyFigure` per organisation, and
`MonthlyHistogram` for the durations and times of day over every organisation,
which a year's dashboard reads for its whole months.

Measures (`metric` → `value`):

* reports, per responsible municipality and controller: ``received`` (value:
  the report's number of escalations), ``handed_over``, ``preliminary``,
  ``repeat``, ``protection_on_time``, ``preliminary_on_time``,
  ``feedback_on_time``, ``feedback_delivered`` (0); durations in whole minutes
  (floor): ``accepted``, ``protection``, ``first_attempt`` (from receipt) and
  ``answer`` (an information request, from sent); ``request`` (one per request
  sent); steps not done whose basis depends on the clock: ``protection_open``
  (the due instant, microseconds since the epoch), ``preliminary_open`` and
  ``feedback_open`` (the due date's ordinal); ``hour`` (hour × 8 + kind of day:
  0–6 Monday–Sunday, 7 a public holiday or eve);
* not-eligible records, per home municipality code: ``ne`` (0), ``ne_reason``
  (the reason's index in `Reason.ALL`), ``ne_hour`` (as ``hour``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Min, Model, Q
from django.db.models.signals import post_save, pre_delete, pre_save

from samverkan.core.calendar import STOCKHOLM, is_public_holiday, local_date
from samverkan.followup.models import DailyFigure, MonthlyFigure, MonthlyHistogram, StaleDay
from samverkan.followup.periods import period_containing
from samverkan.intake import models as intake
from samverkan.intake.rules import Reason

REPORT_METRICS = (
    "received",
    "handed_over",
    "preliminary",
    "repeat",
    "protection_on_time",
    "preliminary_on_time",
    "feedback_on_time",
    "feedback_delivered",
    "accepted",
    "protection",
    "first_attempt",
    "answer",
    "request",
    "protection_open",
    "preliminary_open",
    "feedback_open",
    "hour",
)
NOT_ELIGIBLE_METRICS = ("ne", "ne_reason", "ne_hour")
DURATIONS = ("accepted", "protection", "first_attempt", "answer")
# Measures whose value is a number to sum over (a histogram), not a kind of count.
HISTOGRAMS = (*DURATIONS, "hour", "ne_hour")
# The rest: named positively, so that a read of them uses the (day or month, metric) index
# and never touches the far more numerous histogram rows.
COUNTS = tuple(m for m in (*REPORT_METRICS, *NOT_ELIGIBLE_METRICS) if m not in HISTOGRAMS)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MINUTE = timedelta(minutes=1)
_REFRESH_LOCK = 0x5355_4D4D  # PostgreSQL advisory lock: one refresh at a time

Key = tuple[date, int, int, str, str, int]  # day, responsible, controller, home, metric, value


def minutes(end: datetime, start: datetime) -> int:
    """Whole minutes from start to end (floor): the resolution of every duration figure."""
    return (end - start) // _MINUTE


def microseconds(instant: datetime) -> int:
    return (instant - EPOCH) // timedelta(microseconds=1)


def time_of_day(instant: datetime) -> int:
    """Hour × 8 + kind of day (0–6 Monday–Sunday, 7 public holiday or eve), Swedish time."""
    local = instant.astimezone(STOCKHOLM)
    kind = 7 if is_public_holiday(local.date()) else local.isoweekday() - 1
    return local.hour * 8 + kind


def month_of(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return period_containing("month", month).last + timedelta(days=1)


def whole_months(first: date, last: date) -> tuple[list[date], list[tuple[date, date]]]:
    """The calendar months wholly inside `first`..`last`, and the day ranges left at its ends."""
    start = first if first.day == 1 else _next_month(first)
    months: list[date] = []
    while period_containing("month", start).last <= last:
        months.append(start)
        start = _next_month(start)
    if not months:
        return [], [(first, last)]
    edges = [(first, months[0] - timedelta(days=1)), (start, last)]
    return months, [(a, b) for a, b in edges if a <= b]


def _by_month(days: Iterable[date]) -> dict[date, list[date]]:
    found: dict[date, list[date]] = {}
    for day in sorted(set(days)):
        found.setdefault(month_of(day), []).append(day)
    return found


def day_bounds(day: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, time.min, tzinfo=STOCKHOLM),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=STOCKHOLM),
    )


# --- what a day holds ------------------------------------------------------------------


def _ranges(days: Iterable[date], field: str = "received_at") -> Q:
    """Rows whose `field` falls on any of `days` (consecutive days as one range)."""
    q = Q()
    ordered = sorted(set(days))
    start = end = None
    for day in ordered:
        if end is not None and day == end:
            end = day + timedelta(days=1)
            continue
        if start is not None and end is not None:
            q |= _between(field, start, end)
        start, end = day, day + timedelta(days=1)
    if start is not None and end is not None:
        q |= _between(field, start, end)
    return q


def _between(field: str, first: date, after: date) -> Q:
    return Q(**{f"{field}__gte": day_bounds(first)[0], f"{field}__lt": day_bounds(after)[0]})


def day_figures(days: Iterable[date]) -> Counter[Key]:
    """Every summary row of `days`, computed from the reports and records themselves."""
    wanted = set(days)
    found: Counter[Key] = Counter()
    if not wanted:
        return found
    received = _ranges(wanted)
    reports = intake.ConcernReport.objects.filter(received).order_by()
    of_reports = {"report__in": reports.values("pk")}
    escalations = dict(
        intake.Escalation.objects.filter(**of_reports)
        .order_by()
        .values("report_id")
        .annotate(n=Count("pk"))
        .values_list("report_id", "n")
    )
    first_attempts = dict(
        intake.HandoverAttempt.objects.filter(handover__report__in=reports.values("pk"))
        .order_by()
        .values("handover__report_id")
        .annotate(first=Min("at"))
        .values_list("handover__report_id", "first")
    )
    requests: dict[int, list[tuple[datetime, datetime | None]]] = {}
    for report_id, sent, answered in intake.InformationRequest.objects.filter(
        **of_reports
    ).values_list("report_id", "sent_at", "answered_at"):
        requests.setdefault(report_id, []).append((sent, answered))
    feedback = {
        f["report_id"]: f
        for f in intake.Feedback.objects.filter(**of_reports).values(
            "report_id", "due", "delivered_at"
        )
    }
    for r in reports.values(
        "pk",
        "received_at",
        "responsible_municipality_id",
        "controller_id",
        "handed_over_at",
        "accepted_at",
        "protection_assessed_at",
        "protection_assessment_due",
        "preliminary_decided_on",
        "preliminary_assessment_due",
        "repeat_of_id",
    ):
        for metric, value in _report_measures(
            r,
            escalations.get(r["pk"], 0),
            first_attempts.get(r["pk"]),
            requests.get(r["pk"], []),
            feedback.get(r["pk"]),
        ):
            key = (
                local_date(r["received_at"]),
                r["responsible_municipality_id"],
                r["controller_id"],
                "",
                metric,
                value,
            )
            found[key] += 1
    decided = _ranges(wanted, "decided_at")
    for decided_at, home, reasons in intake.NotEligibleRecord.objects.filter(decided).values_list(
        "decided_at", "home_municipality", "reasons"
    ):
        day = local_date(decided_at)
        for metric, value in _not_eligible_measures(decided_at, reasons or []):
            found[day, 0, 0, home, metric, value] += 1
    return found


def _report_measures(
    r: dict[str, Any],
    escalations: int,
    first_attempt: datetime | None,
    requests: list[tuple[datetime, datetime | None]],
    feedback: dict[str, Any] | None,
) -> Iterator[tuple[str, int]]:
    at: datetime = r["received_at"]
    yield "received", escalations
    yield "hour", time_of_day(at)
    if r["handed_over_at"] is not None:
        yield "handed_over", 0
    if r["accepted_at"] is not None:
        yield "accepted", minutes(r["accepted_at"], at)
    assessed, due = r["protection_assessed_at"], r["protection_assessment_due"]
    if assessed is not None:
        yield "protection", minutes(assessed, at)
        if assessed <= due:
            yield "protection_on_time", 0
    else:
        yield "protection_open", microseconds(due)
    decided, prel_due = r["preliminary_decided_on"], r["preliminary_assessment_due"]
    if decided is not None:
        yield "preliminary", 0
        if decided <= prel_due:
            yield "preliminary_on_time", 0
    else:
        yield "preliminary_open", prel_due.toordinal()
    if r["repeat_of_id"] is not None:
        yield "repeat", 0
    if first_attempt is not None:
        yield "first_attempt", minutes(first_attempt, at)
    for sent, answered in requests:
        yield "request", 0
        if answered is not None:
            yield "answer", minutes(answered, sent)
    if feedback is not None:
        if feedback["delivered_at"] is not None:
            yield "feedback_delivered", 0
            if local_date(feedback["delivered_at"]) <= feedback["due"]:
                yield "feedback_on_time", 0
        else:
            yield "feedback_open", feedback["due"].toordinal()


def _not_eligible_measures(decided_at: datetime, reasons: list[str]) -> Iterator[tuple[str, int]]:
    yield "ne", 0
    yield "ne_hour", time_of_day(decided_at)
    for index, code in enumerate(Reason.ALL):
        if code in reasons:
            yield "ne_reason", index


# --- keeping them ------------------------------------------------------------------------


def mark_stale(instants: Iterable[datetime]) -> None:
    """Mark the Swedish days of `instants` for a refresh (insert only: no lost update)."""
    days = {local_date(i) for i in instants}
    StaleDay.objects.bulk_create([StaleDay(day=d) for d in sorted(days)])


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REFRESH_LOCK])


def rebuild(days: Iterable[date]) -> int:
    """Recompute `days` from the data (idempotent); returns how many rows they hold now.

    A month at a time, each in its own transaction: a ten-year backfill holds no
    lock for long, and each month's sums are rolled up with its days.
    """
    written = 0
    for month, batch in _by_month(days).items():
        with transaction.atomic():
            _lock()
            written += _write(batch, day_figures(batch))
            roll_up([month])
    return written


def _write(days: list[date], figures: Counter[Key]) -> int:
    """Replace the days' rows: one DELETE and one multi-row INSERT per 1,000 rows.

    Plain tuples through the driver, not model instances: a ten-year backfill
    writes millions of rows, and the ORM's per-field preparation was most of its time.
    """
    DailyFigure.objects.filter(day__in=days).delete()
    table = connection.ops.quote_name(DailyFigure._meta.db_table)
    columns = "day, responsible_id, controller_id, home_municipality, metric, value, n"
    adapt = connection.ops.adapt_datefield_value
    rows = [
        (adapt(day), responsible or 0, controller or 0, home, metric, value, n)
        for (day, responsible, controller, home, metric, value), n in figures.items()
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            marks = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {marks}",  # noqa: S608 (names only)
                [v for row in chunk for v in row],
            )
    return len(rows)


def refresh(first: date | None = None, last: date | None = None) -> int:
    """Recompute the stale days (between `first` and `last`); returns how many days."""
    marks = StaleDay.objects.order_by()
    if first is not None and last is not None:
        marks = marks.filter(day__gte=first, day__lte=last)
    found = list(marks.values_list("pk", "day"))
    if not found:
        return 0
    months = _by_month(day for _, day in found)
    with transaction.atomic():
        _lock()
        # The marks read before the data: one committed after this read stays for next time.
        for month, days in months.items():
            _write(days, day_figures(days))
            roll_up([month])
        StaleDay.objects.filter(pk__in=[pk for pk, _ in found]).delete()
    return sum(len(days) for days in months.values())


def roll_up(months: Iterable[date]) -> None:
    """Replace the months' monthly rows with the sums of their daily rows (in SQL)."""
    adapt = connection.ops.adapt_datefield_value
    quote = connection.ops.quote_name
    daily = quote(DailyFigure._meta.db_table)
    per_organisation = "responsible_id, controller_id, home_municipality, metric, value"
    histograms = ", ".join(["%s"] * len(HISTOGRAMS))
    for month in sorted(set(months)):
        MonthlyFigure.objects.filter(month=month).delete()
        MonthlyHistogram.objects.filter(month=month).delete()
        between = [adapt(month), adapt(month), adapt(_next_month(month))]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(MonthlyFigure._meta.db_table)} "  # noqa: S608 (names only)
                f"(month, {per_organisation}, n) "
                f"SELECT %s, {per_organisation}, SUM(n) FROM {daily} "
                f"WHERE day >= %s AND day < %s GROUP BY {per_organisation}",
                between,
            )
            cursor.execute(
                f"INSERT INTO {quote(MonthlyHistogram._meta.db_table)} "  # noqa: S608
                "(month, metric, value, n) "
                f"SELECT %s, metric, value, SUM(n) FROM {daily} "
                f"WHERE day >= %s AND day < %s AND metric IN ({histograms}) "
                "GROUP BY metric, value",
                [*between, *HISTOGRAMS],
            )


def roll_up_every_month() -> int:
    """Sum every month that has daily rows again (idempotent); returns how many months."""
    months = {month_of(day) for day in DailyFigure.objects.values_list("day", flat=True).distinct()}
    with transaction.atomic():
        _lock()
        roll_up(months)
    return len(months)


def backfill(first: date | None = None, last: date | None = None) -> int:
    """Build every day's summaries from the history (idempotent); returns how many days."""
    reports = intake.ConcernReport.objects.order_by()
    records = intake.NotEligibleRecord.objects.order_by()
    bounds = [
        b
        for qs, field in ((reports, "received_at"), (records, "decided_at"))
        for b in (
            qs.order_by(field).values_list(field, flat=True).first(),
            qs.order_by(f"-{field}").values_list(field, flat=True).first(),
        )
        if b is not None
    ]
    if not bounds:
        return 0
    first = first or local_date(min(bounds))
    last = last or local_date(max(bounds))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    StaleDay.objects.filter(day__gte=first, day__lte=last).delete()
    rebuild(days)
    return len(days)


# --- which writes change a day -------------------------------------------------------------


def _on_figures_changed(sender: type[Model], instants: set[datetime], **_: Any) -> None:
    mark_stale(instants)


def _instance_instants(instance: Model) -> list[datetime]:
    model = type(instance)
    path = str(model.FIGURES_DAY)  # type: ignore[attr-defined]
    if "__" not in path:
        return [getattr(instance, path)]
    return list(model._default_manager.filter(pk=instance.pk).values_list(path, flat=True))


def _before_save(sender: type[Model], instance: Model, update_fields: Any = None, **_: Any) -> None:
    # A report moved to another day (a back-dated correction) leaves its old day too.
    if instance.pk is None or (update_fields is not None and "received_at" not in update_fields):
        return
    old = sender._default_manager.filter(pk=instance.pk).values_list("received_at", flat=True)
    mark_stale([i for i in old if i is not None and i != instance.received_at])  # type: ignore[attr-defined]


def _after_save(sender: type[Model], instance: Model, **_: Any) -> None:
    mark_stale(i for i in _instance_instants(instance) if i is not None)


def _before_delete(sender: type[Model], instance: Model, **_: Any) -> None:
    mark_stale(i for i in _instance_instants(instance) if i is not None)
    if sender is intake.ConcernReport:
        # Its repeats stop being repeats (SET_NULL, which sends no signal), on their own days.
        mark_stale(
            intake.ConcernReport.objects.filter(repeat_of_id=instance.pk).values_list(
                "received_at", flat=True
            )
        )


SUMMARISED = (
    intake.ConcernReport,
    intake.NotEligibleRecord,
    intake.Escalation,
    intake.HandoverAttempt,
    intake.InformationRequest,
    intake.Feedback,
)


def connect() -> None:
    intake.figures_changed.connect(_on_figures_changed, dispatch_uid="followup_summaries")
    pre_save.connect(_before_save, sender=intake.ConcernReport, dispatch_uid="followup_summaries")
    for model in SUMMARISED:
        post_save.connect(_after_save, sender=model, dispatch_uid="followup_summaries")
        # before the delete: a child's report (and its day) is still there to be read
        pre_delete.connect(_before_delete, sender=model, dispatch_uid="followup_summaries")
