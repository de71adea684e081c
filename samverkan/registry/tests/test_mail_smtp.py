"""The notice to a user whose organisation ended, through a real SMTP server on loopback
(issue 21.5): who they belong to now and what work moved, counted, never named."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from samverkan.accounts.models import User
from samverkan.collaboration.models import ActionPlan
from samverkan.core.calendar import STOCKHOLM
from samverkan.core.testing.smtp import assert_no_personal_data, assert_swedish_and_well_encoded
from samverkan.registry import change_rules as rules
from samverkan.registry.changes import change_register
from samverkan.registry.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def _district(code: str, name: str, **extra) -> Organisation:
    return Organisation.objects.create(
        code=code,
        name=name,
        kind=OrganisationKind.DISTRICT,
        parent=Organisation.objects.get(code="0180"),
        **extra,
    )


def test_a_merger_mails_each_moved_user_in_swedish(
    smtp_server, registry_demo, admin_user, django_capture_on_commit_callbacks
):
    east = _district("0180-test-ost", "Östra området")
    south = _district("0180-test-syd", "Södra området")
    joined = _district("0180-test-ny", "Området Älvsjö–Årsta", valid_from=date(2024, 3, 1))
    ActionPlan.objects.create(
        district=east,
        title="Trygghetsplan 2024",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
    )
    User.objects.create_user(
        "test-ost", email="asa@ost.example", organisation=east, first_name="Åsa"
    )
    User.objects.create_user("test-syd", email="bo@syd.example", organisation=south)
    User.objects.create_user("test-ost-borta", email="", organisation=east)  # no address
    with django_capture_on_commit_callbacks(execute=True):
        change_register(
            actor=admin_user,
            kind=rules.MERGER,
            effective_date=date(2024, 3, 1),
            ending=[east, south],
            successors={joined.pk: list(rules.RESPONSIBILITIES)},
            decision="Kommunfullmäktige § 12",
            now=datetime(2024, 3, 2, 9, 0, tzinfo=STOCKHOLM),
        )
    assert sorted(m.recipients for m in smtp_server.received) == [
        ["asa@ost.example"],
        ["bo@syd.example"],
    ]
    (east_mail,) = smtp_server.to("asa@ost.example")
    assert east_mail.subject == "Samverkan: du tillhör nu Området Älvsjö–Årsta"
    assert east_mail.body.startswith(
        "Östra området har gått upp i Området Älvsjö–Årsta från och med 2024-03-01. "
        "Ditt konto i Samverkan tillhör nu Området Älvsjö–Årsta."
    )
    assert "Pågående arbete har flyttats dit:" in east_mail.body
    (south_mail,) = smtp_server.to("bo@syd.example")
    assert "Inget pågående arbete behövde flyttas." in south_mail.body
    for mail in (east_mail, south_mail):
        assert_swedish_and_well_encoded(mail)
        assert_no_personal_data(mail, "Trygghetsplan 2024", "Åsa")
