"""The one personal-data guard for free text: identity numbers and names.

Every form field, API field and service argument that takes free text or an
alias where no personal data may appear is checked here (`scan`), so that a
personnummer cannot slip through one app while another refuses it.

Verdicts, strongest first:

- ``REFUSED``: a valid personnummer or samordningsnummer (birth day + 60) — never
  accepted, however it is written: 10 or 12 digits, ``-``/``+``/dash/minus/space/
  dot between date and serial, ``YYYY-MM-DD-NNNN``, full-width digits, zero-width
  characters or soft hyphens inside (`normalise`).
- ``CHECK_DIGIT``: a number shaped like one, with a real birth date, whose check
  digit is wrong — most likely a mistyped identity number, so the writer must
  confirm before it is sent. A phone-shaped number (a leading 0, or a phone word
  just before it) with a wrong check digit is a phone number and not reported.
- ``NAME``: an ordinary Swedish first name or surname, from the maintained list
  in ``data/swedish_names.tsv`` (see `generate_name_list`). A capitalised first
  name followed by a capitalised surname (or a word shaped like one) is *strong*;
  a name that is also an everyday word ("Per", "Bo", "Inga", "Stark") counts only
  mid-sentence or in such a pair, so "Per vecka kommer tio elever" is clean.
- ``CLEAN``.

`PersonalDataFound` (an `InvalidInput`) is how a service refuses; `guard_text` is
the service-level check, `core.forms.PersonalDataGuardForm` the forms' and
`core.api_schemas.PersonalDataGuardedSchema` the API schemas'.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from functools import cache
from pathlib import Path
from typing import Literal

from django.utils import timezone

from samverkan.core.calendar import local_date
from samverkan.core.errors import InvalidInput
from samverkan.core.identity import InvalidPersonId, parse_person_id

NAME_LIST_PATH = Path(__file__).resolve().parent / "data" / "swedish_names.tsv"


class Verdict(IntEnum):
    """Ordered by strength: a text's verdict is its strongest finding's."""

    CLEAN = 0
    NAME = 1
    CHECK_DIGIT = 2
    REFUSED = 3


# --- normalising ---------------------------------------------------------------------------

# Invisible characters that can sit between digits (pasted from other systems, or put
# there on purpose): zero-width space, non-joiner and joiner, word joiner, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Dashes and minus signs NFKC leaves alone: hyphen, non-breaking hyphen, figure dash,
# en dash, em dash, horizontal bar, minus sign.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


def normalise(text: str) -> str:
    """Text as the guard reads it: NFKC (full-width digits and spaces become ASCII),
    invisible characters removed, every dash a hyphen."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASHES)


# --- identity numbers ----------------------------------------------------------------------

# Date digits written together (6 or 8) and four serial digits, with at most one
# separator between them (hyphen, plus or dot, spaces allowed around it, or a space).
_COMPACT_ID = re.compile(r"(?<![\d.,/-])(\d{6}|\d{8})(\s?[-+.]\s?|\s)?(\d{4})(?![\d-])")
# Date written with separators (YYYY-MM-DD, YY.MM.DD, YYYY MM DD), then ``-`` or ``+``
# before the serial: a date followed by a plain number ("2026-11-25 2000 kr") is not one.
_SPLIT_ID = re.compile(
    r"(?<![\d.,/-])(\d{2}|\d{4})([-. ])(\d{2})\2(\d{2})\s?([-+])\s?(\d{4})(?![\d-])"
)
# A phone number is announced by a word like these shortly before it.
_PHONE_CUE = re.compile(r"\b(tel|telefon|mobil|mob|ring|sms|fax|växel)\W{0,3}$", re.I)


@dataclass(frozen=True)
class Finding:
    verdict: Verdict
    text: str  # as found, normalised
    strong: bool = True  # for names: a full name or an unambiguous first name


def _birth_date_is_real(date_digits: str, plus: bool, on: date) -> bool:
    """Whether the date part could be someone's birth date (samordningsnummer: day + 60)."""
    if len(date_digits) == 8:
        year = int(date_digits[:4])
    else:
        yy = int(date_digits[:2])
        year = on.year - ((on.year - yy) % 100) - (100 if plus else 0)
    month, day = int(date_digits[-4:-2]), int(date_digits[-2:])
    if day > 60:
        day -= 60
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return on.year - 120 <= born.year and born <= on


def _identity_candidates(text: str) -> Iterator[tuple[re.Match[str], str, str, str]]:
    """(match, date digits, separator before the serial, serial) for each shape."""
    for match in _COMPACT_ID.finditer(text):
        between = match[2] or ""
        yield match, match[1], between.strip() or between, match[3]  # a lone space stays " "
    for match in _SPLIT_ID.finditer(text):
        yield match, match[1] + match[3] + match[4], match[5], match[6]


def _looks_like_phone(text: str, match: re.Match[str], date_digits: str, separator: str) -> bool:
    """Ten digits from 0 with nothing between ("0701234567"), or a phone word just before."""
    if len(date_digits) == 6 and date_digits.startswith("0") and not separator:
        return True
    return bool(_PHONE_CUE.search(text[max(0, match.start() - 20) : match.start()]))


def find_identity_numbers(text: str, *, on: date) -> list[Finding]:
    """Personnummer and samordningsnummer in normalised `text`: valid ones as
    ``REFUSED``, ones with a real birth date but a wrong check digit as ``CHECK_DIGIT``."""
    found: dict[str, Finding] = {}
    for match, date_digits, separator, serial in _identity_candidates(text):
        written = match[0].strip()
        plus = separator == "+"
        try:
            parse_person_id(f"{date_digits}{separator if plus else '-'}{serial}", on=on)
        except InvalidPersonId:
            if not _birth_date_is_real(date_digits, plus, on):
                continue
            if _looks_like_phone(text, match, date_digits, separator):
                continue
            found.setdefault(written, Finding(Verdict.CHECK_DIGIT, written))
        else:
            found[written] = Finding(Verdict.REFUSED, written)
    return list(found.values())


# --- names ---------------------------------------------------------------------------------

# Names that are also everyday Swedish words: a sentence may begin with them ("Inga
# elever …", "Per vecka …", "Stark oro …"), so alone at a sentence's start they are
# not taken for names. Chosen by hand from the name list's overlap with a Swedish
# dictionary; a word here is still a name mid-sentence or before a surname.
EVERYDAY_WORDS = frozenset(
    """
    ben bo dag del fred frisk frost gren hall hans inga juni junior klara liv maj malm max
    mina modig nord per rask rosa skog sten stig stark storm strand strid ström sund tom urban
    """.split()
)
# Capitalised words that are common in these texts and collide with the list.
NOT_NAMES = frozenset("lucia valborg".split())
# A saint's name is a parish, church or school ("Sankt Göran", "S:t Erik"), not a person.
_SAINT = re.compile(r"\b(?:Sankt|S:t|S:ta|Sancta)\s$")

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# A capitalised word shaped like a Swedish surname (Ankasson, Lindqvist, Sjöberg …).
_SURNAME_SHAPE = re.compile(
    r"\w+(sson|son|sen|berg|borg|ström|gren|lund|qvist|kvist|strand|holm|dahl|gård|stedt|"
    r"ling|man|lin|ander|ius|ell|én|ér)$"
)


@cache
def _name_list() -> dict[str, frozenset[str]]:
    """Case-folded name -> its kinds ("first", "last"), from the shipped list."""
    names: dict[str, frozenset[str]] = {}
    for line in NAME_LIST_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, kinds = line.split("\t")
            names[name.casefold()] = frozenset(kinds.split("+"))
    return names


def _kinds(word: str) -> frozenset[str]:
    """The name kinds of a capitalised word, or of its genitive ("Kalles", "Svenssons")."""
    names = _name_list()
    key = word.casefold()
    if key in NOT_NAMES:
        return frozenset()
    if key in names:
        return names[key]
    if key.endswith("s") and key[:-1] in names and key[:-1] not in EVERYDAY_WORDS:
        return names[key[:-1]]
    return frozenset()


def _capitalised(word: str) -> bool:
    return word[0].isupper() and not word.isupper()


def _starts_sentence(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \t\"'”»(")
    return not before or before[-1] in ".!?:;\n•*–-"


def find_names(text: str) -> list[Finding]:
    """Swedish first names and surnames in `text` (see the module docstring)."""
    words = [m for m in _WORD.finditer(text) if _capitalised(m[0])]
    found: dict[str, Finding] = {}
    paired: set[int] = set()
    for first, second in zip(words, words[1:], strict=False):
        if text[first.end() : second.start()] != " " or "first" not in _kinds(first[0]):
            continue
        if "last" in _kinds(second[0]) or _SURNAME_SHAPE.match(second[0].casefold()):
            pair = f"{first[0]} {second[0]}"
            found.setdefault(pair, Finding(Verdict.NAME, pair, strong=True))
            paired.update((first.start(), second.start()))
    for word in words:
        kinds = _kinds(word[0])
        if not kinds or word.start() in paired or _SAINT.search(text[: word.start()]):
            continue
        everyday = word[0].casefold() in EVERYDAY_WORDS
        if everyday and _starts_sentence(text, word.start()):
            continue
        strong = "first" in kinds and not everyday
        found.setdefault(word[0], Finding(Verdict.NAME, word[0], strong=strong))
    return list(found.values())


# --- the verdict -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    findings: tuple[Finding, ...]

    @property
    def verdict(self) -> Verdict:
        return max((f.verdict for f in self.findings), default=Verdict.CLEAN)

    def of(self, verdict: Verdict) -> tuple[str, ...]:
        return tuple(f.text for f in self.findings if f.verdict == verdict)

    @property
    def strong_names(self) -> tuple[str, ...]:
        return tuple(f.text for f in self.findings if f.verdict == Verdict.NAME and f.strong)


def scan(text: str, *, on: date | None = None) -> Scan:
    """Every identity number and name in `text`; `on` decides the century of 10 digits."""
    plain = normalise(text or "")
    day = on or local_date(timezone.now())  # Swedish today: the century turns at local midnight
    return Scan(tuple(find_identity_numbers(plain, on=day) + find_names(plain)))


# --- refusing ------------------------------------------------------------------------------

NamePolicy = Literal["warn", "refuse", "allow"]
# The box a writer ticks to send a text the guard only warned about (forms and API alike).
CONFIRM_FIELD = "confirm_no_personal_data"
CONFIRM_LABEL = "Jag har kontrollerat texten: den innehåller inga personuppgifter."


class PersonalDataFound(InvalidInput):
    """Text holds personal data; `needs_confirmation`: only warnings, the writer may confirm."""

    def __init__(self, field: str, message: str, *, needs_confirmation: bool) -> None:
        super().__init__(field, message)
        self.needs_confirmation = needs_confirmation


def _quote(items: tuple[str, ...]) -> str:
    return ", ".join(f"”{item}”" for item in items)


def refusal(
    field: str, text: str, *, confirmed: bool, names: NamePolicy = "warn", on: date | None = None
) -> PersonalDataFound | None:
    """Why `text` may not be saved in `field`, or None.

    Identity numbers are always refused. A number with a wrong check digit, and a
    name (`names="warn"`), need the writer's confirmation; `names="refuse"` (an
    anonymous text) refuses strong names too; `names="allow"` (a record that holds
    the person's name anyway) checks only numbers."""
    result = scan(text, on=on)
    if numbers := result.of(Verdict.REFUSED):
        return PersonalDataFound(
            field,
            f"Texten innehåller ett personnummer eller samordningsnummer ({_quote(numbers)}). "
            "Här får inga personnummer finnas: ta bort numret.",
            needs_confirmation=False,
        )
    if names == "refuse" and result.strong_names:
        return PersonalDataFound(
            field,
            f"Texten verkar innehålla namn ({_quote(result.strong_names)}). Texten är anonym: "
            "skriv till exempel ”pojken, 15 år” i stället för namnet.",
            needs_confirmation=False,
        )
    if confirmed:
        return None
    if doubtful := result.of(Verdict.CHECK_DIGIT):
        return PersonalDataFound(
            field,
            f"Texten innehåller något som liknar ett personnummer ({_quote(doubtful)}). Ta bort "
            "det, eller bekräfta att det inte är ett personnummer.",
            needs_confirmation=True,
        )
    if names != "allow" and (found := result.of(Verdict.NAME)):
        return PersonalDataFound(
            field,
            f"Texten kan innehålla namn på personer ({_quote(found)}). Ta bort namnen, eller "
            "bekräfta att det inte är namn på enskilda personer.",
            needs_confirmation=True,
        )
    return None


def guarded(
    fields: tuple[str, ...], numbers_only: tuple[str, ...], names: NamePolicy
) -> list[tuple[str, NamePolicy]]:
    """Each guarded field with its name policy: `numbers_only` fields allow names."""
    return [(field, names) for field in fields] + [(field, "allow") for field in numbers_only]


def guard_text(
    field: str, text: str, *, confirmed: bool, names: NamePolicy = "warn", on: date | None = None
) -> None:
    """Raise `PersonalDataFound` when `text` may not be saved (see `refusal`)."""
    if (error := refusal(field, text, confirmed=confirmed, names=names, on=on)) is not None:
        raise error
