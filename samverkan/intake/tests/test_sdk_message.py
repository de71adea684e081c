"""A handover as an SDK message (issue 21.3), checked against Digg's published rules.

The schema is Digg's own (`intake/sdk_schema/`, vendored with its origin); the
field rules are those of *SDK Innehållsspecifikation Meddelande* 1.5.2 and the
Schematron Digg publishes beside the schema (MessageConstraints.xml).
"""

from __future__ import annotations

import base64
import io
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import xmlschema
from pypdf import PdfReader

from samverkan.intake import sdk
from samverkan.intake.models import Handover
from samverkan.intake.tests.factories import file_school_report, register
from samverkan.registry.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

SCHEMA_NAME = "infrastructure_messaging_MessageWithAttachments_3.0.xsd"
SCHEMA = Path(sdk.__file__).parent / "sdk_schema" / SCHEMA_NAME
NS = {"s": sdk.NAMESPACE}
NOW = datetime(2026, 11, 24, 2, 30, 5, 123456, tzinfo=ZoneInfo("Europe/Stockholm"))
HUB = sdk.SdkAddress("0203:stockholm.se", "socialjouren", "Socialjouren Stockholm")
NACKA = sdk.SdkAddress("0203:nacka.se", "socialtjanst.mottagning.barn", "Mottagningen barn")


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


@pytest.fixture
def handover(hub_worker) -> Handover:
    report = register(hub_worker, received_at="2026-11-24T02:10").report
    return report.handovers.get()


@pytest.fixture
def message(handover) -> bytes:
    return sdk.handover_message(handover, sender=HUB, recipient=NACKA, now=NOW)


def _parse(xml: bytes) -> ET.Element:
    return ET.fromstring(xml)


def _find(root: ET.Element, path: str) -> list[ET.Element]:
    # The paths below are XPath-like ("//s:x/s:y"); ElementTree needs them relative.
    relative = "." + path if path.startswith("//") else path.replace("/s:messagePayload", ".", 1)
    return root.findall(relative, NS)


def _text(root: ET.Element, path: str) -> str:
    values = _find(root, path)
    assert len(values) == 1, f"{path}: {values}"
    return values[0].text or ""


def _assert_valid(schema: xmlschema.XMLSchema, root: ET.Element) -> None:
    errors = [str(error) for error in schema.iter_errors(root)]
    assert errors == []


def test_message_is_valid_against_diggs_schema(schema, message):
    root = _parse(message)
    _assert_valid(schema, root)
    assert root.tag == f"{{{sdk.NAMESPACE}}}messagePayload"
    assert message.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_message_passes_diggs_validation_rules(message):
    assert sdk.message_rule_errors(message) == []


def test_header_carries_confidentiality_ids_and_time(message, handover):
    root = _parse(message)
    header = "/s:messagePayload/s:message/s:messageHeader"
    # a concern report is covered by secrecy: the message is always marked so
    assert _text(root, f"{header}/s:confidentiality") == "true"
    # one conversation per report: a receipt or a reply finds its report
    assert _text(root, f"{header}/s:conversationId") == str(handover.report.public_id)
    message_id = _text(root, f"{header}/s:messageId")
    assert uuid.UUID(message_id).version == 5
    # UTC with milliseconds, as the rule pattern YYYY-MM-DD'T'hh:mm:ss.s'Z' asks
    assert _text(root, f"{header}/s:creationDateTime") == "2026-11-24T01:30:05.123Z"
    label = _text(root, f"{header}/s:label")
    assert label == "Orosanmälan från Polisen"
    assert len(label) <= 256


def test_resending_the_same_handover_keeps_its_message_id(handover):
    first = _parse(sdk.handover_message(handover, sender=HUB, recipient=NACKA, now=NOW))
    again = _parse(sdk.handover_message(handover, sender=HUB, recipient=NACKA))
    path = "//s:messageHeader/s:messageId"
    assert _text(first, path) == _text(again, path)


def test_recipient_is_the_function_address_and_the_referenced_person(message, handover):
    root = _parse(message)
    recipient = "//s:messageHeader/s:recipient"
    assert _text(root, f"{recipient}/s:recipientID/s:root") == "iso6523-actorid-upis"
    assert _text(root, f"{recipient}/s:recipientID/s:extension") == "0203:nacka.se"
    organisation = f"{recipient}/s:attention/s:subOrganization/s:organizationId"
    assert _text(root, f"{organisation}/s:root") == (
        "urn:riv:infrastructure:messaging:functionalAddress"
    )
    assert _text(root, f"{organisation}/s:extension") == "socialtjanst.mottagning.barn"
    person = f"{recipient}/s:attention/s:person/s:personId"
    # the personnummer OID, 12 digits without separator
    assert _text(root, f"{person}/s:root") == "1.2.752.129.2.1.3.1"
    assert _text(root, f"{person}/s:extension") == handover.report.person_id
    assert re.fullmatch(r"\d{12}", _text(root, f"{person}/s:extension"))
    assert _text(root, "//s:messageHeader/s:sender/s:senderID/s:extension") == ("0203:stockholm.se")


def test_a_coordination_number_gets_its_own_oid(handover):
    content = sdk.handover_content(handover, sender=HUB, recipient=NACKA, pdf=b"%PDF-1.7", now=NOW)
    # a samordningsnummer: the birth day plus 60
    xml = sdk.build_message(replace(content, person_id="201205752387"))
    assert _text(_parse(xml), "//s:person/s:personId/s:root") == "1.2.752.129.2.1.3.3"


def test_an_unknown_child_has_no_person_element(schema, hub_worker):
    report = register(hub_worker, person_id="", birth_date=datetime(2012, 5, 15).date()).report
    xml = sdk.handover_message(report.handovers.get(), sender=HUB, recipient=NACKA, now=NOW)
    root = _parse(xml)
    _assert_valid(schema, root)
    assert _find(root, "//s:person") == []


def test_report_is_attached_as_a_pdf(message, handover):
    root = _parse(message)
    files = "//s:messageBody/s:documents/s:ContentFiles"
    assert _text(root, f"{files}/s:contentType") == "application/pdf"
    assert _text(root, f"{files}/s:fileName") == f"orosanmalan-{handover.report.public_id}.pdf"
    pdf = base64.b64decode(_text(root, f"{files}/s:content"), validate=True)
    assert pdf.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Orosanmälan från Polisen" in text
    assert "20120515-2380" in text  # the receiver's page shows the number so
    assert "Hot från rivaliserande nätverk." in text
    assert "Nacka" in text


def test_subject_and_text_carry_no_personal_data(message, handover):
    """A message client lists subjects and previews text: the identity stays in its field."""
    root = _parse(message)
    visible = _text(root, "//s:messageHeader/s:label") + _text(
        root, "//s:ContentText/s:characterSequence"
    )
    person_id = handover.report.person_id
    assert person_id not in visible
    assert f"{person_id[:8]}-{person_id[8:]}" not in visible
    assert "rivaliserande" not in visible


def test_a_school_report_says_so(school_staff):
    school_staff.organisation = Organisation.objects.filter(kind=OrganisationKind.SCHOOL).first()
    school_staff.save(update_fields=["organisation"])
    handover = file_school_report(school_staff).handovers.get()
    xml = sdk.handover_message(handover, sender=HUB, recipient=NACKA, now=NOW)
    assert _text(_parse(xml), "//s:messageHeader/s:label") == "Orosanmälan från skola"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"recipient": replace(NACKA, function_address=" ")}, "funktionsadress saknas"),
        ({"recipient": replace(NACKA, participant_id="nacka.se")}, "ska börja med 0203:"),
        ({"sender": replace(HUB, label="x" * 257)}, "längre än 256"),
        ({"subject": "x" * 257}, "1–256 tecken"),
        ({"subject": ""}, "1–256 tecken"),
        ({"person_id": "20120515-2380"}, "12 siffror"),
        ({"person_id": "201205152381"}, "Kontrollsiffran"),
        ({"attachments": (sdk.Attachment("a.pdf", "application/pdf", b""),)}, "är tom"),
    ],
)
def test_content_that_breaks_the_rules_is_refused(handover, change, expected):
    content = sdk.handover_content(handover, sender=HUB, recipient=NACKA, pdf=b"%PDF-1.7", now=NOW)
    with pytest.raises(sdk.InvalidSdkMessage) as refused:
        sdk.build_message(replace(content, **change))
    assert any(expected in error for error in refused.value.errors), refused.value.errors


def _mutated(message: bytes, path: str, value: str) -> bytes:
    root = _parse(message)
    _find(root, path)[0].text = value
    return ET.tostring(root, xml_declaration=True, encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("//s:messageHeader/s:messageId", "1234", "inte ett UUID"),
        ("//s:messageHeader/s:conversationId", "abc", "inte ett UUID"),
        ("//s:messageHeader/s:creationDateTime", "2026-11-24T01:30:05Z", "ss.sssZ"),
        ("//s:messageHeader/s:label", "x" * 257, "längre än 256"),
        ("//s:messageHeader/s:label", "  ", "är tomt"),
        ("//s:recipientID/s:root", "personnr", "iso6523-actorid-upis"),
        ("//s:senderID/s:extension", "stockholm.se", "0203:"),
        ("//s:subOrganization/s:organizationId/s:root", "x", "functionalAddress"),
        ("//s:ContentFiles/s:content", "%%%", "base64"),
    ],
)
def test_the_rule_check_catches_what_digg_refuses(message, path, value, expected):
    """The Python rule check fails where Digg's Schematron would (so it is no rubber stamp)."""
    errors = sdk.message_rule_errors(_mutated(message, path, value))
    assert any(expected in error for error in errors), errors


def test_the_schema_refuses_a_message_without_confidentiality(schema, message):
    root = _parse(message)
    (header,) = _find(root, "//s:messageHeader")
    header.remove(header.find("s:confidentiality", NS))
    assert not schema.is_valid(root)
