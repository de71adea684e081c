"""A handover as an SDK message: Digg's *Säker digital kommunikation* content message.

Builds the `messagePayload` document of the message type
``urn:riv:infrastructure:messaging:MessageWithAttachments:3`` as Digg's *SDK
Innehållsspecifikation Meddelande* (version 1.5.2, in force from 2024-11-18)
describes it, so that a municipality without a Samverkan log-in can receive a
concern report in its own message client. How it is sent (XHE envelope, AS4
through an access point) and how receipts come back is decided in
docs/decisions/0007-sdk-secure-messaging.md; this module only writes the content.

The rules come from Digg's published schema (vendored in `sdk_schema/`, with its
origin) and from the validation rules Digg publishes beside it
(`MessageConstraints.xml`, a Schematron that "ska användas ... innan
försändelse"); `message_rule_errors` checks those rules in Python, since the
Schematron needs an XSLT 2 processor.
"""

from __future__ import annotations

import base64
import re
import uuid
import xml.etree.ElementTree as ET  # noqa: S405 - we only write XML and read our own
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone

from samverkan.core.identity import InvalidPersonId, parse_person_id
from samverkan.intake.models import ConcernReport, Handover

NAMESPACE = "urn:riv:infrastructure:messaging:MessageWithAttachments:3"
# The document type identifier an access point routes on (AS4 Action, XHE DocumentTypeCode).
DOCUMENT_TYPE = f"{NAMESPACE}::messagePayload##3.0"
PARTICIPANT_SCHEME = "iso6523-actorid-upis"
# Swedish organisations in the SDK federation are addressed under ISO 6523 ICD 0203.
PARTICIPANT_PREFIX = "0203:"
FUNCTIONAL_ADDRESS_ROOT = "urn:riv:infrastructure:messaging:functionalAddress"
# OIDs of the Swedish identity numbers (Skatteverket SKV 704 and SKV 707), written as
# 12 digits without separator.
PERSONNUMMER_ROOT = "1.2.752.129.2.1.3.1"
SAMORDNINGSNUMMER_ROOT = "1.2.752.129.2.1.3.3"
LABEL_MAX_LENGTH = 256
PDF_CONTENT_TYPE = "application/pdf"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{1,3}Z$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")

# One conversation per concern report; message ids of a handover are derived from it,
# so sending the same handover again gives the same message id (the receiver can
# recognise a resend) and a receipt's reference finds its report and handover.
_MESSAGE_ID_NAMESPACE = uuid.UUID("6f1c3b5e-2f0a-4c1e-9a57-3d2b8e6c0d41")


class InvalidSdkMessage(ValueError):
    """The message would break the content specification; `errors` says how."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class SdkAddress:
    """An organisation in the SDK address book and one of its function addresses.

    `participant_id` is the organisation's participant identifier ("0203:nacka.se"),
    `function_address` the *funktionsadress* of the unit that handles the message
    (the receiving unit's mailbox, not a person), `label` its name as shown.
    """

    participant_id: str
    function_address: str
    label: str = ""


@dataclass(frozen=True)
class Attachment:
    file_name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class MessageContent:
    """What one SDK message says, before it is written as XML."""

    message_id: uuid.UUID
    conversation_id: uuid.UUID
    created_at: datetime
    subject: str
    confidential: bool
    sender: SdkAddress
    recipient: SdkAddress
    person_id: str  # the referenced person, 12 digits; "" when the person is unknown
    document_id: str
    document_name: str
    text: str
    attachments: tuple[Attachment, ...]


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _child(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(name))
    if text is not None:
        element.text = text
    return element


def _identifier(parent: ET.Element, name: str, root: str, extension: str) -> None:
    element = _child(parent, name)
    _child(element, "root", root)
    _child(element, "extension", extension)


def _timestamp(instant: datetime) -> str:
    utc = instant.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _person_root(person_id: str) -> str:
    return SAMORDNINGSNUMMER_ROOT if int(person_id[6:8]) > 60 else PERSONNUMMER_ROOT


def _attention(
    parent: ET.Element, address: SdkAddress, person_id: str = "", *, required: bool
) -> None:
    if not required and not address.function_address:
        return
    attention = _child(parent, "attention")
    if person_id:
        person = _child(attention, "person")
        _identifier(person, "personId", _person_root(person_id), person_id)
    sub = _child(attention, "subOrganization")
    _identifier(sub, "organizationId", FUNCTIONAL_ADDRESS_ROOT, address.function_address)
    if address.label:
        _child(sub, "label", address.label)


def content_errors(content: MessageContent) -> list[str]:
    """What in `content` the specification refuses, before any XML is written."""
    errors = []
    for role, address in (("mottagare", content.recipient), ("avsändare", content.sender)):
        if not address.participant_id.startswith(PARTICIPANT_PREFIX) or len(
            address.participant_id
        ) <= len(PARTICIPANT_PREFIX):
            errors.append(f"{role}: organisationens id ska börja med {PARTICIPANT_PREFIX}")
        if len(address.label) > LABEL_MAX_LENGTH:
            errors.append(f"{role}: namnet är längre än {LABEL_MAX_LENGTH} tecken")
    if not content.recipient.function_address.strip():
        errors.append("mottagare: funktionsadress saknas")
    if not content.subject.strip() or len(content.subject) > LABEL_MAX_LENGTH:
        errors.append(f"rubriken ska ha 1–{LABEL_MAX_LENGTH} tecken")
    if content.person_id:
        try:
            if parse_person_id(content.person_id).number != content.person_id:
                errors.append("personnumret ska ha 12 siffror utan skiljetecken")
        except InvalidPersonId as error:
            errors.append(f"personnummer: {error.message}")
    if not content.document_id.strip():
        errors.append("dokumentet saknar id")
    if not content.text.strip() and not content.attachments:
        errors.append("meddelandet saknar innehåll")
    for attachment in content.attachments:
        if not (attachment.file_name.strip() and attachment.content_type.strip()):
            errors.append("en bilaga saknar filnamn eller filtyp")
        if not attachment.content:
            errors.append(f"bilagan {attachment.file_name} är tom")
    return errors


def build_message(content: MessageContent) -> bytes:
    """The `messagePayload` document as UTF-8 XML; raises InvalidSdkMessage if it breaks a rule."""
    errors = content_errors(content)
    if errors:
        raise InvalidSdkMessage(errors)
    ET.register_namespace("sdk", NAMESPACE)
    payload = ET.Element(_q("messagePayload"))
    message = _child(payload, "message")

    header = _child(message, "messageHeader")
    _child(header, "creationDateTime", _timestamp(content.created_at))
    _child(header, "messageId", str(content.message_id))
    _child(header, "conversationId", str(content.conversation_id))
    _child(header, "label", content.subject)
    _child(header, "confidentiality", "true" if content.confidential else "false")
    recipient = _child(header, "recipient")
    _identifier(recipient, "recipientID", PARTICIPANT_SCHEME, content.recipient.participant_id)
    _attention(recipient, content.recipient, content.person_id, required=True)
    sender = _child(header, "sender")
    _identifier(sender, "senderID", PARTICIPANT_SCHEME, content.sender.participant_id)
    _attention(sender, content.sender, required=False)

    body = _child(message, "messageBody")
    document = _child(body, "documents")
    _child(document, "documentID", content.document_id)
    _child(document, "documentName", content.document_name)
    for attachment in content.attachments:
        files = _child(document, "ContentFiles")
        _child(files, "fileName", attachment.file_name)
        _child(files, "contentType", attachment.content_type)
        _child(files, "content", base64.b64encode(attachment.content).decode("ascii"))
    if content.text:
        _child(_child(document, "ContentText"), "characterSequence", content.text)

    xml = ET.tostring(payload, encoding="utf-8", xml_declaration=True)
    problems = message_rule_errors(xml)
    if problems:  # a bug here, not bad input: the content was checked above
        raise InvalidSdkMessage(problems)
    return xml


def _texts(root: ET.Element, path: str) -> Iterable[tuple[str, str]]:
    for element in root.iterfind(path, {"sdk": NAMESPACE}):
        yield path, element.text or ""


def message_rule_errors(xml: bytes) -> list[str]:
    """Digg's published validation rules for the message (MessageConstraints.xml), in Python.

    Every element has a value; creationDateTime is UTC with milliseconds; messageId,
    conversationId and refToMessageId are UUIDs; the subject is at most 256
    characters; sender and recipient are ISO 6523 participants; a sub-organisation
    is a function address; attached content is base64.
    """
    root = ET.fromstring(xml)  # noqa: S314 - our own document, never input from outside
    if root.tag != _q("messagePayload"):
        return [f"rotelementet ska vara {{{NAMESPACE}}}messagePayload, inte {root.tag}"]
    errors = [
        f"elementet {element.tag.split('}')[-1]} är tomt"
        for element in root.iter()
        if element is not root and not len(element) and not (element.text or "").strip()
    ]
    header = ".//sdk:messageHeader"
    if len(root.findall(f"{header}/sdk:conversationId", {"sdk": NAMESPACE})) != 1:
        errors.append("conversationId ska finnas en gång")
    for path, value in _texts(root, f"{header}/sdk:creationDateTime"):
        if not _TIMESTAMP.match(value):
            errors.append(f"{path}: {value!r} är inte ÅÅÅÅ-MM-DDTtt:mm:ss.sssZ")
    for name in ("messageId", "conversationId", "refToMessageId"):
        for path, value in _texts(root, f"{header}/sdk:{name}"):
            if not _UUID.match(value):
                errors.append(f"{path}: {value!r} är inte ett UUID")
    for path, value in _texts(root, f"{header}/sdk:label"):
        if len(value) > LABEL_MAX_LENGTH:
            errors.append(f"{path}: längre än {LABEL_MAX_LENGTH} tecken")
    for name in ("recipientID", "senderID"):
        for path, value in _texts(root, f".//sdk:{name}/sdk:root"):
            if value != PARTICIPANT_SCHEME:
                errors.append(f"{path}: ska vara {PARTICIPANT_SCHEME}")
        for path, value in _texts(root, f".//sdk:{name}/sdk:extension"):
            if not value.startswith(PARTICIPANT_PREFIX):
                errors.append(f"{path}: ska börja med {PARTICIPANT_PREFIX}")
    for path, value in _texts(root, ".//sdk:subOrganization/sdk:organizationId/sdk:root"):
        if value != FUNCTIONAL_ADDRESS_ROOT:
            errors.append(f"{path}: ska vara {FUNCTIONAL_ADDRESS_ROOT}")
    for path, value in _texts(root, ".//sdk:ContentFiles/sdk:content"):
        if not _BASE64.match(value):
            errors.append(f"{path}: är inte base64")
    return errors


# --- a handover ------------------------------------------------------------------------


def handover_message_id(handover: Handover) -> uuid.UUID:
    return uuid.uuid5(_MESSAGE_ID_NAMESPACE, f"{handover.report.public_id}:handover:{handover.pk}")


def report_file_name(report: ConcernReport) -> str:
    return f"orosanmalan-{report.public_id}.pdf"


def handover_content(
    handover: Handover,
    *,
    sender: SdkAddress,
    recipient: SdkAddress,
    pdf: bytes,
    now: datetime | None = None,
) -> MessageContent:
    """The SDK message that hands `handover`'s report to `recipient`'s function address.

    The subject and text carry no personal data (a message client lists subjects);
    the referenced person's identity number is in its own field, the report itself
    in the PDF. Always confidential: a concern report is covered by secrecy in the
    social services (OSL 26 kap. 1 §).
    """
    report = handover.report
    return MessageContent(
        message_id=handover_message_id(handover),
        conversation_id=report.public_id,
        created_at=now or timezone.now(),
        subject=("Orosanmälan från skola" if report.from_school else "Orosanmälan från Polisen"),
        confidential=True,
        sender=sender,
        recipient=recipient,
        person_id=report.person_id,
        document_id=f"orosanmalan-{report.public_id}",
        document_name="Orosanmälan",
        text=(
            f"Orosanmälan överlämnad till {handover.organisation.name} genom Samverkan. "
            "Anmälan finns som bilaga (PDF)."
        ),
        attachments=(Attachment(report_file_name(report), PDF_CONTENT_TYPE, pdf),),
    )


def handover_message(
    handover: Handover,
    *,
    sender: SdkAddress,
    recipient: SdkAddress,
    now: datetime | None = None,
) -> bytes:
    """`handover_content` with the report rendered as PDF, written as the SDK XML document."""
    from samverkan.intake.report_pdf import render_report_pdf

    pdf = render_report_pdf(handover.report, generated_at=now)
    return build_message(
        handover_content(handover, sender=sender, recipient=recipient, pdf=pdf, now=now)
    )
