"""A job for the system test of two task workers (test_system_servers.py; not collected).

Each run appends one audit entry naming the job, so a job done twice shows as
two entries, and the entries test the audit chain's lock across processes.
"""

from __future__ import annotations

import os

from django.db import transaction
from django_tasks import task

from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record

JOB_RECORD_TYPE = "system-test.job"


@task()
def record_job(number: int) -> int:
    with transaction.atomic():
        audit_record(
            actor=None,
            action=AuditAction.CHANGE,
            record_type=JOB_RECORD_TYPE,
            record_id=number,
            detail={"pid": os.getpid()},
        )
    return number
