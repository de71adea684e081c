"""Writing the access log: one append to a hash chain per access or change.

Each entry's `entry_hash` is the SHA-256 of a canonical JSON of its fields,
`previous_hash` included, so changing or removing any entry breaks the chain
from that point (`python manage.py audit_verify` finds it). The first entry's
`previous_hash` is 64 zeros.

Appends are serialised so that two writers never chain onto the same entry:
on PostgreSQL a transaction-level advisory lock is taken before the last hash
is read (held until the caller's transaction ends); on SQLite the IMMEDIATE
transaction mode in settings already takes the database's write lock at BEGIN.
A unique constraint on `previous_hash` is the backstop: a fork cannot be
stored on either engine.

The write costs one indexed read of the newest entry and one insert.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from samverkan.accounts.models import ApiClient, User
from samverkan.audit.models import SUMMARY_FIELDS, AuditAction, AuditEntry

GENESIS_HASH = "0" * 64

# A constant key for pg_advisory_xact_lock: "audit chain" for this database.
_CHAIN_LOCK_KEY = 0x5A4D_A0D1_7C4A_1000

# The fields covered by `entry_hash`, in the order they are written (order is irrelevant
# to the hash: keys are sorted).
HASHED_FIELDS = (
    "at",
    "actor_user_id",
    "actor_client_id",
    *SUMMARY_FIELDS,
    "reason",
    "detail",
    "previous_hash",
)

SYSTEM_LABEL = "system"
_RECORD_ID_MAX = AuditEntry._meta.get_field("record_id").max_length or 60


def _canonical_at(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def compute_entry_hash(values: Mapping[str, Any]) -> str:
    """SHA-256 (hex) over the canonical JSON of an entry's hashed fields."""
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["at"] = _canonical_at(payload["at"])
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normalise_detail(detail: Mapping[str, Any] | None) -> dict[str, Any]:
    """The detail as it will read back from either database.

    Dates, decimals and UUIDs become strings (DjangoJSONEncoder). Floats become
    strings too: PostgreSQL's jsonb may print a float differently from Python
    (1e20 comes back as 100000000000000000000), which would break the hash.
    """
    if not detail:
        return {}

    def floats_as_text(value: Any) -> Any:
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, dict):
            return {str(k): floats_as_text(v) for k, v in value.items()}
        if isinstance(value, list):
            return [floats_as_text(v) for v in value]
        return value

    return floats_as_text(json.loads(json.dumps(dict(detail), cls=DjangoJSONEncoder)))


def _describe_actor(actor: Any) -> tuple[int | None, int | None, str, str]:
    """(user id, API client id, label, organisation code) for the actor."""
    if isinstance(actor, User):
        full_name = actor.get_full_name()
        username = actor.get_username()
        label = f"{full_name} ({username})" if full_name else username
        organisation = actor.organisation.code if actor.organisation is not None else ""
        return actor.pk, None, label, organisation
    if isinstance(actor, ApiClient):
        return None, actor.pk, f"API: {actor.name}", actor.organisation.code
    if actor is None:
        return None, None, SYSTEM_LABEL, ""
    if not getattr(actor, "is_authenticated", True):
        return None, None, "anonym", ""
    raise TypeError(f"an audit actor is a User, an ApiClient or None, not {type(actor)!r}")


def _last_hash() -> str:
    # One statement written out: it runs on every audited write, and the ORM compiled it
    # afresh each time at several times the cost of running it (issue 20.2).
    with connection.cursor() as cursor:
        cursor.execute(_LAST_HASH_SQL)
        row = cursor.fetchone()
    return row[0] if row else GENESIS_HASH


_LAST_HASH_SQL = f"SELECT entry_hash FROM {AuditEntry._meta.db_table} ORDER BY id DESC LIMIT 1"  # noqa: S608


def audit_record(
    *,
    actor: User | ApiClient | Any | None,
    action: str,
    record_type: str,
    record_id: str | int,
    controller: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry to the access log and return it.

    Call it inside your service's transaction, so the entry is written if and
    only if what it records is — and preferably as its last write: on
    PostgreSQL the chain lock is held until that transaction ends.
    `controller` is the code of the organisation controlling the record (the
    one whose auditors may review the entry). A disclosure says what was shown
    and to whom: its `detail` holds `shown` and `to` (organisation names, mail
    addresses), so the data-protection officer reads it from the entry.
    """
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if action == AuditAction.DISCLOSE and not (detail and detail.get("shown") and detail.get("to")):
        raise ValueError("a disclosure's detail names what was shown ('shown') and to whom ('to')")
    record_id = str(record_id)
    if not record_type or len(record_id) > _RECORD_ID_MAX:
        raise ValueError("record_type is required and record_id is at most 60 characters")
    user_id, client_id, label, organisation = _describe_actor(actor)
    values: dict[str, Any] = {
        "actor_user_id": user_id,
        "actor_client_id": client_id,
        "actor_label": label[:200],
        "actor_organisation": organisation,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "controller": controller,
        "reason": reason,
        "detail": _normalise_detail(detail),
    }
    # In a caller's transaction no savepoint is needed: a failure aborts it anyway.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        # Stamped under the lock, so time order is chain order.
        values["at"] = timezone.now()
        values["previous_hash"] = _last_hash()
        values["entry_hash"] = compute_entry_hash(values)
        return AuditEntry.objects.create(**values)


def audit_record_of(
    record: Model,
    *,
    actor: User | ApiClient | Any | None,
    action: str,
    controller: str,
    reason: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """`audit_record` for a stored record: its type is the model's label (`app.Model`).

    The one way the apps name a model record in the log, so each app's service
    says only who controls the record and what to add.
    """
    return audit_record(
        actor=actor,
        action=action,
        record_type=record._meta.label,
        record_id=record.pk,
        controller=controller,
        reason=reason,
        detail=detail,
    )
