from datetime import UTC, date, datetime, timedelta

import pytest

from samverkan.core.calendar import (
    STOCKHOLM,
    add_months,
    end_of_local_day,
    is_public_holiday,
    is_working_day,
    local_date,
    local_datetime,
    next_working_day,
)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),  # Nyårsdagen
        date(2026, 1, 6),  # Trettondedag jul
        date(2026, 4, 3),  # Långfredagen
        date(2026, 4, 5),  # Påskdagen
        date(2026, 4, 6),  # Annandag påsk
        date(2026, 5, 1),
        date(2026, 5, 14),  # Kristi himmelsfärdsdag
        date(2026, 6, 6),  # Nationaldagen
        date(2026, 6, 19),  # Midsommarafton
        date(2026, 6, 20),  # Midsommardagen
        date(2026, 10, 31),  # Alla helgons dag
        date(2026, 12, 24),  # Julafton
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 31),  # Nyårsafton
        date(2027, 6, 25),  # Midsommarafton 2027
        date(2030, 6, 21),  # Midsommarafton 2030
    ],
)
def test_public_holidays_and_eves(day):
    assert is_public_holiday(day)
    assert not is_working_day(day)


def test_an_ordinary_sunday_is_not_a_holiday_but_not_a_working_day_either():
    sunday = date(2026, 6, 14)
    assert sunday.weekday() == 6
    assert not is_public_holiday(sunday)
    assert not is_working_day(sunday)


@pytest.mark.parametrize(
    "day",
    [date(2026, 6, 18), date(2026, 6, 22), date(2026, 12, 23), date(2026, 12, 30)],
)
def test_ordinary_weekdays_are_working_days(day):
    assert is_working_day(day)
    assert not is_public_holiday(day)


def test_midsummer_eve_is_always_a_friday_between_19_and_25_june():
    for year in range(1990, 2100):
        eves = [date(year, 6, d) for d in range(19, 26) if is_public_holiday(date(year, 6, d))]
        fridays = [d for d in eves if d.weekday() == 4]
        assert len(fridays) == 1, year


def test_next_working_day_over_christmas_and_new_year():
    assert next_working_day(date(2026, 12, 23)) == date(2026, 12, 23)
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)
    assert next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)
    assert next_working_day(date(2027, 1, 6)) == date(2027, 1, 7)


def test_next_working_day_over_easter():
    assert next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 10, 31), 4, date(2027, 2, 28)),
        (date(2027, 10, 31), 4, date(2028, 2, 29)),
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_local_date_is_the_swedish_date():
    # 23:30 UTC on a summer evening is 01:30 the next day in Stockholm.
    assert local_date(datetime(2026, 6, 18, 23, 30, tzinfo=UTC)) == date(2026, 6, 19)
    # In winter the offset is one hour.
    assert local_date(datetime(2026, 1, 14, 22, 59, tzinfo=UTC)) == date(2026, 1, 14)
    assert local_date(datetime(2026, 1, 14, 23, 0, tzinfo=UTC)) == date(2026, 1, 15)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        local_datetime(datetime(2026, 1, 1, 12, 0))


def test_local_datetime_is_in_stockholm():
    local = local_datetime(datetime(2026, 7, 1, 10, 0, tzinfo=UTC))
    assert local.tzinfo == STOCKHOLM
    assert (local.hour, local.utcoffset()) == (12, timedelta(hours=2))


@pytest.mark.parametrize(
    ("day", "utc"),
    [
        (date(2026, 1, 14), datetime(2026, 1, 14, 22, 59, 59, tzinfo=UTC)),
        (date(2026, 7, 14), datetime(2026, 7, 14, 21, 59, 59, tzinfo=UTC)),
        # The days the clocks change: the day ends in the new offset.
        (date(2026, 3, 29), datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC)),
        (date(2026, 10, 25), datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC)),
    ],
)
def test_end_of_local_day(day, utc):
    end = end_of_local_day(day)
    assert end == utc
    assert end.astimezone(STOCKHOLM).replace(tzinfo=None) == datetime(
        day.year, day.month, day.day, 23, 59, 59
    )
