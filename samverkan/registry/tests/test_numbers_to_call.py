"""The right number first (issue 18, point 4): who answers now comes first, each labelled."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from samverkan.registry.rules import (
    Line,
    UnitLines,
    complement_intervals,
    numbers_to_call,
    office_hours_intervals,
)

SE = ZoneInfo("Europe/Stockholm")
SATURDAY_NIGHT = datetime(2026, 12, 5, 23, 30, tzinfo=SE)
TUESDAY_10 = datetime(2026, 12, 8, 10, 0, tzinfo=SE)
MIDSUMMER_EVE_10 = datetime(2026, 6, 19, 10, 0, tzinfo=SE)  # a Friday

OPENS, CLOSES = time(8), time(16, 30)
VARMDO_INTAKE = UnitLines(
    name="Värmdö, mottagningen",
    kind="intake",
    intervals=tuple(office_hours_intervals(opens=OPENS, closes=CLOSES)),
    lines=(Line("08-465 004 25", "office_hours"),),
)
SYDOST = UnitLines(
    name="Socialjour Sydost",
    kind="out_of_hours",
    intervals=tuple(complement_intervals(opens=OPENS, closes=CLOSES)),
    lines=(Line("08-465 004 51", "fallback", 2), Line("08-465 004 50", "handover_24_7")),
)
HUB = UnitLines(
    name="Socialjouren Stockholm",
    kind="out_of_hours",
    open_24_7=True,
    is_hub=True,
    lines=(Line("08-465 004 01", "handover_24_7"), Line("08-465 004 00", "police_line")),
)


def called(at: datetime, *units: UnitLines) -> list[tuple[str, str, bool]]:
    return [(n.number, n.label, n.answers_now) for n in numbers_to_call(units, at)]


def test_saturday_night_the_joint_service_and_its_reserve_number_first():
    # The report was routed to the intake unit in office hours: it is listed first, but
    # at night nobody answers there.
    assert called(SATURDAY_NIGHT, VARMDO_INTAKE, SYDOST) == [
        ("08-465 004 50", "Dygnet runt", True),
        ("08-465 004 51", "Reservnummer", True),
        ("08-465 004 25", "Kontorstid", False),
    ]


def test_tuesday_at_ten_the_office_number_first():
    assert called(TUESDAY_10, SYDOST, VARMDO_INTAKE) == [
        ("08-465 004 25", "Kontorstid", True),
        ("08-465 004 50", "Dygnet runt", False),
        ("08-465 004 51", "Reservnummer", False),
    ]


def test_on_a_weekday_holiday_eve_the_out_of_hours_service_answers():
    assert called(MIDSUMMER_EVE_10, VARMDO_INTAKE, SYDOST)[0] == (
        "08-465 004 50",
        "Dygnet runt",
        True,
    )


def test_the_hub_is_never_told_to_call_itself():
    numbers = called(SATURDAY_NIGHT, HUB, VARMDO_INTAKE)
    assert numbers == [("08-465 004 25", "Kontorstid", False)]
