"""Background work: thin and idempotent (reminders are claimed per user, subject and day)."""

from __future__ import annotations

from django_tasks import task

from samverkan.agreements.reminders import send_reminders


@task()
def mail_agreement_reminders() -> int:
    return send_reminders()
