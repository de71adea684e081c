"""Background work for intake: thin and idempotent (ARCHITECTURE "How data flows" 6).

`escalate_handovers` is enqueued by the `escalate_handovers` management command
(or a scheduler) and run by the django-tasks database worker; two workers never
notify twice because each report is claimed with a conditional update.
"""

from __future__ import annotations

from django_tasks import task

from samverkan.intake.services import handover_escalate_due


@task()
def escalate_handovers() -> list[int]:
    """Escalate every handover not accepted within HANDOVER_ESCALATION_MINUTES."""
    return handover_escalate_due()
