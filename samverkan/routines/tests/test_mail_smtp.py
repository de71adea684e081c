"""The routine review reminder through a real SMTP server on loopback (issue 21.5)."""

from __future__ import annotations

from datetime import date

import pytest

from samverkan.core.testing.smtp import assert_no_personal_data, assert_swedish_and_well_encoded
from samverkan.routines.reminders import send_review_reminders

pytestmark = pytest.mark.django_db


def test_a_passed_review_date_is_mailed_once_to_the_coordinator(
    smtp_server, routine, collaboration_coordinator, sodermalm_coordinator, time_machine
):
    time_machine.move_to("2027-06-02T09:00:00+02:00", tick=False)
    collaboration_coordinator.email = "samordnare@farsta.example"
    collaboration_coordinator.save(update_fields=["email"])
    sodermalm_coordinator.email = "samordnare@sodermalm.example"
    sodermalm_coordinator.save(update_fields=["email"])
    assert send_review_reminders(today=date(2027, 6, 2)) == 1
    assert send_review_reminders(today=date(2027, 6, 3)) == 0  # once for good
    (mail,) = smtp_server.received
    assert mail.recipients == ["samordnare@farsta.example"]  # not Södermalm's coordinator
    assert mail.subject == "Samverkan: 1 rutin att se över"
    assert mail.body.startswith("Översynsdatum har passerats för:")
    assert f"- {routine.title} (skulle ses över senast 2027-06-01)" in mail.body
    assert_swedish_and_well_encoded(mail)
    assert_no_personal_data(mail)
