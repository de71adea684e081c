"""The daily reminder mail, shared by the apps that remind (agreements, routines).

An app says who is reminded (role holders with an e-mail address), what each
of them is reminded of, the key of each reminder and how it reads in the mail.
Each reminder is claimed before it is mailed, by inserting a `ReminderSent`
row that the database lets exist once per user, key and day: two workers (or a
rerun) never mail the same reminder twice. `once=True` claims a key once for
good, not once a day (a routine's review date is mailed once, not daily).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from samverkan.accounts.models import User

# The claim table lives in agreements, which mailed reminders first.
from samverkan.agreements.models import ReminderSent

R = TypeVar("R")


def claim(user: User, key: str, today: date, *, once: bool = False) -> bool:
    """True for the one caller that may mail this reminder (today, or with `once` ever)."""
    if once and ReminderSent.objects.filter(user=user, key=key).exists():
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, key=key, sent_on=today)
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class ReminderMail(Generic[R]):
    """How one app's reminders are found and read in the mail."""

    roles: Sequence[str]  # who is reminded
    reminders: Callable[[User, date], Iterable[R]]  # what each of them is reminded of
    key: Callable[[R], str]
    line: Callable[[R], str]
    subject: Callable[[int], str]  # the subject for this many reminders (Swedish plural)
    intro: str
    once: bool = False


def send_reminder_mails(mail: ReminderMail[R], today: date) -> int:
    """Mail each user the reminders not yet claimed. Returns the number of mails sent."""
    sent = 0
    users = User.objects.filter(is_active=True, roles__code__in=mail.roles).exclude(email="")
    for user in users.distinct():
        new = [
            r
            for r in mail.reminders(user, today)
            if claim(user, mail.key(r), today, once=mail.once)
        ]
        if not new:
            continue
        lines = [f"- {mail.line(r)}" for r in new]
        send_mail(
            subject=mail.subject(len(new)),
            message=mail.intro
            + "\n\n"
            + "\n".join(lines)
            + "\n\n"
            + _("Se startsidan i Samverkan."),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        sent += 1
    return sent
