"""A real SMTP server on loopback for the mail tests (issue 21.5).

`smtp_server` starts aiosmtpd on 127.0.0.1 on a free port and points Django's SMTP
backend at it, so a test sends every mail the way production does (through
`django.core.mail.backends.smtp.EmailBackend` and smtplib) and reads what a mail
server received: the envelope's recipients and the message as bytes on the wire.

    def test_escalation_mail(smtp_server, ...):
        ...  # trigger the mail through the real code path
        (mail,) = smtp_server.received
        assert mail.recipients == ["mottagning@nacka.example"]
        assert_swedish_and_well_encoded(mail)
        assert_no_personal_data(mail, report.person_id)

Registered for every app in the root conftest; do not import the fixture.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest

from samverkan.core.testing.servers import HOST, free_port

SWEDISH_LETTERS = re.compile("[åäöÅÄÖ]")
# A personnummer or samordningsnummer in any of its written forms: 10 or 12 digits,
# with or without separator.
IDENTITY_NUMBER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the SMTP server received it."""

    mail_from: str
    recipients: list[str]  # the envelope's RCPT TO, who the mail was delivered to
    raw: bytes  # the DATA as sent

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def subject(self) -> str:
        # Python folds an encoded subject onto its own line ("Subject: \r\n =?utf-8?b?…");
        # unfolded, the fold's space leads, as a mail client would not show it.
        return str(self.message["Subject"]).strip()

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "the mail has no text/plain part"
        return str(part.get_content())  # type: ignore[attr-defined]

    @property
    def to(self) -> list[str]:
        return [address.strip() for address in str(self.message["To"]).split(",")]


@dataclass
class _Handler:
    received: list[ReceivedMail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.received.append(
                ReceivedMail(
                    mail_from=envelope.mail_from,
                    recipients=list(envelope.rcpt_tos),
                    raw=bytes(envelope.original_content or envelope.content),
                )
            )
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: _Handler

    @property
    def received(self) -> list[ReceivedMail]:
        with self.handler.lock:
            return list(self.handler.received)

    def to(self, address: str) -> list[ReceivedMail]:
        """The mails delivered to `address`."""
        return [mail for mail in self.received if address in mail.recipients]


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    from aiosmtpd.controller import Controller

    handler = _Handler()
    controller = Controller(handler, hostname=HOST, port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = HOST
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield SmtpServer(HOST, controller.port, handler)
    finally:
        controller.stop()


def assert_swedish_and_well_encoded(mail: ReceivedMail) -> None:
    """Swedish letters survive the trip, and the wire format is what any mail client reads.

    Headers on the wire are 7-bit (a non-ASCII subject is RFC 2047 encoded), the
    text is declared UTF-8, and the decoded subject and body are Swedish (they have
    å, ä or ö and say "Samverkan").
    """
    head, _sep, _body = mail.raw.partition(b"\r\n\r\n")
    if not _sep:
        head = mail.raw.partition(b"\n\n")[0]
    assert head.isascii(), "a header went out unencoded"
    part = mail.message.get_body(preferencelist=("plain",))
    assert part is not None and part.get_content_charset() == "utf-8"
    assert "Samverkan" in mail.subject
    assert SWEDISH_LETTERS.search(mail.subject + mail.body), (mail.subject, mail.body)
    assert "\ufffd" not in mail.subject + mail.body  # nothing lost in decoding
    assert mail.mail_from, "no sender on the envelope"


def assert_no_personal_data(mail: ReceivedMail, *forbidden: str) -> None:
    """No identity number in any written form, and none of `forbidden` (names, details)."""
    text = mail.subject + "\n" + mail.body
    assert not IDENTITY_NUMBER.search(text), IDENTITY_NUMBER.search(text)
    for value in forbidden:
        if value:
            assert value not in text, f"{value!r} is in the mail"
