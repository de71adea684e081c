"""Swedish identity numbers: personnummer, samordningsnummer, organisationsnummer.

Built on python-stdnum (`stdnum.se.personnummer`, `stdnum.se.orgnr`,
`stdnum.luhn`), which checks the format and the Luhn check digit. It lacks what
a case system needs, so this module adds it:

- the century of a 10-digit number is decided by a *reference date* (`on`:
  the date of a report, not today): ``-`` means under 100 in that year,
  ``+`` means the person turns 100 or more that year (Folkbokföringslagen
  (1991:481) 18 §: the separator changes at the start of the year the person
  turns 100);
- samordningsnummer (coordination numbers) carry the birth day plus 60, which
  stdnum rejects as an impossible date;
- numbers are stored with 12 digits (century included), shown "YYYYMMDD-NNNN".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from stdnum.exceptions import ValidationError
from stdnum.se import orgnr, personnummer

_COORDINATION_OFFSET = 60
_SHAPE = re.compile(r"^(?P<date>\d{6}|\d{8})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$")
# Already compact (ASCII digits, at most the separator before the last four): what
# stdnum's compact would return unchanged, so the fast path skips it (issue 8).
_COMPACT = re.compile(r"^(?:\d{10}|\d{12}|\d{6}[-+]\d{4}|\d{8}[-+]\d{4})$")


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = ord(char) - 48
        if position % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


class InvalidPersonId(ValueError):
    """The value is not a valid personnummer or samordningsnummer.

    `message` is a Swedish text fit to show to the user beside the field.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PersonId:
    number: str  # 12 digits, century included, no separator
    birth_date: date
    is_coordination_number: bool

    @property
    def formatted(self) -> str:
        return f"{self.number[:8]}-{self.number[8:]}"

    def __str__(self) -> str:
        return self.formatted


_MSG_SHAPE = "Ange personnumret med 10 eller 12 siffror, till exempel ÅÅÅÅMMDD-NNNN."
_MSG_CHECKSUM = "Kontrollsiffran stämmer inte. Kontrollera att numret är rätt inskrivet."
_MSG_DATE = "Födelsedatumet i numret finns inte."
_MSG_FUTURE = "Numret anger ett födelsedatum som ännu inte har inträffat."


def _century_year(yy: int, plus: bool, on: date) -> int:
    """The full year for a two-digit year, given the separator and a reference date.

    ``-``: the person is under 100 in the reference year, so the year lies in
    (on.year - 100, on.year]. ``+``: 100 or older, the century before that.
    """
    year = on.year - ((on.year - yy) % 100)
    if plus:
        year -= 100
    return year


def parse_person_id(value: str, *, on: date | None = None) -> PersonId:
    """Parse a personnummer or samordningsnummer, 10 or 12 digits, with or without separator.

    `on` is the reference date that decides the century of a 10-digit number
    (default: today); a birth date after it is refused. With 12 digits the
    separator carries no information and may be ``-``, ``+`` or absent.
    Raises `InvalidPersonId` with a Swedish message.
    """
    reference = on or date.today()
    if not isinstance(value, str):
        raise InvalidPersonId(_MSG_SHAPE)
    stripped = value.strip()
    if _COMPACT.match(stripped):
        compacted = stripped
    else:
        try:
            # stdnum's compact strips spaces and colons and normalises the separator.
            compacted = personnummer.compact(stripped)
        except (ValidationError, IndexError):
            raise InvalidPersonId(_MSG_SHAPE) from None
    match = _SHAPE.match(compacted)
    if match is None:
        raise InvalidPersonId(_MSG_SHAPE)
    date_part, sep, serial, check = match["date"], match["sep"], match["serial"], match["check"]
    if len(date_part) == 8:
        year = int(date_part[:4])
        month_day = date_part[4:]
    else:
        year = _century_year(int(date_part[:2]), sep == "+", reference)
        month_day = date_part[2:]
    month, day = int(month_day[:2]), int(month_day[2:])
    twelve = f"{year:04d}{month_day}{serial}{check}"

    if not _luhn_valid(twelve[2:]):
        raise InvalidPersonId(_MSG_CHECKSUM)
    coordination = day > _COORDINATION_OFFSET
    if coordination:
        day -= _COORDINATION_OFFSET
    # Shape and check digit are verified above; what stdnum's validate() would still
    # check is that the date exists – which is all date() needs to be asked.
    try:
        birth = date(year, month, day)
    except ValueError:
        raise InvalidPersonId(_MSG_DATE) from None
    if birth > reference:
        raise InvalidPersonId(_MSG_FUTURE)
    return PersonId(number=twelve, birth_date=birth, is_coordination_number=coordination)


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on `day` (a Swedish date).

    The birthday in a year is the same day of the month or, when the month is
    shorter (29 February in a common year), its last day — the rule of lag
    (1930:173) 1 § for periods in years. So someone born on 29 February 2008
    turns 18 on 28 February 2026.
    """
    if day < birth_date:
        raise ValueError("day lies before birth_date")
    years = day.year - birth_date.year
    last = calendar.monthrange(day.year, birth_date.month)[1]
    birthday = date(day.year, birth_date.month, min(birth_date.day, last))
    if day < birthday:
        years -= 1
    return years


def is_valid_org_number(value: str) -> bool:
    """An organisationsnummer NNNNNN-NNNN: digits 3–4 at least 20 and a Luhn check digit.

    The "20" rule keeps personnummer (whose digits 3–4 are a month) out.
    Stockholms stad is 212000-0142.
    """
    if not isinstance(value, str):
        return False
    compacted = orgnr.compact(value)
    if not re.fullmatch(r"\d{10}", compacted):
        return False
    if int(compacted[2:4]) < 20:
        return False
    return bool(orgnr.is_valid(compacted))
