"""Mail through a real SMTP server on loopback (issue 21.5): the fixture and the shared seam.

Every mail Samverkan sends goes through Django's `send_mail`; these tests point
Django's SMTP backend at aiosmtpd on 127.0.0.1 and read what arrived on the wire.
The reminder mail of every app goes through one helper, `core.reminders`, tested
here at that seam; each caller has its own test in its app (`test_mail_smtp.py`).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.mail import send_mail

from samverkan.core.reminders import ReminderMail, send_reminder_mails
from samverkan.core.testing.smtp import (
    IDENTITY_NUMBER,
    assert_no_personal_data,
    assert_swedish_and_well_encoded,
)

pytestmark = pytest.mark.django_db


def test_django_sends_to_the_loopback_server(smtp_server, settings):
    send_mail(
        subject="Samverkan: överlämning väntar på mottagande",
        message="Logga in i Samverkan och ta emot anmälan – åäö ÅÄÖ.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=["mottagning@nacka.example", "jour@solna.example"],
    )
    (mail,) = smtp_server.received
    assert mail.recipients == ["mottagning@nacka.example", "jour@solna.example"]
    assert mail.mail_from == settings.DEFAULT_FROM_EMAIL
    assert mail.subject == "Samverkan: överlämning väntar på mottagande"
    assert mail.body.strip() == "Logga in i Samverkan och ta emot anmälan – åäö ÅÄÖ."
    assert b"=?utf-8?" in mail.raw  # the subject is RFC 2047 encoded on the wire
    assert_swedish_and_well_encoded(mail)


@pytest.mark.parametrize(
    "text", ["201205152380", "20120515-2380", "120515-2380", "1205152380", "120515+2380"]
)
def test_the_personal_data_check_finds_an_identity_number_in_any_form(text):
    assert IDENTITY_NUMBER.search(f"Barnet {text} har anmälts")


@pytest.mark.parametrize("text", ["08-465 004 99", "2026-11-24 02:10", "anmälan nr 1234"])
def test_the_personal_data_check_lets_phone_numbers_and_dates_through(text):
    assert not IDENTITY_NUMBER.search(text)


def test_the_reminder_seam_mails_each_user_once_a_day(smtp_server, agreement_admin):
    agreement_admin.email = "avtal@stockholm.example"
    agreement_admin.save(update_fields=["email"])
    reminder = ReminderMail(
        roles=("agreement_admin",),
        reminders=lambda user, day: ["Avtalet med Österåker förlängs", "Beslut saknas från Täby"],
        key=lambda text: text,
        line=str,
        subject=lambda n: f"Samverkan: {n} påminnelser",
        intro="Följande behöver åtgärdas:",
    )
    today = date(2026, 11, 25)
    assert send_reminder_mails(reminder, today) == 1
    assert send_reminder_mails(reminder, today) == 0
    (mail,) = smtp_server.received
    assert mail.recipients == ["avtal@stockholm.example"]
    assert mail.subject == "Samverkan: 2 påminnelser"
    assert mail.body.splitlines()[:4] == [
        "Följande behöver åtgärdas:",
        "",
        "- Avtalet med Österåker förlängs",
        "- Beslut saknas från Täby",
    ]
    assert "Se startsidan i Samverkan." in mail.body
    assert_swedish_and_well_encoded(mail)
    assert_no_personal_data(mail)


# Every place that sends mail, how many sends it has, and the tests that send each of them
# through the loopback server. A new mail fails here until it has its SMTP test.
MAIL_SENDERS = {
    "samverkan/intake/services.py": (1, ["samverkan/intake/tests/test_mail_smtp.py"]),
    "samverkan/core/reminders.py": (
        1,
        [
            "samverkan/core/tests/test_mail_smtp.py",
            "samverkan/agreements/tests/test_mail_smtp.py",
            "samverkan/routines/tests/test_mail_smtp.py",
        ],
    ),
    # one helper (`_mail_on_commit`) and its two callers: on-behalf decision, notice to ROC
    "samverkan/agreements/services.py": (3, ["samverkan/agreements/tests/test_mail_smtp.py"]),
    "samverkan/homecoming/services.py": (1, ["samverkan/homecoming/tests/test_mail_smtp.py"]),
    "samverkan/registry/changes.py": (1, ["samverkan/registry/tests/test_mail_smtp.py"]),
    "samverkan/webhooks/services.py": (1, ["samverkan/webhooks/tests/test_mail_smtp.py"]),
}
_SENDS = re.compile(
    r"\b(?:send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|"
    r"EmailMultiAlternatives|_mail_on_commit)\("
)


def test_every_mail_the_system_sends_has_a_test_through_the_smtp_server():
    root = Path(__file__).resolve().parents[3]
    found = {}
    for path in sorted((root / "samverkan").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or "/testing/" in relative:
            continue
        sends = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if _SENDS.search(line) and not line.lstrip().startswith("def ")
        ]
        if sends:
            found[relative] = len(sends)
    assert found == {path: count for path, (count, _tests) in MAIL_SENDERS.items()}
    for _count, tests in MAIL_SENDERS.values():
        for test in tests:
            assert "smtp_server" in (root / test).read_text(encoding="utf-8"), test
