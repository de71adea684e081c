"""Uploaded documents are served only through the application, to who may read the record.

Nothing under MEDIA_URL is served: a signed decision, a consent document or a
cost voucher is downloaded only from `core:document` (`/dokument/<kind>/<pk>/`),
which finds the record among those the user may see, writes a disclosure to
the access log and sends the file as an attachment that the browser may not
sniff or render.

Each app declares every file field its records hold, in its `declarations.py`
(the pattern of `core.crossing`): which records of the model a user may see
(the record's own access rule) and whose auditors review the download.
`core/tests/test_documents.py` fails for a file field no app has declared, so a
new upload cannot be served any other way.

Templates link with `{{ record|document_url }}` (`{% load documents %}`),
code with `document_url(record)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from samverkan.core.errors import NotFound


@dataclass(frozen=True)
class StoredDocument:
    """One file field of one model, and who may download it.

    `kind` names it in the URL (Swedish, e.g. "avtalsbeslut"); `visible_to(user)`
    the records of `model` the user may read — the record's own access rule,
    never a second copy of it; `controller(record)` the code of the organisation
    whose auditors see the download in the access log.
    """

    kind: str
    model: str  # "agreements.AgreementDecision"
    visible_to: Callable[[Any], QuerySet[Any]]
    controller: Callable[[Any], str]
    field: str = "document"


def records_on(
    model: type[Model], parent: str, visible_to: Callable[[Any], QuerySet[Any]]
) -> Callable[[Any], QuerySet[Any]]:
    """A `visible_to` for records that belong to a parent: those on parents the user may see.

    `parent` is the foreign key to it, `visible_to` the parent app's own access rule.
    """
    manager: Any = model._default_manager
    return lambda user: manager.filter(**{f"{parent}__in": visible_to(user).values("pk")})


_by_kind: dict[str, StoredDocument] = {}


def register_documents(*declarations: StoredDocument) -> None:
    for declaration in declarations:
        _by_kind[declaration.kind] = declaration


def stored_documents() -> list[StoredDocument]:
    return list(_by_kind.values())


def _declaration_of(record: Model, field: str) -> StoredDocument:
    label = record._meta.label
    for declaration in _by_kind.values():
        if declaration.model == label and declaration.field == field:
            return declaration
    raise LookupError(f"{label}.{field} is not declared with core.documents.register_documents")


def document_url(record: Model, field: str = "document") -> str:
    """Where the record's file is downloaded ("" when it has none)."""
    if not getattr(record, field):
        return ""
    declaration = _declaration_of(record, field)
    return reverse("core:document", kwargs={"kind": declaration.kind, "pk": record.pk})


def document_open(*, actor: Any, kind: str, pk: int) -> tuple[Model, FieldFile]:
    """The record and its file (open), once the disclosure is in the access log.

    NotFound when the kind is unknown, the record is not among those the actor
    may see (never told apart from one that does not exist) or holds no file.
    """
    from samverkan.audit.models import AuditAction
    from samverkan.audit.services import audit_record_of

    declaration = _by_kind.get(kind)
    if declaration is None:
        raise NotFound
    record = declaration.visible_to(actor).filter(pk=pk).first()
    file: FieldFile | None = getattr(record, declaration.field, None) if record else None
    if record is None or not file:
        raise NotFound
    try:
        file.open("rb")
    except FileNotFoundError:
        raise NotFound from None
    audit_record_of(
        record,
        actor=actor,
        action=AuditAction.DISCLOSE,
        controller=declaration.controller(record),
        detail={
            "document": declaration.field,
            "name": file.name,
            "shown": [f"Dokument: {(file.name or '').rsplit('/', 1)[-1]}"],
            "to": [_downloader(actor)],
        },
    )
    return record, file


def _downloader(actor: Any) -> str:
    """Who the document went to: the user and their organisation (the access log's `to`)."""
    organisation = getattr(getattr(actor, "organisation", None), "name", "")
    return f"{actor.display_name} ({organisation})" if organisation else actor.display_name
