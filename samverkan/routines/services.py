"""Writes of the routines library: one transaction, a right, an audit entry.

Only a collaboration coordinator of the owner organisation (or one above it)
creates, revises or confirms a routine (`access`). A revision writes a new immutable
`RoutineVersion`; the old ones stay readable. Errors carry a Swedish `message`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of
from samverkan.core.calendar import local_date
from samverkan.core.errors import InvalidInput, NotAllowed, NotFound
from samverkan.core.swedish_search import text_keys
from samverkan.registry.models import Organisation
from samverkan.routines import access
from samverkan.routines.models import (
    Routine,
    RoutineKind,
    RoutineReview,
    RoutineTopic,
    RoutineVersion,
)


def _audit(actor: Any, action: str, routine: Routine, **detail: Any) -> None:
    audit_record_of(
        routine, actor=actor, action=action, controller=routine.owner.code, detail=detail or None
    )


def _check_text(title: str, body: str) -> tuple[str, str]:
    if not title.strip():
        raise InvalidInput("title", "Ange en rubrik.")
    if not body.strip():
        raise InvalidInput("body", "Skriv rutinens text.")
    return title.strip(), body.strip()


def _check_review(review_date: date) -> None:
    if review_date <= local_date(timezone.now()):
        raise InvalidInput("review_date", "Datum för nästa översyn ska ligga efter i dag.")


def _index(routine: Routine, version: RoutineVersion) -> None:
    routine.title = version.title
    routine.current_version = version
    text = f"{version.title}\n{version.body}"
    routine.search_text = text.lower()
    routine.search_keys = text_keys(text)


@transaction.atomic
def routine_create(
    *,
    actor: Any,
    owner: Organisation,
    title: str,
    body: str,
    topic: str,
    review_date: date,
    kind: str = RoutineKind.ROUTINE,
    parties: Sequence[Organisation] = (),
    forums: Sequence[Any] = (),
    agreements: Sequence[Any] = (),
) -> Routine:
    """A new routine with its first version. `actor=None`: the demo loader."""
    if actor is not None and not access.can_own(actor, owner.pk):
        raise NotAllowed("Bara samverkanssamordnare hos ägaren får skapa rutinen.")
    title, body = _check_text(title, body)
    if topic not in RoutineTopic.values:
        raise InvalidInput("topic", "Välj område.")
    if kind not in RoutineKind.values:
        raise InvalidInput("kind", "Välj slag.")
    if actor is not None:
        _check_review(review_date)
    routine = Routine.objects.create(
        owner=owner, kind=kind, topic=topic, title=title, review_date=review_date
    )
    routine.parties.set({owner, *parties})
    routine.forums.set(forums)
    routine.agreements.set(agreements)
    version = RoutineVersion.objects.create(
        routine=routine,
        number=1,
        title=title,
        body=body,
        review_date=review_date,
        author=actor if isinstance(actor, User) else None,
    )
    _index(routine, version)
    routine.save(update_fields=["title", "current_version", "search_text", "search_keys"])
    _audit(actor, AuditAction.CREATE, routine, version=1)
    return routine


def _for_editor(actor: Any, routine_id: int) -> Routine:
    if not access.visible_to(actor).filter(pk=routine_id).exists():
        raise NotFound()
    # Lock by primary key: PostgreSQL refuses FOR UPDATE on the scoped (DISTINCT) query.
    routine = (
        Routine.objects.select_for_update(of=("self",)).select_related("owner").get(pk=routine_id)
    )
    if not access.can_edit(actor, routine):
        raise NotAllowed("Bara samverkanssamordnare hos ägaren får ändra rutinen.")
    return routine


@transaction.atomic
def routine_revise(
    *,
    actor: Any,
    routine_id: int,
    title: str,
    body: str,
    change_note: str,
    review_date: date,
    based_on: int | None = None,
) -> RoutineVersion:
    """A new version of the text; the older versions stay as they were.

    `based_on` is the version number the editor started from: if someone saved a
    newer one meanwhile, the edit is refused rather than silently overwriting it.
    """
    routine = _for_editor(actor, routine_id)
    title, body = _check_text(title, body)
    if not change_note.strip():
        raise InvalidInput("change_note", "Beskriv kort vad som ändrats.")
    _check_review(review_date)
    latest = routine.versions.order_by("-number").first()
    number = latest.number if latest else 0
    if based_on is not None and based_on != number:
        raise InvalidInput(
            "body",
            f"Någon annan har sparat version {number} medan du skrev. Öppna rutinen igen "
            "och gör ändringen i den senaste versionen.",
        )
    if latest is not None and latest.title == title and latest.body == body:
        raise InvalidInput("body", "Texten är oförändrad. Ändra texten, eller bekräfta översynen.")
    version = RoutineVersion.objects.create(
        routine=routine,
        number=number + 1,
        title=title,
        body=body,
        change_note=change_note.strip(),
        review_date=review_date,
        author=actor,
    )
    _index(routine, version)
    routine.review_date = review_date
    routine.save(
        update_fields=["title", "current_version", "search_text", "search_keys", "review_date"]
    )
    _audit(actor, AuditAction.CHANGE, routine, version=version.number)
    return version


@transaction.atomic
def routine_confirm_review(*, actor: Any, routine_id: int, review_date: date) -> Routine:
    """The routine was reviewed and still holds: only the next review date changes."""
    routine = _for_editor(actor, routine_id)
    _check_review(review_date)
    RoutineReview.objects.create(
        routine=routine,
        version_number=routine.current_version.number if routine.current_version else 0,
        previous_review_date=routine.review_date,
        next_review_date=review_date,
        reviewed_by=actor if isinstance(actor, User) else None,
    )
    routine.review_date = review_date
    routine.save(update_fields=["review_date"])
    _audit(actor, AuditAction.CHANGE, routine, reviewed=True, next_review=review_date)
    return routine


@transaction.atomic
def routine_set_links(
    *,
    actor: Any,
    routine_id: int,
    parties: Sequence[Organisation],
    forums: Sequence[Any],
    agreements: Sequence[Any],
) -> Routine:
    """Who the routine applies to and where it is attached (the owner always applies)."""
    routine = _for_editor(actor, routine_id)
    routine.parties.set({routine.owner, *parties})
    routine.forums.set(forums)
    routine.agreements.set(agreements)
    _audit(
        actor,
        AuditAction.CHANGE,
        routine,
        parties=sorted(p.code for p in parties),
        forums=sorted(f.pk for f in forums),
        agreements=sorted(a.pk for a in agreements),
    )
    return routine
