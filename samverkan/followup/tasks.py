"""Background work: bring the follow-up daily summaries up to date (ADR 0008).

Enqueue it after writes in bulk or on a schedule (`manage.py followup_summaries
--enqueue`); the refresh is idempotent, and a dashboard refreshes the days it
shows itself, so a late or doubled run changes no figure.
"""

from __future__ import annotations

from django_tasks import task

from samverkan.followup import summaries


@task()
def refresh_summaries() -> int:
    """Recompute every day marked stale; returns how many days."""
    return summaries.refresh()
