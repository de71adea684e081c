"""Reminders for agreement administrators: the daily mail (the start-page panel is in panels.py).

An agreement needs attention when a party's decision is missing, when its term
renews or ends within 60 days, or when the written notification of a
termination (to ROC) is not recorded as sent (`selectors.reminders_for`).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import RoleCode
from samverkan.agreements.selectors import reminders_for
from samverkan.core.calendar import local_date
from samverkan.core.reminders import ReminderMail, send_reminder_mails


def send_reminders(*, today: date | None = None) -> int:
    """Mail each agreement administrator the reminders not yet mailed today. Returns mails sent."""
    return send_reminder_mails(
        ReminderMail(
            roles=(RoleCode.AGREEMENT_ADMIN,),
            reminders=reminders_for,
            key=lambda r: r.key,
            line=lambda r: r.text,
            subject=lambda n: _("Samverkan: %(n)s avtal att hantera") % {"n": n},
            intro=_("Följande avtal behöver åtgärdas:"),
        ),
        today or local_date(timezone.now()),
    )
