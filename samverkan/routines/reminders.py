"""Review reminders: the owner's start-page panel and the daily mail (`routine_reminders`).

A routine whose review date (*ses över senast*) has passed is urgent on the
start page of the owner's coordinators; one due within 30 days is shown too.
The daily mail tells each coordinator once per routine and review date, claimed
in `agreements.ReminderSent` (user, key, day) so running it twice mails nothing new.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.agreements.models import ReminderSent
from samverkan.core.calendar import local_date
from samverkan.routines.selectors import review_reminders_for
from samverkan.routines.services import EDITOR


def _claim(user: User, key: str, today: date) -> bool:
    """True the first time this user is reminded of this routine and review date."""
    if ReminderSent.objects.filter(user=user, key=key).exists():
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, key=key, sent_on=today)
    except IntegrityError:
        return False
    return True


def send_review_reminders(*, today: date | None = None) -> int:
    """Mail each coordinator the routines whose review date has passed. Returns mails sent."""
    today = today or local_date(timezone.now())
    sent = 0
    editors = User.objects.filter(is_active=True, roles__code=EDITOR).exclude(email="")
    for user in editors.distinct():
        overdue = [r for r in review_reminders_for(user, today) if r.overdue]
        new = [r for r in overdue if _claim(user, r.key, today)]
        if not new:
            continue
        lines = [
            f"- {r.routine.title} (skulle ses över senast {r.routine.review_date.isoformat()})"
            for r in new
        ]
        send_mail(
            subject=_("Samverkan: %(n)s rutiner att se över") % {"n": len(new)},
            message=_("Översynsdatum har passerats för:")
            + "\n\n"
            + "\n".join(lines)
            + "\n\n"
            + _("Se startsidan i Samverkan."),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        sent += 1
    return sent
