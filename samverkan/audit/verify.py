"""Checking the access log's hash chain, streamed in batches of entries."""

from __future__ import annotations

from dataclasses import dataclass

from samverkan.audit.models import AuditEntry
from samverkan.audit.services import GENESIS_HASH, HASHED_FIELDS, compute_entry_hash

_COLUMNS = ("id", "entry_hash", *HASHED_FIELDS)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int  # entries checked (all of them when ok)
    broken_entry_id: int | None = None
    problem: str = ""


def verify_chain(*, batch_size: int = 2000) -> ChainReport:
    """Walk the chain in id order; stop at the first entry that does not verify.

    An entry is broken when its stored hash does not match its contents (it was
    changed), or when its `previous_hash` is not the hash of the entry before
    it (an entry before it was removed, inserted or rewritten with a new hash).
    Note: removing the newest entries leaves a shorter chain that still
    verifies; compare the count with an earlier run to see that.
    """
    expected_previous = GENESIS_HASH
    previous_id: int | None = None
    checked = 0
    last_id = 0
    while True:
        batch = list(
            AuditEntry.objects.filter(id__gt=last_id).order_by("id").values(*_COLUMNS)[:batch_size]
        )
        if not batch:
            return ChainReport(ok=True, checked=checked)
        for row in batch:
            if row["previous_hash"] != expected_previous:
                after = f"entry {previous_id}" if previous_id else "the start of the chain"
                return ChainReport(
                    ok=False,
                    checked=checked,
                    broken_entry_id=row["id"],
                    problem=(
                        f"it does not follow {after}: its previous_hash does not match "
                        "(an entry was removed, inserted or rewritten before it)"
                    ),
                )
            if compute_entry_hash(row) != row["entry_hash"]:
                return ChainReport(
                    ok=False,
                    checked=checked,
                    broken_entry_id=row["id"],
                    problem="its contents do not match its hash (it was changed after writing)",
                )
            expected_previous = row["entry_hash"]
            previous_id = row["id"]
            checked += 1
        last_id = batch[-1]["id"]
