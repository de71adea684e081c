"""Stand-in for `samverkan.core.identity` (contract in CONTRACTS.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import luhn


class InvalidPersonId(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PersonId:
    number: str

    @property
    def is_coordination_number(self) -> bool:
        return int(self.number[6:8]) > 60

    @property
    def birth_date(self) -> date:
        day = int(self.number[6:8])
        if day > 60:
            day -= 60
        return date(int(self.number[:4]), int(self.number[4:6]), day)

    @property
    def formatted(self) -> str:
        return f"{self.number[:8]}-{self.number[8:]}"


_PATTERN = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$")


def parse_person_id(value: str, *, on: date | None = None) -> PersonId:
    text = (value or "").strip().replace(" ", "")
    match = _PATTERN.match(text)
    if not match:
        raise InvalidPersonId("Identitetsnumret ska ha 10 eller 12 siffror.")
    century, body, sep, tail = match.groups()
    if not luhn.is_valid(body + tail):
        raise InvalidPersonId("Kontrollsiffran stämmer inte.")
    reference = on or date.today()
    if century is None:
        yy = int(body[:2])
        year = (reference.year // 100) * 100 + yy
        if year > reference.year:
            year -= 100
        if sep == "+":
            year -= 100
        century = f"{year // 100:02d}"
    candidate = PersonId(number=f"{century}{body}{tail}")
    try:
        candidate.birth_date  # noqa: B018
    except ValueError as error:
        raise InvalidPersonId("Födelsedatumet finns inte.") from error
    if candidate.birth_date > reference:
        raise InvalidPersonId("Födelsedatumet ligger i framtiden.")
    return candidate


def age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
