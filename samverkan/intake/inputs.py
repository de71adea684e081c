"""Parsing report input shared by the route command, the API and the hub's form.

Bad input raises `InvalidInput` naming the field, with a Swedish message.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from samverkan.core.calendar import STOCKHOLM
from samverkan.core.errors import InvalidInput
from samverkan.intake.services import ReportInput

FACT_FIELDS = (
    "person_id",
    "birth_date",
    "found_in",
    "home_municipality",
    "home_district",
    "gang_related",
)


def parse_instant(value: str) -> datetime:
    """An ISO 8601 instant; without an offset it is Stockholm wall-clock time.

    A wall-clock time that does not exist (the spring-forward hour) or exists
    twice (the fall-back hour) without an offset is refused.
    """
    try:
        parsed = datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError) as error:
        raise InvalidInput("at", f"Ogiltig tidpunkt: {value!r} (ISO 8601 väntas).") from error
    if parsed.tzinfo is not None:
        return parsed
    first = parsed.replace(tzinfo=STOCKHOLM, fold=0)
    second = parsed.replace(tzinfo=STOCKHOLM, fold=1)
    try:
        round_trip = first.astimezone(UTC).astimezone(STOCKHOLM)
    except OverflowError as error:  # 0001-01-01 00:30 Stockholm is before year 1 in UTC
        raise InvalidInput("at", f"Ogiltig tidpunkt: {value!r} (utanför kalendern).") from error
    if round_trip.replace(tzinfo=None) != parsed:
        raise InvalidInput("at", f"Tidpunkten {value} finns inte (sommartidens början).")
    if first.utcoffset() != second.utcoffset():
        raise InvalidInput(
            "at", f"Tidpunkten {value} finns två gånger (sommartidens slut): ange tidszon."
        )
    return first


def _optional_str(payload: dict[str, Any], field: str) -> str | None:
    value = payload.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, f"Fältet {field} ska vara text eller null.")
    return value.strip() or None


def _required_str(payload: dict[str, Any], field: str) -> str:
    if field not in payload:
        raise InvalidInput(field, f"Fältet {field} saknas.")
    value = _optional_str(payload, field)
    if value is None:
        raise InvalidInput(field, f"Fältet {field} får inte vara tomt.")
    return value


def _bool(payload: dict[str, Any], field: str, *, required: bool) -> bool:
    if field not in payload:
        if required:
            raise InvalidInput(field, f"Fältet {field} saknas.")
        return False
    value = payload[field]
    if not isinstance(value, bool):
        raise InvalidInput(field, f"Fältet {field} ska vara true eller false.")
    return value


def parse_report_facts(payload: Any, **extra: Any) -> ReportInput:
    """The six facts of the route command's input (see issue 4)."""
    if not isinstance(payload, dict):
        raise InvalidInput("__root__", "Indata ska vara ett JSON-objekt.")
    for field in FACT_FIELDS:
        if field not in payload:
            raise InvalidInput(field, f"Fältet {field} saknas.")
    birth_date = None
    raw_birth = _optional_str(payload, "birth_date")
    if raw_birth is not None:
        try:
            birth_date = date.fromisoformat(raw_birth)
        except ValueError as error:
            raise InvalidInput("birth_date", "Födelsedatum ska skrivas ÅÅÅÅ-MM-DD.") from error
    return ReportInput(
        person_id=_optional_str(payload, "person_id"),
        birth_date=birth_date,
        found_in=_required_str(payload, "found_in"),
        home_municipality=_optional_str(payload, "home_municipality"),
        home_district=_optional_str(payload, "home_district"),
        gang_related=_bool(payload, "gang_related", required=True),
        **extra,
    )
