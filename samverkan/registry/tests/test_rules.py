"""Opening hours: both sides of 08:00 and 16:30, weekends, holidays, eves, DST."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.registry.rules import (
    PUBLIC_HOLIDAY,
    OpeningInterval,
    complement_intervals,
    is_open,
    office_hours_intervals,
)

STHLM = ZoneInfo("Europe/Stockholm")
INTAKE = office_hours_intervals(opens=time(8, 0), closes=time(16, 30))
OUT_OF_HOURS = complement_intervals(opens=time(8, 0), closes=time(16, 30))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=STHLM)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (local(2026, 11, 24, 7, 59, 59), False),  # Tuesday, a minute before opening
        (local(2026, 11, 24, 8, 0), True),  # from 08:00
        (local(2026, 11, 24, 16, 29, 59), True),
        (local(2026, 11, 24, 16, 30), False),  # closed from 16:30
        (local(2026, 11, 28, 10, 0), False),  # Saturday
        (local(2026, 11, 29, 10, 0), False),  # Sunday
    ],
)
def test_intake_unit_open_on_weekdays_from_8_to_half_past_4(instant, expected):
    assert is_open(INTAKE, instant) is expected
    assert is_open(OUT_OF_HOURS, instant) is not expected


@pytest.mark.parametrize(
    "day",
    [
        (2026, 1, 6),  # Epiphany, a Tuesday
        (2026, 4, 3),  # Good Friday
        (2026, 5, 14),  # Ascension Day, a Thursday
        (2026, 6, 19),  # Midsummer Eve, a Friday (de-facto holiday)
        (2025, 12, 24),  # Christmas Eve, a Wednesday
        (2025, 12, 31),  # New Year's Eve, a Wednesday
    ],
)
def test_intake_closed_and_out_of_hours_open_on_holidays_and_eves(day):
    instant = local(*day, 10, 0)
    assert not is_open(INTAKE, instant)
    assert is_open(OUT_OF_HOURS, instant)


def test_the_day_before_midsummer_eve_is_an_ordinary_working_day():
    assert is_open(INTAKE, local(2026, 6, 18, 10, 0))


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # DST starts Sunday 29 March 2026: 08:00 local is 07:00 UTC before, 06:00 UTC after.
        (datetime(2026, 3, 27, 6, 59, tzinfo=UTC), False),
        (datetime(2026, 3, 27, 7, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 30, 5, 59, tzinfo=UTC), False),
        (datetime(2026, 3, 30, 6, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 30, 14, 29, tzinfo=UTC), True),  # 16:29 CEST
        (datetime(2026, 3, 30, 14, 30, tzinfo=UTC), False),  # 16:30 CEST
        # DST ends Sunday 25 October 2026: back to 08:00 = 07:00 UTC on Monday.
        (datetime(2026, 10, 23, 6, 0, tzinfo=UTC), True),  # 08:00 CEST Friday
        (datetime(2026, 10, 26, 6, 30, tzinfo=UTC), False),  # 07:30 CET Monday
        (datetime(2026, 10, 26, 7, 0, tzinfo=UTC), True),  # 08:00 CET Monday
    ],
)
def test_office_hours_are_wall_clock_times_across_dst(utc, expected):
    assert is_open(INTAKE, utc) is expected


def test_a_utc_evening_can_be_the_next_swedish_day():
    # 23:30 UTC on Friday 18 June 2026 is 01:30 on Midsummer Eve in Stockholm.
    assert is_open(OUT_OF_HOURS, datetime(2026, 6, 18, 23, 30, tzinfo=UTC))


def test_open_24_7_is_always_open():
    assert is_open([], local(2026, 12, 24, 3, 0), open_24_7=True)
    assert not is_open([], local(2026, 12, 23, 10, 0))


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError):
        is_open(INTAKE, datetime(2026, 11, 24, 10, 0))


def test_an_interval_must_close_after_it_opens():
    with pytest.raises(ValueError):
        OpeningInterval(0, time(17, 0), time(8, 0))
    with pytest.raises(ValueError):
        OpeningInterval(8, time(8, 0), time(9, 0))
    OpeningInterval(PUBLIC_HOLIDAY, time(0, 0), time(0, 0))  # the whole day


def test_an_interval_not_on_working_days_only_is_open_on_a_holiday():
    saturday_style = [OpeningInterval(1, time(9, 0), time(12, 0), working_days_only=False)]
    assert is_open(saturday_style, local(2026, 1, 6, 10, 0))  # Epiphany, Tuesday


instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@given(instants)
def test_out_of_hours_is_open_exactly_when_intake_is_closed(instant):
    assert is_open(INTAKE, instant) != is_open(OUT_OF_HOURS, instant)


@given(instants)
def test_one_second_earlier_than_opening_the_intake_is_closed(instant):
    local_instant = instant.astimezone(STHLM)
    opening = local_instant.replace(hour=8, minute=0, second=0, microsecond=0)
    if is_open(INTAKE, opening):
        assert not is_open(INTAKE, opening - timedelta(seconds=1))
