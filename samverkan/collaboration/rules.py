"""Pure rules of local collaboration: school terms, forum compliance, small-count
suppression and indicator trends. No database, no clock. (The personal-data guard is
the one in `samverkan.core.personal_data`.)

School terms (*terminer*)
    The Swedish school year has an autumn term (*hösttermin*, HT) from about
    mid-August to about 20 December and a spring term (*vårtermin*, VT) from
    about 8 January to about mid-June; the exact days differ between schools
    and years. For counting meetings the terms are the two calendar halves, so
    that every date falls in exactly one term and no meeting is lost in a gap:

    * spring term ``VT <year>``: 1 January – 30 June,
    * autumn term ``HT <year>``: 1 July – 31 December.

    A meeting on 20 June counts for the spring term, one on 15 August for the
    autumn term. Keys sort chronologically: ``2026-VT`` < ``2026-HT``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from samverkan.core.calendar import STOCKHOLM

# --- terms ----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Term:
    year: int
    autumn: bool  # False: spring term (VT), True: autumn term (HT)

    @property
    def start(self) -> date:
        return date(self.year, 7, 1) if self.autumn else date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31) if self.autumn else date(self.year, 6, 30)

    @property
    def key(self) -> str:
        return f"{self.year}-{'HT' if self.autumn else 'VT'}"

    @property
    def label(self) -> str:
        return f"{'HT' if self.autumn else 'VT'} {self.year}"

    @property
    def long_label(self) -> str:
        return f"{'Hösttermin' if self.autumn else 'Vårtermin'} {self.year}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Term:
        return Term(self.year, False) if self.autumn else Term(self.year - 1, True)

    def next(self) -> Term:
        return Term(self.year + 1, False) if self.autumn else Term(self.year, True)

    @classmethod
    def from_key(cls, key: str) -> Term:
        match = re.fullmatch(r"(\d{4})-(HT|VT)", key.strip().upper())
        if not match:
            raise ValueError(f"Ogiltig termin: {key!r} (skriv t.ex. 2026-HT).")
        return cls(int(match.group(1)), match.group(2) == "HT")


def term_of(day: date) -> Term:
    return Term(day.year, day.month >= 7)


def recent_terms(day: date, count: int) -> list[Term]:
    """The term containing `day` and the `count - 1` before it, newest first."""
    terms = [term_of(day)]
    while len(terms) < count:
        terms.append(terms[-1].previous())
    return terms


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's first and last day as Stockholm instants: [start 00:00, end+1 00:00)."""
    return (
        datetime.combine(start, time.min, tzinfo=STOCKHOLM),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=STOCKHOLM),
    )


def terms_between(first: date, last: date) -> list[Term]:
    """Every term from the one containing `first` to the one containing `last`."""
    terms: list[Term] = []
    term, stop = term_of(first), term_of(last)
    while term <= stop:
        terms.append(term)
        term = term.next()
    return terms


# --- compliance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFacts:
    held_on: date
    held: bool  # False: planned or cancelled
    functions: frozenset[str]


@dataclass(frozen=True)
class FunctionCompliance:
    function: str
    present: int  # held meetings where it was present
    held: int

    @property
    def complete(self) -> bool:
        return self.held > 0 and self.present == self.held


@dataclass(frozen=True)
class TermCompliance:
    term: Term
    required: int
    held: int
    planned: int
    functions: tuple[FunctionCompliance, ...]
    finished: bool  # the term is over on `today`

    @property
    def meetings_met(self) -> bool:
        return self.held >= self.required

    @property
    def functions_met(self) -> bool:
        return all(f.complete for f in self.functions)

    @property
    def met(self) -> bool:
        return self.meetings_met and self.functions_met

    @property
    def missing_meetings(self) -> int:
        return max(0, self.required - self.held)

    @property
    def state(self) -> str:
        """ok, behind (term still running, not yet met) or failed (term over, not met)."""
        if self.met:
            return "ok"
        return "failed" if self.finished else "behind"


def term_compliance(
    term: Term,
    *,
    required_per_term: int,
    required_functions: Sequence[str],
    meetings: Iterable[MeetingFacts],
    today: date,
) -> TermCompliance:
    """Meetings held against required and functions present against required, in one term."""
    in_term = [m for m in meetings if term.contains(m.held_on)]
    held = [m for m in in_term if m.held]
    planned = [m for m in in_term if not m.held and m.held_on >= today]
    functions = tuple(
        FunctionCompliance(
            function=function,
            present=sum(1 for m in held if function in m.functions),
            held=len(held),
        )
        for function in required_functions
    )
    return TermCompliance(
        term=term,
        required=required_per_term,
        held=len(held),
        planned=len(planned),
        functions=functions,
        finished=today > term.end,
    )


def compliance_across_terms(
    terms: Sequence[Term],
    *,
    required_per_term: int,
    required_functions: Sequence[str],
    meetings: Sequence[MeetingFacts],
    today: date,
) -> list[TermCompliance]:
    return [
        term_compliance(
            term,
            required_per_term=required_per_term,
            required_functions=required_functions,
            meetings=meetings,
            today=today,
        )
        for term in terms
    ]


# --- suppression and trends ---------------------------------------------------------------


def age_band(age: int) -> str:
    if age < 12:
        return "0–11"
    if age < 15:
        return "12–14"
    return "15–17"


AGE_BANDS = ("0–11", "12–14", "15–17")


def trend(previous: float | None, current: float | None, *, higher_is_better: bool) -> str:
    """up, down or flat between two terms; "" when either is missing."""
    if previous is None or current is None:
        return ""
    if abs(current - previous) < 1e-9:
        return "flat"
    return "up" if current > previous else "down"


def trend_is_good(direction: str, *, higher_is_better: bool) -> bool | None:
    if direction in ("", "flat"):
        return None
    return (direction == "up") == higher_is_better


def share(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else round(100 * numerator / denominator, 1)


def median_days(values: Sequence[int]) -> float | None:
    return float(median(values)) if values else None
