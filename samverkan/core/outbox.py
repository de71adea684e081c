"""Outboxes: rows a worker sends after the change that queued them has committed.

Webhook deliveries and case-system handovers are both queued in the transaction
of the change they announce and sent later by a worker's round. A row is due
when it is pending and its `next_attempt_at` has passed. The worker claims it
with a conditional update that moves `next_attempt_at` a lease ahead: two
workers never send it at once, and one that died mid-send leaves it to be
retried when the lease runs out. A failure is tried again with exponential
back-off until the attempts run out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet

PENDING = "pending"
# A claimed row is one worker's for this long: one that died mid-send leaves it.
LEASE = timedelta(minutes=5)


def claimed_due(sendable: QuerySet[Any], now: datetime, limit: int) -> Iterator[int]:
    """The ids of the due rows of `sendable` that this worker claimed, oldest first.

    `sendable` is the outbox table narrowed to what may be sent at all (an active
    connection, an endpoint not paused); each row is claimed just before it is
    yielded, so a row another worker claimed meanwhile is passed over.
    """
    due = list(
        sendable.filter(status=PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "next_attempt_at")[:limit]
    )
    rows = sendable.model._default_manager
    for pk, planned in due:
        if rows.filter(pk=pk, status=PENDING, next_attempt_at=planned).update(
            next_attempt_at=now + LEASE
        ):
            yield pk


def retry_delay(attempts: int, *, base_seconds: float, max_seconds: float) -> timedelta:
    """Wait after the `attempts`-th failed attempt: base, 2·base, 4·base, … up to the cap."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds))


def next_attempt_after_failure(
    attempts: int,
    now: datetime,
    *,
    max_attempts: int,
    base_seconds: float,
    max_seconds: float,
    retryable: bool = True,
) -> datetime | None:
    """When to try again after the `attempts`-th failure, or None: given up."""
    if not retryable or attempts >= max_attempts:
        return None
    return now + retry_delay(attempts, base_seconds=base_seconds, max_seconds=max_seconds)
