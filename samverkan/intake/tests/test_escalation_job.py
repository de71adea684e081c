"""The escalation job: command and task, idempotent (run twice → one notification)."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from samverkan.audit.models import AuditEntry
from samverkan.intake.models import Escalation
from samverkan.intake.tests.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_command_run_twice_notifies_once(hub_worker, locmem):
    register(hub_worker, received_at="2026-11-24T02:10")
    with time_machine.travel("2026-11-24T02:24:59+01:00", tick=False):
        call_command("escalate_handovers", stdout=StringIO())
        assert Escalation.objects.count() == 0
    with time_machine.travel("2026-11-24T02:25:00+01:00", tick=False):
        out = StringIO()
        call_command("escalate_handovers", stdout=out)
        call_command("escalate_handovers", stdout=StringIO())
    assert "eskalerade: 1" in out.getvalue()
    assert Escalation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "15 minuter" in mail.outbox[0].body
    # the disclosure names what the mail said and every recipient
    disclosed = AuditEntry.objects.get(action="disclose")
    assert disclosed.detail["to"] == mail.outbox[0].to
    assert "inga personuppgifter" in disclosed.detail["shown"][0]


def test_task_is_idempotent(hub_worker, locmem, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from samverkan.intake.tasks import escalate_handovers

    report = register(hub_worker, received_at="2026-11-24T02:10").report
    with time_machine.travel("2026-11-24T03:00+01:00", tick=False):
        first = escalate_handovers.enqueue()
        second = escalate_handovers.enqueue()
    assert first.return_value == [report.pk]
    assert second.return_value == []
    assert len(mail.outbox) == 1
