from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.core.calendar import STOCKHOLM, add_months, is_working_day
from samverkan.core.deadlines import (
    feedback_due,
    investigation_due,
    late_report_from,
    legal_deadline,
    preliminary_assessment_due,
    protection_assessment_due,
)

LATE = time(20, 0)


def stockholm(*args, fold=0):
    return datetime(*args, tzinfo=STOCKHOLM, fold=fold)


# --- legal_deadline over the holidays --------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Easter 2026: Good Friday 3 April ... Easter Monday 6 April.
        (stockholm(2026, 3, 20, 10, 0), date(2026, 4, 7)),
        # Midsummer 2026: Midsummer Eve Friday 19 June.
        (stockholm(2026, 6, 5, 10, 0), date(2026, 6, 22)),
        # Christmas Eve 2026 is a Thursday: Eve, Christmas Day, Boxing Day, Sunday.
        (stockholm(2026, 12, 10, 9, 0), date(2026, 12, 28)),
        # New Year's Eve 2026 (Thursday), New Year's Day (Friday), weekend.
        (stockholm(2026, 12, 17, 9, 0), date(2027, 1, 4)),
        # Epiphany 2027 is a Wednesday.
        (stockholm(2026, 12, 23, 9, 0), date(2027, 1, 7)),
        # An ordinary Wednesday.
        (stockholm(2026, 11, 11, 9, 0), date(2026, 11, 25)),
        # A Saturday deadline moves to Monday.
        (stockholm(2026, 11, 14, 9, 0), date(2026, 11, 30)),
    ],
)
def test_preliminary_assessment_due_is_14_days_rolled(received, due):
    assert preliminary_assessment_due(received) == due


def test_preliminary_assessment_counts_from_the_swedish_date_of_receipt():
    # 00:30 on 31 March in Stockholm (just after the spring change) is 30 March in UTC.
    received = datetime(2026, 3, 30, 22, 30, tzinfo=UTC)
    assert preliminary_assessment_due(received) == date(2026, 4, 14)
    # Likewise in October, after the clocks went back.
    received = datetime(2026, 10, 26, 23, 30, tzinfo=UTC)
    assert preliminary_assessment_due(received) == date(2026, 11, 10)


@pytest.mark.parametrize(
    ("decision", "due"),
    [
        (date(2026, 12, 17), date(2026, 12, 28)),  # + 1 week = Christmas Eve
        (date(2026, 12, 24), date(2027, 1, 4)),  # + 1 week = New Year's Eve
        (date(2026, 6, 12), date(2026, 6, 22)),  # + 1 week = Midsummer Eve
        (date(2026, 3, 27), date(2026, 4, 7)),  # + 1 week = Good Friday
        (date(2026, 11, 18), date(2026, 11, 25)),
    ],
)
def test_feedback_due_is_one_week_after_the_decision_rolled(decision, due):
    assert feedback_due(decision) == due


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 8, 24), date(2026, 12, 28)),  # 24 December
        (date(2026, 10, 31), date(2027, 3, 1)),  # 28 February 2027 is a Sunday
        (date(2027, 10, 31), date(2028, 2, 29)),  # leap year, a Tuesday
        (date(2026, 2, 19), date(2026, 6, 22)),  # Midsummer Eve
        (date(2026, 11, 25), date(2027, 3, 25)),
    ],
)
def test_investigation_due_is_four_months_rolled(start, due):
    assert investigation_due(start) == due


def test_legal_deadline_without_a_period_is_the_next_working_day():
    assert legal_deadline(date(2026, 12, 24)) == date(2026, 12, 28)
    assert legal_deadline(date(2026, 12, 23)) == date(2026, 12, 23)


# --- protection assessment: same Swedish day, next day when late -----------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (stockholm(2026, 11, 25, 9, 0), stockholm(2026, 11, 25, 23, 59, 59)),
        (stockholm(2026, 11, 25, 19, 59, 59), stockholm(2026, 11, 25, 23, 59, 59)),
        (stockholm(2026, 11, 25, 20, 0), stockholm(2026, 11, 26, 23, 59, 59)),
        (stockholm(2026, 11, 25, 23, 59), stockholm(2026, 11, 26, 23, 59, 59)),
        (stockholm(2026, 11, 26, 0, 0), stockholm(2026, 11, 26, 23, 59, 59)),
        # Not moved for holidays: the out-of-hours service works on Christmas Eve.
        (stockholm(2026, 12, 24, 10, 0), stockholm(2026, 12, 24, 23, 59, 59)),
    ],
)
def test_protection_assessment_due(received, due):
    assert protection_assessment_due(received, late_from=LATE) == due


def test_protection_assessment_uses_local_time_for_utc_input():
    # 19:30 UTC in summer is 21:30 in Stockholm: late.
    received = datetime(2026, 7, 1, 19, 30, tzinfo=UTC)
    assert protection_assessment_due(received, late_from=LATE) == stockholm(2026, 7, 2, 23, 59, 59)
    # 18:30 UTC in winter is 19:30 in Stockholm: not late.
    received = datetime(2026, 1, 14, 18, 30, tzinfo=UTC)
    assert protection_assessment_due(received, late_from=LATE) == stockholm(2026, 1, 14, 23, 59, 59)


SPRING = date(2026, 3, 29)  # clocks go from 02:00 to 03:00
AUTUMN = date(2026, 10, 25)  # clocks go from 03:00 back to 02:00


@pytest.mark.parametrize(
    "received_utc",
    [
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # 01:59 CET
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 03:00 CEST (02:30 does not exist)
        datetime(2026, 3, 28, 23, 0, tzinfo=UTC),  # 00:00 CET
        datetime(2026, 3, 29, 17, 59, tzinfo=UTC),  # 19:59 CEST
    ],
)
def test_protection_assessment_on_the_spring_dst_day(received_utc):
    due = protection_assessment_due(received_utc, late_from=LATE)
    assert due == datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC)  # 23:59:59 CEST


def test_a_nonexistent_local_time_in_spring_still_lands_on_that_day():
    # 02:30 on the spring change day does not exist; Python reads it as 03:30 CEST.
    received = stockholm(2026, 3, 29, 2, 30)
    assert protection_assessment_due(received, late_from=LATE) == stockholm(2026, 3, 29, 23, 59, 59)
    assert preliminary_assessment_due(received) == date(2026, 4, 13)


@pytest.mark.parametrize(
    "received",
    [
        stockholm(2026, 10, 25, 1, 59),
        stockholm(2026, 10, 25, 2, 30, fold=0),  # first 02:30 (CEST)
        stockholm(2026, 10, 25, 2, 30, fold=1),  # second 02:30 (CET)
        stockholm(2026, 10, 25, 3, 0),
        stockholm(2026, 10, 25, 19, 59),
    ],
)
def test_protection_assessment_on_the_autumn_dst_day(received):
    due = protection_assessment_due(received, late_from=LATE)
    assert due == datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC)  # 23:59:59 CET


def test_late_report_on_a_dst_day_is_due_at_the_end_of_the_next_day():
    assert protection_assessment_due(stockholm(2026, 3, 29, 20, 0), late_from=LATE) == datetime(
        2026, 3, 30, 21, 59, 59, tzinfo=UTC
    )
    assert protection_assessment_due(stockholm(2026, 10, 24, 21, 0), late_from=LATE) == datetime(
        2026, 10, 25, 22, 59, 59, tzinfo=UTC
    )


def test_late_report_from_comes_from_settings(settings):
    assert late_report_from() == time(20, 0)
    settings.LATE_REPORT_FROM = "18:30"
    assert late_report_from() == time(18, 30)


# --- properties ---------------------------------------------------------------------

starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(
    starts,
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=10),
    st.integers(min_value=0, max_value=24),
)
def test_a_deadline_is_the_first_working_day_on_or_after_the_raw_date(start, days, weeks, months):
    raw = add_months(start, months) + timedelta(days=days, weeks=weeks)
    due = legal_deadline(start, days=days, weeks=weeks, months=months)
    assert is_working_day(due)
    assert due >= raw
    day = raw
    while day < due:
        assert not is_working_day(day)
        day += timedelta(days=1)
    assert (due - raw).days <= 5  # the longest run of days off in Sweden


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2090, 12, 31),
        timezones=st.just(UTC),
    ),
    st.times(),
)
def test_protection_assessment_is_after_receipt_and_within_two_swedish_days(received, late_from):
    due = protection_assessment_due(received, late_from=late_from)
    assert due > received
    local_received = received.astimezone(STOCKHOLM)
    local_due = due.astimezone(STOCKHOLM)
    assert local_due.time() == time(23, 59, 59)
    assert (local_due.date() - local_received.date()).days in (0, 1)
    assert ((local_due.date() - local_received.date()).days == 1) == (
        local_received.time() >= late_from
    )
