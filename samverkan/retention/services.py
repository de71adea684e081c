"""The retention job: anonymise personal data whose retention has ended, keep the statistics.

The record types and how each is anonymised are declared by the apps that hold
them (`<app>/declarations.py`, registered with `core.crossing.register_retention`
when core imports it at start-up); this module names no app. `retention_apply(today=...,
dry_run=...)` walks each declared record type in batches of primary keys;
for each candidate it computes the last entry and applies the pure rule
(`rules.py`). A due record is anonymised in place — identity
numbers, names typed as text and every free-text field are blanked, the birth
date is cut to 1 January of its year — while everything the follow-up
figures use stays: the rows themselves, timestamps, dates, organisations
(municipality, district, controller), channels, eligibility reasons,
decisions, states, amounts. Each anonymised record gets an `Anonymisation`
row (the idempotency marker) and an `anonymise` audit entry in the same
transaction; each run ends with one audit entry summing it up.

Users (staff) referenced by foreign key stay: they are the accountability
trail, and the access log names them anyway. Audit entries are never deleted
or changed (append-only by trigger); see docs/decisions/0005-retention.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record
from samverkan.core import crossing
from samverkan.retention import rules
from samverkan.retention.models import Anonymisation

LAW = "SoL (2025:400) 16 kap. 1, 2 a §§"


@dataclass
class TypeResult:
    examined: int = 0
    due: int = 0
    anonymised: int = 0


@dataclass
class RetentionResult:
    today: date
    dry_run: bool
    by_type: dict[str, TypeResult] = field(default_factory=dict)

    @property
    def anonymised(self) -> int:
        return sum(r.anonymised for r in self.by_type.values())

    @property
    def due(self) -> int:
        return sum(r.due for r in self.by_type.values())


def _not_anonymised(label: str) -> Q:
    return ~Q(Exists(Anonymisation.objects.filter(record_type=label, record_id=OuterRef("pk"))))


# --- the job -----------------------------------------------------------------------


def _anonymise_batch(kind: crossing.Retention, due: list[tuple[Any, date, date, str]]) -> int:
    """Anonymise one batch in one transaction; 0 if another run got there first."""
    now = timezone.now()
    try:
        with transaction.atomic():
            Anonymisation.objects.bulk_create(
                [
                    Anonymisation(
                        record_type=kind.label,
                        record_id=record.pk,
                        rule=str(rule),
                        last_entry=last,
                        retention_end=end,
                        anonymised_at=now,
                    )
                    for record, last, end, rule in due
                ]
            )
            for record, last, end, rule in due:
                crossing.anonymise(kind, record)
                audit_record(
                    actor=None,
                    action=AuditAction.ANONYMISE,
                    record_type=kind.label,
                    record_id=record.pk,
                    controller=kind.controller(record),
                    reason=f"Gallring enligt {kind.law}",
                    detail={"rule": str(rule), "last_entry": last, "retention_end": end},
                )
    except IntegrityError:
        # A run beside this one anonymised part of the batch: it is done, skip it here.
        return 0
    return len(due)


def retention_apply(
    *, today: date, dry_run: bool = False, batch_size: int = 500
) -> RetentionResult:
    """Anonymise every record whose retention ended on or before `today` (idempotent)."""
    result = RetentionResult(today=today, dry_run=dry_run)
    for kind in crossing.retentions():
        counts = result.by_type.setdefault(kind.label, TypeResult())
        candidates = kind.candidates(today).filter(_not_anonymised(kind.label))
        last_pk = 0
        while True:
            batch = list(candidates.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
            if not batch:
                break
            last_pk = batch[-1].pk
            counts.examined += len(batch)
            due = []
            for record in batch:
                last, end, rule = kind.evaluate(record)
                if rules.is_due(end, today):
                    due.append((record, last, end, rule))
            counts.due += len(due)
            if due and not dry_run:
                counts.anonymised += _anonymise_batch(kind, due)
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.VIEW if dry_run else AuditAction.ANONYMISE,
            record_type="retention.Run",
            record_id=today.isoformat(),
            reason=("Gallring, provkörning" if dry_run else "Gallring") + f" ({LAW})",
            detail={
                "dry_run": dry_run,
                "today": today,
                "by_type": {
                    label: {"examined": c.examined, "due": c.due, "anonymised": c.anonymised}
                    for label, c in result.by_type.items()
                },
            },
        )
    return result
