"""Routines API (/api/v1/routines): the same reads and writes as the web pages.

Web users authenticate with their session (second factor passed). Reads need one
of the library's reader roles; writes are decided by the services (coordinators
of the owner). Errors are the services' Swedish messages: 422, 403, 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from samverkan.agreements.api import VerifiedSessionAuth
from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import Forum
from samverkan.core.api_lookups import RecordId, organisations_in_body
from samverkan.core.api_schemas import PersonalDataGuardedSchema
from samverkan.core.calendar import local_date
from samverkan.core.errors import InvalidInput, NotAllowed, NotFound
from samverkan.routines import access, selectors, services
from samverkan.routines.models import Routine, RoutineKind

router = Router(tags=["routines"], auth=[VerifiedSessionAuth()])


def _reader(request: HttpRequest) -> Any:
    if not access.can_read(request.user):
        raise NotAllowed("Du har ingen roll som får läsa rutinbiblioteket.")
    return request.user


class RoutineOut(Schema):
    id: int
    title: str
    kind: str
    topic: str
    owner: str
    parties: list[str]
    forums: list[int]
    agreements: list[int]
    review_date: date
    review_overdue: bool
    version: int
    version_saved_at: datetime


class VersionOut(Schema):
    number: int
    title: str
    body: str
    change_note: str
    author: str
    saved_at: datetime
    current: bool


class RoutineDetailOut(RoutineOut):
    body: str
    versions: list[VersionOut]


def _out(routine: Routine, user: Any) -> dict[str, Any]:
    version = routine.current_version
    assert version is not None
    return {
        "id": routine.pk,
        "title": routine.title,
        "kind": routine.kind,
        "topic": routine.topic,
        "owner": routine.owner.code,
        "parties": sorted(p.code for p in routine.parties.all()),
        "forums": sorted(f.pk for f in routine.forums.visible_to(user)),
        "agreements": sorted(a.pk for a in routine.agreements.visible_to(user)),
        "review_date": routine.review_date,
        "review_overdue": routine.review_date < local_date(timezone.now()),
        "version": version.number,
        "version_saved_at": version.created_at,
    }


def _version(version: Any, current_id: int | None) -> VersionOut:
    return VersionOut(
        number=version.number,
        title=version.title,
        body=version.body,
        change_note=version.change_note,
        author=version.author.get_full_name() if version.author else "",
        saved_at=version.created_at,
        current=version.pk == current_id,
    )


@router.get("/", response=list[RoutineOut])
def routine_list(
    request: HttpRequest,
    q: str = "",
    topic: str = "",
    forum: int | None = None,
    agreement: int | None = None,
) -> list[RoutineOut]:
    """Search by title and text (every word, any case), by topic, forum or agreement."""
    user = _reader(request)
    routines = selectors.search(user, q, topic=topic, forum_id=forum, agreement_id=agreement)
    return [RoutineOut(**_out(r, user)) for r in routines.prefetch_related("parties")[:500]]


def _visible(user: Any, routine_id: int) -> Routine:
    routine = selectors.routine_for(user, routine_id)
    if routine is None:
        raise NotFound("Rutinen finns inte.")
    return routine


@router.get("/{routine_id}", response=RoutineDetailOut)
def routine_detail(request: HttpRequest, routine_id: int) -> RoutineDetailOut:
    user = _reader(request)
    routine = _visible(user, routine_id)
    versions = [_version(v, routine.current_version_id) for v in selectors.versions_of(routine)]
    body = routine.current_version.body if routine.current_version else ""
    return RoutineDetailOut(**_out(routine, user), body=body, versions=versions)


@router.get("/{routine_id}/versions/{number}", response=VersionOut)
def version_detail(request: HttpRequest, routine_id: int, number: int) -> VersionOut:
    user = _reader(request)
    routine = _visible(user, routine_id)
    version = routine.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise NotFound("Versionen finns inte.")
    return _version(version, routine.current_version_id)


class RoutineIn(PersonalDataGuardedSchema):
    numbers_only_fields = ("title", "body")
    owner: str
    title: str
    body: str
    topic: str
    review_date: date
    kind: str = RoutineKind.ROUTINE
    parties: list[str] = []
    forums: list[RecordId] = []
    agreements: list[RecordId] = []


@router.post("/", response={201: RoutineDetailOut})
def routine_create(request: HttpRequest, payload: RoutineIn) -> Any:
    user = request.user
    owner = organisations_in_body([payload.owner], "owner")[0]
    forums = list(Forum.objects.visible_to(user).filter(pk__in=payload.forums))
    agreements = list(Agreement.objects.visible_to(user).filter(pk__in=payload.agreements))
    if len(forums) != len(set(payload.forums)):
        raise InvalidInput("forums", "Okänt samverkansforum i forums.")
    if len(agreements) != len(set(payload.agreements)):
        raise InvalidInput("agreements", "Okänt avtal i agreements.")
    routine = services.routine_create(
        actor=user,
        owner=owner,
        title=payload.title,
        body=payload.body,
        topic=payload.topic,
        kind=payload.kind,
        review_date=payload.review_date,
        parties=organisations_in_body(payload.parties, "parties"),
        forums=forums,
        agreements=agreements,
    )
    return Status(201, routine_detail(request, routine.pk))


class RevisionIn(PersonalDataGuardedSchema):
    numbers_only_fields = ("title", "body", "change_note")
    title: str
    body: str
    change_note: str
    review_date: date
    based_on: int | None = None


@router.post("/{routine_id}/versions", response={201: VersionOut})
def routine_revise(request: HttpRequest, routine_id: int, payload: RevisionIn) -> Any:
    version = services.routine_revise(actor=request.user, routine_id=routine_id, **payload.dict())
    return Status(201, _version(version, version.pk))


class ReviewIn(Schema):
    review_date: date


@router.post("/{routine_id}/review", response=RoutineOut)
def routine_review(request: HttpRequest, routine_id: int, payload: ReviewIn) -> RoutineOut:
    routine = services.routine_confirm_review(
        actor=request.user,
        routine_id=routine_id,
        review_date=payload.review_date,
    )
    routine = _visible(request.user, routine.pk)
    return RoutineOut(**_out(routine, request.user))


class LinksIn(Schema):
    parties: list[str] = []
    forums: list[RecordId] = []
    agreements: list[RecordId] = []


@router.post("/{routine_id}/links", response=RoutineOut)
def routine_links(request: HttpRequest, routine_id: int, payload: LinksIn) -> RoutineOut:
    user = request.user
    forums = list(Forum.objects.visible_to(user).filter(pk__in=payload.forums))
    agreements = list(Agreement.objects.visible_to(user).filter(pk__in=payload.agreements))
    if len(forums) != len(set(payload.forums)) or len(agreements) != len(set(payload.agreements)):
        raise InvalidInput(None, "Okänt samverkansforum eller avtal.")
    services.routine_set_links(
        actor=user,
        routine_id=routine_id,
        parties=organisations_in_body(payload.parties, "parties"),
        forums=forums,
        agreements=agreements,
    )
    return RoutineOut(**_out(_visible(user, routine_id), user))
