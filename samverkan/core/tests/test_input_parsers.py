"""Property tests for every parser of outside input (issue 9, part 5).

Whatever a user, a police system or a file name throws at them, the parsers
answer with their own refusal (a Swedish message for the field) or a value —
never another exception, which would surface as a server error.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from samverkan.core.identity import InvalidPersonId, is_valid_org_number, parse_person_id
from samverkan.core.uploads import MAX_NAME_LENGTH, SIGNATURES, upload_problem
from samverkan.defectors.services import parse_amount
from samverkan.followup.periods import InvalidPeriod, parse_date
from samverkan.intake.inputs import parse_instant, parse_report_facts
from samverkan.intake.services import InvalidInput, validate_codes

ON = date(2026, 11, 25)
digits_and_marks = st.text(alphabet="0123456789-+ \t", max_size=20)
any_text = st.one_of(st.text(max_size=40), digits_and_marks)

# --- identity numbers -------------------------------------------------------------


@given(any_text, st.dates())
@example("000229-0000", ON)  # no 29 February in 2000's neighbour century
@example("99991231-9999", ON)
@example("0001010-0000", date(1, 1, 1))
def test_person_id_parser_refuses_in_swedish_or_parses(value, on):
    try:
        parsed = parse_person_id(value, on=on)
    except InvalidPersonId as error:
        assert error.message
        return
    assert len(parsed.number) == 12 and parsed.number.isdigit()
    assert parsed.birth_date <= on


@given(any_text)
def test_org_number_check_never_raises(value):
    assert is_valid_org_number(value) in (True, False)


# --- dates and instants -----------------------------------------------------------


@given(st.one_of(any_text, st.dates().map(date.isoformat)))
def test_date_parser_refuses_in_swedish_or_parses(value):
    try:
        assert isinstance(parse_date(value, "Från"), date)
    except InvalidPeriod as error:
        # Not a date, or a day follow-up cannot count on (year 1 or 9999 overflowed).
        assert str(error).startswith("Från: ")
        assert "ÅÅÅÅ-MM-DD" in str(error) or "mellan 2000-01-01 och 2099-12-31" in str(error)


@given(
    st.one_of(
        any_text,
        st.datetimes().map(datetime.isoformat),
        st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat),
    )
)
@example("0001-01-01T00:30:00")  # before year 1 in UTC
@example("9999-12-31T23:59:59-10:00")  # after year 9999 in UTC
@example("2026-03-29T02:30:00")  # spring-forward gap
@example("2026-10-25T02:30:00")  # fall-back fold
def test_instant_parser_refuses_in_swedish_or_parses(value):
    try:
        parsed = parse_instant(value)
    except InvalidInput as error:
        assert error.field == "at" and error.message
        return
    assert parsed.tzinfo is not None


# --- municipality codes and report facts ------------------------------------------

REGISTRY = SimpleNamespace(
    municipality_names={"0180": "Stockholm", "0182": "Nacka", "0184": "Solna"},
    districts={"Farsta": None, "Kungsholmen": None},
)
code = st.one_of(st.sampled_from(["0180", "0182", "0184", "0000", "180", "01800"]), any_text)
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "person_id": st.one_of(st.none(), any_text, json_value),
            "birth_date": st.one_of(st.none(), any_text, st.dates().map(date.isoformat)),
            "found_in": st.one_of(code, json_value),
            "home_municipality": st.one_of(st.none(), code, json_value),
            "home_district": st.one_of(st.none(), st.sampled_from(["Farsta", "Nowhere"]), any_text),
            "gang_related": st.one_of(st.booleans(), json_value),
        },
    )
)
def test_report_facts_and_municipality_codes_refuse_by_field_or_parse(payload):
    try:
        data = parse_report_facts(payload)
        validate_codes(data, REGISTRY)  # type: ignore[arg-type]
    except InvalidInput as error:
        assert error.field and error.message
        return
    assert data.found_in in REGISTRY.municipality_names
    assert data.home_municipality is None or data.home_municipality in REGISTRY.municipality_names


@given(json_value)
def test_report_facts_that_are_not_an_object_are_refused(payload):
    if isinstance(payload, dict):
        return
    with pytest.raises(InvalidInput):
        parse_report_facts(payload)


# --- amounts (defectors' cost bookings) --------------------------------------------


@given(st.one_of(any_text, st.decimals(), st.integers(), st.floats()))
@example("1e999999")
@example("-1E+1000000")
@example("sNaN")
@example("Infinity")
def test_amount_parser_refuses_in_swedish_or_gives_whole_oren(value):
    try:
        amount = parse_amount(value)
    except InvalidInput as error:
        assert error.message
        return
    assert amount == amount.quantize(Decimal("0.01"))
    assert 0 < abs(amount) < Decimal("10000000000")


# --- uploaded documents' names and sizes ----------------------------------------------

extension = st.sampled_from([*SIGNATURES, "PDF", "exe", "html", "svg", "", "pdf.exe"])
names = st.one_of(
    st.builds(lambda stem, ext: f"{stem}.{ext}" if ext else stem, st.text(max_size=60), extension),
    st.text(max_size=300),
)
heads = st.one_of(st.sampled_from([s[0] for s in SIGNATURES.values()]), st.binary(max_size=16))


@settings(max_examples=300)
@given(names, st.integers(min_value=-10, max_value=50 * 1024 * 1024), heads)
def test_upload_rule_never_raises_and_accepts_only_what_it_promises(name, size, head):
    from django.conf import settings as django_settings

    problem = upload_problem(name=name, size=size, head=head)
    if problem is not None:
        assert isinstance(problem, str) and problem
        return
    assert 0 < size <= django_settings.UPLOAD_MAX_BYTES
    assert 0 < len(name) <= MAX_NAME_LENGTH
    assert not any(ch in name for ch in "/\\\x00")
    kind = name.rsplit(".", 1)[-1].lower()
    assert head.startswith(SIGNATURES[kind])


@pytest.mark.parametrize(
    "name,size,head,accepted",
    [
        ("beslut.pdf", 1000, b"%PDF-1.7\n", True),
        ("BILD.JPG", 1000, b"\xff\xd8\xff\xe0", True),
        ("karta.png", 1000, b"\x89PNG\r\n\x1a\n", True),
        ("beslut.pdf", 0, b"", False),
        ("beslut.pdf", 10 * 1024 * 1024 + 1, b"%PDF-", False),
        ("beslut.pdf", 1000, b"<html><script>", False),  # renamed HTML page
        ("beslut.pdf.exe", 1000, b"MZ", False),
        ("../../etc/passwd.pdf", 1000, b"%PDF-", False),
        ("bild.svg", 1000, b"<svg", False),  # SVG can carry script
        ("x" * 300 + ".pdf", 1000, b"%PDF-", False),
    ],
)
def test_upload_examples(name, size, head, accepted):
    assert (upload_problem(name=name, size=size, head=head) is None) is accepted
