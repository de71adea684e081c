"""Is an agreement in force on a given Swedish date, until when, and why (SPEC §3).

Pure: plain values in, a `Status` out; no database, no clock. All dates are
Swedish local dates; every range below is inclusive.

Semantics (issue 3):

- The agreement is in force on the days ``start_date … last_day`` once every
  party has a decision dated on or before the day; a decision dated after the
  start makes it in force from that decision's date.
- Without notice the initial term ends on ``end_date``; each renewal adds
  ``renewal_months`` counted from ``end_date`` (renewal *k* ends on
  ``add_months(end_date, k * renewal_months)``: 2024-12-31 → 2025-12-31 →
  2026-12-31 …), while renewals remain (``max_renewals`` None = unlimited).
  ``open_ended_after_renewals`` lets an agreement run on without a fixed end
  once its counted renewals are used up ("renewed to 2024-12-31 and then
  without limit"). ``end_date`` None means no fixed end at all.
- Notice given on day D with N months' notice makes the last day
  ``add_months(D, N)`` (clamped to the month's last day), unless the
  agreement ends earlier anyway because no renewal remains: the last day is
  then the end of the final term, and the reason after it is ``expired``.
- Order of the answer: past the last day → terminated/expired; otherwise a
  party without a decision → decisions_missing; before the start →
  not_started; otherwise in force (notice_given when notice is known).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from samverkan.core.calendar import add_months

__all__ = [
    "AgreementFacts",
    "Reason",
    "Status",
    "Terms",
    "add_months",
    "decided_on",
    "in_force_window",
    "notice_last_day",
    "status_on",
    "windows_overlap",
]


class Reason(StrEnum):
    DECISIONS_MISSING = "decisions_missing"
    NOT_STARTED = "not_started"
    IN_FORCE = "in_force"
    NOTICE_GIVEN = "notice_given"
    TERMINATED = "terminated"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Terms:
    start_date: date
    end_date: date | None
    renewal_months: int = 0
    max_renewals: int | None = None  # None: unlimited (when renewal_months > 0)
    notice_months: int = 0
    open_ended_after_renewals: bool = False

    @property
    def renews(self) -> bool:
        return self.end_date is not None and self.renewal_months > 0

    def final_end(self) -> date | None:
        """The last day of the last possible term, or None when it can run on forever."""
        if self.end_date is None:
            return None
        if not self.renews:
            return self.end_date
        if self.max_renewals is None or self.open_ended_after_renewals:
            return None
        return add_months(self.end_date, self.max_renewals * self.renewal_months)

    def term_at(self, day: date) -> tuple[int, date | None]:
        """(renewal number, last day of that term) for a day on or after the start.

        0 is the initial term. In the open-ended phase the last day is None.
        """
        if self.end_date is None or day <= self.end_date:
            return 0, self.end_date
        if not self.renews:
            return 0, self.end_date  # past the end; caller handles expiry
        months_after = (day.year - self.end_date.year) * 12 + day.month - self.end_date.month
        k = max(1, months_after // self.renewal_months)
        while k > 1 and add_months(self.end_date, (k - 1) * self.renewal_months) >= day:
            k -= 1
        while add_months(self.end_date, k * self.renewal_months) < day:
            k += 1
        if self.max_renewals is not None and k > self.max_renewals:
            if self.open_ended_after_renewals:
                return self.max_renewals, None
            last = add_months(self.end_date, self.max_renewals * self.renewal_months)
            return self.max_renewals, last
        return k, add_months(self.end_date, k * self.renewal_months)


@dataclass(frozen=True)
class AgreementFacts:
    terms: Terms
    parties: Sequence[str]
    decisions: Mapping[str, date] = field(default_factory=dict)  # party → decision date
    notice_given_on: date | None = None


@dataclass(frozen=True)
class Status:
    in_force: bool
    reason: Reason
    in_force_from: date | None = None
    last_day: date | None = None
    renewal: int | None = None  # 0: initial term, N: renewal N (when in force)
    missing_parties: tuple[str, ...] = ()
    notice_given_on: date | None = None


def notice_last_day(terms: Terms, notice_given_on: date) -> date:
    """Last day in force after notice on `notice_given_on`."""
    last = add_months(notice_given_on, terms.notice_months)
    final = terms.final_end()
    if final is not None and final < last:
        return final
    return last


def decided_on(facts: AgreementFacts) -> date | None:
    """The day the agreement was decided: the last party's decision, None while one is missing."""
    if not facts.parties or any(party not in facts.decisions for party in facts.parties):
        return None
    return max(facts.decisions[party] for party in facts.parties)


Window = tuple[date, date | None]  # first day, last day (None: no end), both inclusive


def windows_overlap(a: Window, b: Window) -> bool:
    """True when two in-force windows share at least one day."""
    a_first, a_last = a
    b_first, b_last = b
    return (a_last is None or b_first <= a_last) and (b_last is None or a_first <= b_last)


def in_force_window(facts: AgreementFacts) -> Window | None:
    """(first day, last day or None for no end) in force, or None if never in force.

    Uses every decision and the notice whatever their dates: the window the
    status function answers for any day (`status_on(facts, d).in_force` is
    true exactly for the days inside it).
    """
    if any(party not in facts.decisions for party in facts.parties):
        return None
    first = max([facts.terms.start_date, *facts.decisions.values()])
    last = facts.terms.final_end()
    if facts.notice_given_on is not None:
        last = notice_last_day(facts.terms, facts.notice_given_on)
    if last is not None and last < first:
        return None
    return first, last


def status_on(facts: AgreementFacts, day: date) -> Status:
    """The agreement's status on the Swedish date `day`."""
    terms = facts.terms
    notice = (
        facts.notice_given_on
        if facts.notice_given_on is not None and facts.notice_given_on <= day
        else None
    )
    final = terms.final_end()
    if notice is not None:
        last = notice_last_day(terms, notice)
        if day > last:
            by_notice = final is None or add_months(notice, terms.notice_months) <= final
            reason = Reason.TERMINATED if by_notice else Reason.EXPIRED
            return Status(False, reason, last_day=last, notice_given_on=notice)
    elif final is not None and day > final:
        return Status(False, Reason.EXPIRED, last_day=final)

    missing = tuple(
        party
        for party in facts.parties
        if facts.decisions.get(party) is None or facts.decisions[party] > day
    )
    if missing:
        return Status(False, Reason.DECISIONS_MISSING, missing_parties=missing)
    if day < terms.start_date:
        return Status(False, Reason.NOT_STARTED, in_force_from=terms.start_date)

    in_force_from = max([terms.start_date, *(facts.decisions[p] for p in facts.parties)])
    renewal, term_last = terms.term_at(day)
    if notice is not None:
        return Status(
            True,
            Reason.NOTICE_GIVEN,
            in_force_from=in_force_from,
            last_day=notice_last_day(terms, notice),
            renewal=renewal,
            notice_given_on=notice,
        )
    return Status(
        True, Reason.IN_FORCE, in_force_from=in_force_from, last_day=term_last, renewal=renewal
    )
