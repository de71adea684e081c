"""Background work: the daily retention run, for the django-tasks database worker.

`manage.py apply_retention --enqueue` puts it in the queue (from cron or a
scheduler); the run is idempotent, so a doubled day does no harm.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from samverkan.retention.services import retention_apply


@task()
def apply_retention() -> int:
    """Anonymise what is due today (Europe/Stockholm); returns how many records."""
    return retention_apply(today=timezone.localdate()).anonymised
