"""Reminders for agreement administrators: the start-page panel and the daily mail.

An agreement needs attention when a party's decision is missing, when its term
renews or ends within 60 days, or when the written notification of a
termination (to ROC) is not recorded as sent (`selectors.reminders_for`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.access import has_role
from samverkan.accounts.models import RoleCode, User
from samverkan.agreements.models import ReminderSent
from samverkan.agreements.selectors import reminders_for
from samverkan.core.calendar import local_date
from samverkan.core.startpage import Panel, PanelItem


def agreements_panel(user: User) -> Panel | None:
    if not has_role(user, RoleCode.AGREEMENT_ADMIN):
        return None
    items = [
        PanelItem(
            text=reminder.text,
            url=reverse("agreements:detail", args=[reminder.agreement.pk]),
            urgent=reminder.urgent,
        )
        for reminder in reminders_for(user, local_date(timezone.now()))
    ]
    return Panel(
        title=_("Avtal att hantera"),
        empty_text=_("Inga avtal behöver åtgärdas."),
        items=items,
        url=reverse("agreements:list"),
        order=60,
    )


def _claim(user: Any, key: str, today: date) -> bool:
    """True the first time (user, key, today) is claimed; False afterwards."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, key=key, sent_on=today)
    except IntegrityError:
        return False
    return True


def send_reminders(*, today: date | None = None) -> int:
    """Mail each agreement administrator the reminders not yet mailed today. Returns mails sent."""
    today = today or local_date(timezone.now())
    sent = 0
    admins = User.objects.filter(is_active=True, roles__code=RoleCode.AGREEMENT_ADMIN).exclude(
        email=""
    )
    for user in admins.distinct():
        new = [r for r in reminders_for(user, today) if _claim(user, r.key, today)]
        if not new:
            continue
        lines = [f"- {r.text}" for r in new]
        send_mail(
            subject=_("Samverkan: %(n)s avtal att hantera") % {"n": len(new)},
            message=_("Följande avtal behöver åtgärdas:")
            + "\n\n"
            + "\n".join(lines)
            + "\n\n"
            + _("Se startsidan i Samverkan."),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        sent += 1
    return sent
