from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from samverkan.agreements.panels import agreements_panel
from samverkan.agreements.reminders import send_reminders
from samverkan.core.calendar import STOCKHOLM

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=STOCKHOLM)


@time_machine.travel(NOW)
def test_panel_lists_missing_decisions_and_coming_renewals(demo, agreement_admin):
    panel = agreements_panel(agreement_admin)
    texts = [item.text for item in panel.items]
    assert any("Nynäshamn" in t and "beslut saknas från 0192" in t for t in texts)
    assert any("Nacka" in t and "förlängs automatiskt efter 2026-12-31" in t for t in texts)
    assert not any("Sigtuna" in t for t in texts)
    assert not any("Värmdö" in t for t in texts)


def test_panel_is_only_for_agreement_admins(demo, nacka_receiver):
    assert agreements_panel(nacka_receiver) is None


@time_machine.travel(datetime(2026, 5, 1, 7, 0, tzinfo=STOCKHOLM))
def test_notice_ending_within_60_days(demo, agreement_admin):
    texts = [item.text for item in agreements_panel(agreement_admin).items]
    assert any("Värmdö" in t and "upphör 2026-06-10 (uppsagt)" in t for t in texts)


def test_reminders_are_mailed_once_a_day(demo, agreement_admin, nacka_agreement_admin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    agreement_admin.email = "avtal@example.org"
    agreement_admin.save()
    nacka_agreement_admin.email = "avtal-nacka@example.org"
    nacka_agreement_admin.save()
    with time_machine.travel(NOW):
        assert send_reminders() == 2
        assert "Nynäshamn" in next(m for m in mail.outbox if m.to == ["avtal@example.org"]).body
        call_command("agreement_reminders")
        assert send_reminders() == 0
        assert len(mail.outbox) == 2
    with time_machine.travel(datetime(2026, 11, 26, 7, 0, tzinfo=STOCKHOLM)):
        assert send_reminders(today=date(2026, 11, 26)) == 2


def test_task_runs_the_same_mailing(demo, agreement_admin, settings):
    from samverkan.agreements.tasks import mail_agreement_reminders

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    agreement_admin.email = "avtal@example.org"
    agreement_admin.save()
    with time_machine.travel(NOW):
        assert mail_agreement_reminders.call() == 1


@time_machine.travel(NOW)
def test_amendment_without_decisions_is_a_reminder(demo, agreement_admin):
    from samverkan.agreements import services
    from samverkan.agreements.models import Agreement

    nacka = Agreement.objects.get(reference="SN-ROC-0182")
    services.amendment_add(
        actor=agreement_admin,
        agreement=nacka,
        summary="Nytt nummer",
        effective_date=date(2027, 1, 1),
    )
    texts = [item.text for item in agreements_panel(agreement_admin).items]
    assert any("beslut saknas om tillägg 1" in t for t in texts)
