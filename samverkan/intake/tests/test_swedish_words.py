"""Swedish dates and words on the intake pages (issue 18.9), as the worker reads them.

"5 dec. 2026", not "5 Dec 2026"; a deadline moved by lag (1930:173) says from
which day; a number of months, times or days takes the right form.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from samverkan.intake.tests.factories import at, register

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def report_url(report) -> str:
    return reverse("intake:hub_report", args=[report.pk])


def test_the_queue_writes_swedish_month_abbreviations(logged_in_client, hub_worker):
    with time_machine.travel(at("2026-12-05T10:00"), tick=False):
        register(hub_worker, received_at="2026-12-05T09:50")
        page = text(logged_in_client(hub_worker).get(reverse("intake:hub_queue")))
    assert "5 dec. 09:50" in page  # received, in the waiting column
    assert "Dec" not in page
    # The start page's panel too (Python side, core.dates.format_date).
    with time_machine.travel(at("2026-12-05T10:00"), tick=False):
        start = text(logged_in_client(hub_worker).get("/"))
    assert "5 dec. 09:50" in start


def test_a_moved_deadline_says_from_which_day(logged_in_client, hub_worker):
    # Received Saturday 28 Nov: + 14 days is Saturday 12 Dec, moved to Monday 14 Dec.
    with time_machine.travel(at("2026-11-28T10:05"), tick=False):
        report = register(hub_worker, received_at="2026-11-28T10:00").report
        page = text(logged_in_client(hub_worker).get(report_url(report)))
    assert "måndag 14 dec. 2026 – flyttad från lördag enligt lag 1930:173" in page


def test_a_deadline_on_a_working_day_says_nothing_of_moving(logged_in_client, hub_worker):
    with time_machine.travel(at("2026-11-24T10:05"), tick=False):
        report = register(hub_worker, received_at="2026-11-24T10:00").report
        page = text(logged_in_client(hub_worker).get(report_url(report)))
    assert "tisdag 8 dec. 2026" in page
    assert "flyttad" not in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv", "5 dec. 2026 · 14 maj · 3 mars 12:00"), ("en", "5 Dec 2026 · 14 May · 3 Mar 12:00")],
)
def test_every_template_date_filter_abbreviates_months_in_the_language(language, expected):
    from datetime import date, datetime

    template = Template('{{ a|date:"j M Y" }} · {{ b|date:"j M" }} · {{ c|date:"j M H:i" }}')
    with translation.override(language):
        shown = template.render(
            Context({"a": date(2026, 12, 5), "b": date(2026, 5, 14), "c": datetime(2026, 3, 3, 12)})
        )
    assert shown == expected


def test_one_month_is_a_month_and_one_time_is_a_time(logged_in_client, agreement_admin):
    from samverkan.agreements.demo import load_demo
    from samverkan.agreements.models import Agreement

    load_demo()
    agreement = Agreement.objects.get(reference="SN-ROC-0120")
    Agreement.objects.filter(pk=agreement.pk).update(
        renewal_months=1, max_renewals=1, notice_months=1
    )
    page = text(logged_in_client(agreement_admin).get(f"/avtal/{agreement.pk}/"))
    assert "1 månad i taget, högst 1 gång" in page
    assert "1 månad" in page and "1 månader" not in page
    Agreement.objects.filter(pk=agreement.pk).update(
        renewal_months=12, max_renewals=2, notice_months=6
    )
    page = text(logged_in_client(agreement_admin).get(f"/avtal/{agreement.pk}/"))
    assert "12 månader i taget, högst 2 gånger" in page and "6 månader" in page
