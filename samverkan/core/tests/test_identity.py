from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import luhn

from samverkan.core.calendar import add_months
from samverkan.core.identity import (
    InvalidPersonId,
    PersonId,
    age_on,
    is_valid_org_number,
    parse_person_id,
)

ON = date(2026, 11, 25)


def with_check_digit(nine: str) -> str:
    return nine + luhn.calc_check_digit(nine)


# --- personnummer ------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "201212121212",
        "20121212-1212",
        "1212121212",
        "121212-1212",
        " 121212 - 1212 ",
        "20121212 1212",
    ],
)
def test_10_and_12_digits_with_and_without_separator_give_the_same_number(value):
    parsed = parse_person_id(value, on=ON)
    assert parsed == PersonId("201212121212", date(2012, 12, 12), False)
    assert parsed.formatted == "20121212-1212"


def test_invalid_check_digit_is_refused_in_swedish():
    with pytest.raises(InvalidPersonId) as excinfo:
        parse_person_id("121212-1213", on=ON)
    assert "Kontrollsiffran" in excinfo.value.message
    with pytest.raises(InvalidPersonId):
        parse_person_id("20121212-1213", on=ON)


@pytest.mark.parametrize("value", ["", "abc", "12345", "1212121-212", "12121212121", "121212_1212"])
def test_wrong_shape_is_refused_with_a_hint(value):
    with pytest.raises(InvalidPersonId) as excinfo:
        parse_person_id(value, on=ON)
    assert "10 eller 12 siffror" in excinfo.value.message


def test_impossible_date_is_refused():
    number = with_check_digit("130231123")  # 31 February
    with pytest.raises(InvalidPersonId) as excinfo:
        parse_person_id(number, on=ON)
    assert "Födelsedatumet" in excinfo.value.message


def test_samordningsnummer_has_day_plus_60():
    number = with_check_digit("100567123")  # born 7 May 2010
    parsed = parse_person_id(number, on=ON)
    assert parsed.is_coordination_number
    assert parsed.birth_date == date(2010, 5, 7)
    assert parsed.number == "20100567" + "123" + number[-1]
    assert parsed.formatted == "20100567-123" + number[-1]
    # It round-trips through the stored form.
    assert parse_person_id(parsed.formatted, on=ON) == parsed


def test_samordningsnummer_with_impossible_date_is_refused():
    number = with_check_digit("100291123")  # day 91 - 60 = 31 February
    with pytest.raises(InvalidPersonId):
        parse_person_id(number, on=ON)


def test_plus_means_a_hundred_or_older():
    assert parse_person_id("121212+1212", on=ON).birth_date == date(1912, 12, 12)
    assert parse_person_id("121212-1212", on=ON).birth_date == date(2012, 12, 12)


def test_the_separator_changes_at_the_start_of_the_year_the_person_turns_100():
    last_day_at_99 = date(2025, 12, 31)
    first_day_of_100th_year = date(2026, 1, 1)
    number = with_check_digit("260601123")  # born 1 June 1926
    dash, plus = f"{number[:6]}-{number[6:]}", f"{number[:6]}+{number[6:]}"
    assert parse_person_id(dash, on=last_day_at_99).birth_date == date(1926, 6, 1)
    assert parse_person_id(plus, on=first_day_of_100th_year).birth_date == date(1926, 6, 1)
    # With "-" in 2026 the number means someone born on 1 June 2026: not yet born.
    with pytest.raises(InvalidPersonId):
        parse_person_id(dash, on=first_day_of_100th_year)


def test_century_follows_the_reference_date_not_today():
    # The same 10 digits mean different people depending on the report's date.
    assert parse_person_id("121212-1212", on=date(2011, 1, 1)).birth_date == date(1912, 12, 12)
    assert parse_person_id("121212-1212", on=date(2013, 1, 1)).birth_date == date(2012, 12, 12)


def test_default_reference_date_is_today():
    assert parse_person_id("121212-1212").birth_date == date(2012, 12, 12)


def test_birth_after_the_reference_date_is_refused():
    with pytest.raises(InvalidPersonId):
        parse_person_id("20121212-1212", on=date(2012, 12, 11))


# --- age -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "age"),
    [(date(2026, 11, 24), 17), (date(2026, 11, 25), 18), (date(2026, 11, 26), 18)],
)
def test_age_around_the_18th_birthday(day, age):
    born = parse_person_id(with_check_digit("081125123"), on=ON).birth_date
    assert born == date(2008, 11, 25)
    assert age_on(born, day) == age


def test_born_on_leap_day_turns_18_on_28_february_in_a_common_year():
    born = date(2008, 2, 29)
    assert age_on(born, date(2026, 2, 27)) == 17
    assert age_on(born, date(2026, 2, 28)) == 18
    assert age_on(born, date(2028, 2, 28)) == 19
    assert age_on(born, date(2028, 2, 29)) == 20


def test_age_before_birth_is_an_error():
    with pytest.raises(ValueError):
        age_on(date(2020, 1, 2), date(2020, 1, 1))


# --- properties ------------------------------------------------------------------

birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 25))


@st.composite
def valid_numbers(draw):
    """A valid number in any accepted form, the reference date, and what it must parse to."""
    born = draw(birth_dates)
    on = draw(st.dates(min_value=born, max_value=date(2099, 12, 31)))
    coordination = draw(st.booleans())
    serial = draw(st.integers(min_value=0, max_value=999))
    day = born.day + (60 if coordination else 0)
    twelve = f"{born.year // 100}" + with_check_digit(f"{born:%y%m}{day:02d}{serial:03d}")
    ten = twelve[2:]
    centenarian = on.year - born.year >= 100
    separator = "+" if centenarian else "-"
    forms = [twelve, f"{twelve[:8]}-{twelve[8:]}", f"{ten[:6]}{separator}{ten[6:]}"]
    if not centenarian:
        forms.append(ten)
    return draw(st.sampled_from(forms)), on, PersonId(twelve, born, coordination)


@given(valid_numbers())
def test_any_valid_number_parses_and_round_trips(case):
    value, on, expected = case
    parsed = parse_person_id(value, on=on)
    assert parsed == expected
    assert parse_person_id(parsed.formatted, on=on) == parsed
    assert parse_person_id(parsed.number, on=on) == parsed


@given(valid_numbers(), st.integers(min_value=1, max_value=9))
def test_a_changed_check_digit_is_refused(case, delta):
    value, on, _ = case
    changed = value[:-1] + str((int(value[-1]) + delta) % 10)
    with pytest.raises(InvalidPersonId):
        parse_person_id(changed, on=on)


@given(
    birth_dates,
    st.integers(min_value=0, max_value=60000),
    st.integers(min_value=0, max_value=60000),
)
def test_age_never_decreases_and_counts_birthdays(born, a, b):
    first, second = sorted((a, b))
    d1, d2 = born + timedelta(days=first), born + timedelta(days=second)
    assume(d2 <= date(9999, 1, 1))
    assert 0 <= age_on(born, d1) <= age_on(born, d2)
    years = age_on(born, d2)
    assert add_months(born, 12 * years) <= d2 < add_months(born, 12 * (years + 1))


# --- organisationsnummer ----------------------------------------------------------


@pytest.mark.parametrize("value", ["212000-0142", "2120000142", " 212000-0142 "])
def test_stockholms_stad_has_a_valid_org_number(value):
    assert is_valid_org_number(value)


@pytest.mark.parametrize(
    "value",
    [
        "212000-0143",  # wrong check digit
        "880320-0016",  # a valid personnummer: digits 3-4 are a month
        "21200001",
        "21200-00142a",
        "",
    ],
)
def test_invalid_org_numbers(value):
    assert not is_valid_org_number(value)
