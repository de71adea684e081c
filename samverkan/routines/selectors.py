"""Reads of the routines library, scoped to the user's organisation.

A routine is seen by its owner, the parties it applies to, and the parties of
the forums and agreements it is attached to. No personal data is kept here, so
reads are not audited (writes are, in services).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.core.swedish_search import query_keys
from samverkan.routines import access
from samverkan.routines.models import Routine, RoutineReview, RoutineVersion

# A review date this close counts as "soon" on the owner's start page.
REVIEW_SOON = timedelta(days=30)


def routine_for(user: Any, routine_id: int) -> Routine | None:
    """One routine, if the user may see it."""
    return access.visible_to(user).filter(pk=routine_id).first()


def search(
    user: Any,
    query: str = "",
    *,
    topic: str = "",
    forum_id: int | None = None,
    agreement_id: int | None = None,
) -> QuerySet[Routine]:
    """Routines whose current title or text has every word of `query`: as written (any case,
    also part of a word) or in another inflection ("rektorn" finds "Rektor")."""
    routines = access.visible_to(user)
    for word in query.lower().split():
        matches = Q(search_text__contains=word)
        for key in query_keys(word):
            matches |= Q(search_keys__contains=key)
        routines = routines.filter(matches)
    if topic:
        routines = routines.filter(topic=topic)
    if forum_id is not None:
        routines = routines.filter(forums__id=forum_id)
    if agreement_id is not None:
        routines = routines.filter(agreements__id=agreement_id)
    return routines.order_by("title", "id")


@dataclass(frozen=True)
class HistoryRow:
    """A saved version or a confirmed review, in the routine's history."""

    at: datetime
    by: Any
    version: RoutineVersion | None = None
    review: RoutineReview | None = None


def history_of(routine: Routine) -> list[HistoryRow]:
    """Versions and confirmed reviews, newest first."""
    rows = [HistoryRow(v.created_at, v.author, version=v) for v in versions_of(routine)]
    rows += [
        HistoryRow(r.reviewed_at, r.reviewed_by, review=r)
        for r in routine.reviews.select_related("reviewed_by")
    ]
    # A review confirms the version saved before it, also within the same second.
    return sorted(rows, key=lambda row: (row.at, row.review is not None), reverse=True)


def versions_of(routine: Routine) -> QuerySet[RoutineVersion]:
    return routine.versions.select_related("author").order_by("-number")


def for_forum(user: Any, forum_id: int) -> list[Routine]:
    """The routines attached to a forum, as this user may see them (current versions)."""
    return list(access.visible_to(user).filter(forums__id=forum_id).order_by("title"))


def for_agreement(user: Any, agreement_id: int) -> list[Routine]:
    """The routines attached to an agreement, as this user may see them (current versions)."""
    return list(access.visible_to(user).filter(agreements__id=agreement_id).order_by("title"))


@dataclass(frozen=True)
class ReviewReminder:
    routine: Routine
    overdue: bool

    @property
    def key(self) -> str:
        return f"routine-review:{self.routine.pk}:{self.routine.review_date.isoformat()}"


def review_reminders_for(user: Any, today: date) -> list[ReviewReminder]:
    """Routines the user's organisation owns whose review date has passed or comes soon.

    Only editors (coordinators of the owner) are reminded: they are the ones who can act.
    """
    if not access.is_reminded(user):
        return []
    ids = responsible_organisation_ids(user)
    due = (
        Routine.objects.filter(owner_id__in=ids, review_date__lte=today + REVIEW_SOON)
        .select_related("owner")
        .order_by("review_date", "title")
    )
    return [ReviewReminder(routine, routine.review_date < today) for routine in due]
