"""The receiver's inbox says what matters (issue 18 points 5 and 6): the police's answers
reach the social worker until read, escalated handovers stand out, a deadline is overdue
only when passed and not done, and the protection assessment comes before the preliminary."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from samverkan.core.errors import Conflict, InvalidInput, NotFound
from samverkan.core.startpage import panels_for
from samverkan.intake import rules, selectors, services
from samverkan.intake.tests.factories import at, decide_preliminary, protect, register

pytestmark = pytest.mark.django_db

NOW = "2026-11-24T10:00"  # a Tuesday in office hours


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(at(NOW), tick=False):
        yield


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def start_page_texts(user) -> list[str]:
    return [str(item.text) for panel in panels_for(user) for item in panel.items]


# --- point 5: answers reach the social worker ---------------------------------------------


def test_an_answer_stays_on_the_start_page_after_closing_until_read(
    logged_in_client, hub_worker, nacka_receiver, nacka_receiver_2, solna_receiver, roc_operator
):
    report = register(hub_worker, received_at="2026-11-24T02:10", wants_feedback=False).report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    request = services.information_request_send(
        actor=nacka_receiver, report_id=report.pk, kind="risk_assessment", question="Hotbild?"
    )
    protect(nacka_receiver, report)
    decide_preliminary(nacka_receiver, report, date(2026, 11, 24))
    report.refresh_from_db()
    assert report.closed_at is not None  # done in Samverkan before the answer came
    services.information_request_answer(actor=roc_operator, request_id=request.pk, answer="Ja.")

    for colleague in (nacka_receiver, nacka_receiver_2):
        assert any("Nytt svar från polisen" in t for t in start_page_texts(colleague))
    assert not any("Nytt svar" in t for t in start_page_texts(solna_receiver))
    (unread,) = selectors.unread_answers(user=nacka_receiver)
    assert unread.report_id == report.pk and unread.report_closed
    inbox = text(logged_in_client(nacka_receiver).get(reverse("intake:inbox")))
    assert "Nya svar från polisen" in inbox
    assert reverse("intake:receiver_report", args=[report.pk]) in inbox

    # Reading it: the page marks it new once; then it has left both colleagues' lists.
    page = text(
        logged_in_client(nacka_receiver).get(reverse("intake:receiver_report", args=[report.pk]))
    )
    assert "Nytt svar från polisen" in page and "Ja." in page
    for colleague in (nacka_receiver, nacka_receiver_2):
        assert selectors.unread_answers(user=colleague) == []
        assert not any("Nytt svar" in t for t in start_page_texts(colleague))
    again = text(
        logged_in_client(nacka_receiver_2).get(reverse("intake:receiver_report", args=[report.pk]))
    )
    assert "Nytt svar från polisen" not in again and "Läst" in again


def test_another_municipality_cannot_mark_an_answer_read(
    hub_worker, nacka_receiver, solna_receiver
):
    report = register(hub_worker).report
    with pytest.raises(NotFound):
        services.information_answers_mark_read(actor=solna_receiver, report_id=report.pk)


# --- point 6: escalated handovers, overdue deadlines, order of the assessments -------------


def test_escalated_handover_stands_out_in_the_inbox_with_words(
    logged_in_client, hub_worker, nacka_receiver
):
    ordinary = register(hub_worker, received_at="2026-11-24T09:55").report
    escalated = register(hub_worker, received_at="2026-11-24T09:00").report
    rows = selectors.receiving_queue(user=nacka_receiver)
    assert [(r.id, r.escalated) for r in rows] == [(escalated.pk, True), (ordinary.pk, False)]
    inbox = text(logged_in_client(nacka_receiver).get(reverse("intake:inbox")))
    assert "1 eskalerad överlämning" in inbox
    escalated_row, ordinary_row = re.findall(r"<tr(?: class=\"[^\"]*\")?>.*?</tr>", inbox)[1:3]
    assert "Eskalerad – inte mottagen inom 15 min" in escalated_row and "▲" in escalated_row
    assert "Eskalerad" not in ordinary_row and 'class="alarm' not in ordinary_row
    assert start_page_texts(nacka_receiver)[0].startswith("Eskalerad")


@pytest.mark.parametrize(
    ("due", "done", "now", "expected"),
    [
        (at("2026-11-24T12:00"), False, at("2026-11-24T12:01"), True),
        (at("2026-11-24T12:00"), True, at("2026-11-24T12:01"), False),  # done late: not overdue
        (at("2026-11-24T12:00"), False, at("2026-11-24T11:59"), False),
        (date(2026, 11, 24), False, at("2026-11-24T23:59"), False),  # its day is not over
        (date(2026, 11, 24), False, at("2026-11-25T00:00"), True),
        (date(2026, 11, 24), True, at("2026-12-25T00:00"), False),
    ],
)
def test_a_deadline_is_overdue_only_when_passed_and_not_done(
    due: datetime | date, done: bool, now: datetime, expected: bool
):
    assert rules.overdue(due, done=done, now=now) is expected


def test_a_step_done_late_is_shown_done_not_overdue(logged_in_client, hub_worker, nacka_receiver):
    report = register(hub_worker, received_at="2026-11-23T10:00").report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    protect(nacka_receiver, report, made_at="2026-11-24T09:00")  # after its deadline
    (row,) = selectors.receiving_queue(user=nacka_receiver)
    assert row.protection_done and not row.protection_overdue
    inbox = text(logged_in_client(nacka_receiver).get(reverse("intake:inbox")))
    assert "Gjord" in inbox and "Försenad" not in inbox
    page = text(
        logged_in_client(nacka_receiver).get(reverse("intake:receiver_report", args=[report.pk]))
    )
    assert "Försenad" not in page


def test_preliminary_assessment_waits_for_the_protection_assessment(
    logged_in_client, hub_worker, nacka_receiver
):
    report = register(hub_worker, received_at="2026-11-23T10:00").report
    services.handover_accept(actor=nacka_receiver, report_id=report.pk)
    with pytest.raises(Conflict) as error:
        decide_preliminary(nacka_receiver, report, date(2026, 11, 24))
    assert error.value.message == rules.PROTECTION_FIRST
    nacka = logged_in_client(nacka_receiver)
    url = reverse("intake:receiver_report", args=[report.pk])
    page = text(nacka.get(url))
    assert "Registrera den omedelbara skyddsbedömningen först" in page
    assert "Registrera förhandsbedömningen" not in page
    posted = nacka.post(
        reverse("intake:receiver_preliminary", args=[report.pk]),
        {"decision": "not_opened", "decided_on": "2026-11-24"},
        follow=True,
    )
    assert "Registrera den omedelbara skyddsbedömningen först" in text(posted)
    report.refresh_from_db()
    assert report.preliminary_decided_on is None

    protect(nacka_receiver, report, made_at="2026-11-24T09:00")
    with pytest.raises(InvalidInput) as day_before:
        decide_preliminary(nacka_receiver, report, date(2026, 11, 23))
    assert day_before.value.field == "decided_on"
    assert "Registrera förhandsbedömningen" in text(nacka.get(url))
