"""The outbox rules the webhook and case-system workers share (`core.outbox`)."""

from __future__ import annotations

from datetime import UTC, datetime

from samverkan.casesystems.models import HandoverStatus
from samverkan.core import outbox
from samverkan.webhooks.models import DeliveryStatus

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
BACK_OFF = {"base_seconds": 30, "max_seconds": 3600}


def test_back_off_doubles_up_to_its_cap() -> None:
    delays = [outbox.retry_delay(n, **BACK_OFF) for n in range(1, 10)]
    assert [d.total_seconds() for d in delays] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_failure_is_tried_again_until_the_attempts_run_out() -> None:
    again = outbox.next_attempt_after_failure(3, NOW, max_attempts=4, **BACK_OFF)
    assert again is not None and (again - NOW).total_seconds() == 120
    assert outbox.next_attempt_after_failure(4, NOW, max_attempts=4, **BACK_OFF) is None


def test_a_failure_that_cannot_succeed_is_not_tried_again() -> None:
    assert (
        outbox.next_attempt_after_failure(1, NOW, max_attempts=10, retryable=False, **BACK_OFF)
        is None
    )


def test_every_outbox_marks_its_pending_rows_as_the_worker_claims_them() -> None:
    assert DeliveryStatus.PENDING == HandoverStatus.PENDING == outbox.PENDING
