"""Review reminders: the owner's start-page panel and the daily mail (`routine_reminders`).

A routine whose review date (*ses över senast*) has passed is urgent on the
start page of the owner's coordinators; one due within 30 days is shown too.
The daily mail tells each coordinator once per routine and review date, claimed
once for good (`core.reminders`), so running it twice mails nothing new.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.accounts.models import User
from samverkan.core.calendar import local_date
from samverkan.core.reminders import ReminderMail, send_reminder_mails
from samverkan.routines.access import EDITORS
from samverkan.routines.selectors import ReviewReminder, review_reminders_for


def _overdue(user: User, today: date) -> list[ReviewReminder]:
    return [r for r in review_reminders_for(user, today) if r.overdue]


def send_review_reminders(*, today: date | None = None) -> int:
    """Mail each coordinator the routines whose review date has passed. Returns mails sent."""
    return send_reminder_mails(
        ReminderMail(
            roles=EDITORS,
            reminders=_overdue,
            key=lambda r: r.key,
            line=lambda r: (
                f"{r.routine.title} (skulle ses över senast {r.routine.review_date.isoformat()})"
            ),
            subject=lambda n: (
                ngettext(
                    "Samverkan: %(n)s rutin att se över", "Samverkan: %(n)s rutiner att se över", n
                )
                % {"n": n}
            ),
            intro=_("Översynsdatum har passerats för:"),
            once=True,
        ),
        today or local_date(timezone.now()),
    )
