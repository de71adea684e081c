"""Indicators computed from known data, per term, with the trend."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from samverkan.collaboration import rules, selectors, services
from samverkan.collaboration.models import (
    AnonymousConsultation,
    Indicator,
    IndicatorKind,
    QuestionType,
    ReportFollowed,
)
from samverkan.collaboration.tests.conftest import org
from samverkan.core.errors import InvalidInput, NotFound
from samverkan.intake import services as intake
from samverkan.intake.tests.factories import file_school_report
from samverkan.intake.tests.testdata import make_person_id

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

SE = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 11, 25)
AUTUMN, SPRING = rules.Term(2026, True), rules.Term(2026, False)
A, B, C, D = (make_person_id(date(2012, 1, n)) for n in (1, 2, 3, 4))


def indicator(kind, forum, **extra):
    return Indicator.objects.create(
        district=org("0180-farsta"), forum=forum, name=kind, kind=kind, **extra
    )


def school_report(principal, person_id, day):
    received_at = datetime.combine(day, datetime.min.time(), tzinfo=SE).replace(hour=9)
    return file_school_report(
        principal, received_at, person_id=person_id, narrative="Hög frånvaro."
    )


def decide(receiver, report, day, reason=""):
    intake.handover_accept(actor=receiver, report_id=report.pk, at=report.received_at)
    intake.protection_assessment_record(
        actor=receiver,
        report_id=report.pk,
        made_at=report.received_at,
        immediate_protection_needed=False,
    )
    intake.preliminary_assessment_record(
        actor=receiver,
        report_id=report.pk,
        decision="not_opened",
        decided_on=day,
        extension_reason=reason,
    )


@pytest.fixture
def reports(principal, farsta_receiver):
    earlier = school_report(principal, A, date(2026, 6, 1))  # spring: A's first report
    r1 = school_report(principal, A, date(2026, 9, 1))  # within six months of the first
    r2 = school_report(principal, B, date(2026, 9, 15))
    school_report(principal, C, date(2026, 11, 20))  # still open, not yet due
    school_report(principal, D, date(2026, 10, 1))  # open and overdue
    decide(farsta_receiver, earlier, date(2026, 6, 3))
    decide(farsta_receiver, r1, date(2026, 9, 10))  # within 14 days
    decide(farsta_receiver, r2, date(2026, 10, 5), reason="Synnerliga skäl: tolk saknades.")


def test_share_of_school_reports_with_preliminary_assessment_within_14_days(
    reports, children_forum
):
    item = indicator(IndicatorKind.SCHOOL_PRELIMINARY_WITHIN_14_DAYS, children_forum)
    autumn = selectors.compute_indicator(item, AUTUMN, today=TODAY)
    assert autumn.value == 33.3  # 1 of 3: the open report not yet due is not counted
    assert autumn.detail == "1 av 3 anmälningar"
    assert selectors.compute_indicator(item, SPRING, today=TODAY).value == 100.0


def test_recurrence_within_six_months(reports, children_forum):
    item = indicator(IndicatorKind.RECURRENCE_SIX_MONTHS, children_forum, higher_is_better=False)
    assert selectors.compute_indicator(item, AUTUMN, today=TODAY).value == 25.0  # A of A-D
    assert selectors.compute_indicator(item, SPRING, today=TODAY).value == 0.0
    series = selectors.indicator_series(item, today=TODAY, terms=2)
    assert [p.term.key for p in series.points] == ["2026-VT", "2026-HT"]
    assert series.trend == "up" and series.good is False


def test_recurrence_ignores_reports_older_than_six_months(reports, principal, children_forum):
    school_report(principal, B, date(2026, 3, 10))  # 189 days before B's autumn report
    item = indicator(IndicatorKind.RECURRENCE_SIX_MONTHS, children_forum, higher_is_better=False)
    autumn = selectors.compute_indicator(item, AUTUMN, today=TODAY)
    assert autumn.value == 25.0
    assert autumn.detail == "1 av 4 barn"


def test_time_from_police_consultation_to_report(collaboration_coordinator, children_forum):
    for held, after in ((date(2026, 9, 1), 3), (date(2026, 10, 1), 1), (date(2026, 3, 1), 6)):
        services.consultation_record(
            actor=collaboration_coordinator,
            district=org("0180-farsta"),
            police_unit=org("polisen-lpo-farsta"),
            held_on=held,
            question_type=QuestionType.WHETHER_TO_REPORT,
            question="Oro för en pojke, 15 år.",
            advice="Anmäl.",
            report_followed=ReportFollowed.YES,
            report_filed_on=held + timedelta(days=after),
        )
    AnonymousConsultation.objects.create(
        district=org("0180-farsta"),
        police_unit=org("polisen-lpo-farsta"),
        held_on=date(2026, 9, 2),
        question_type=QuestionType.OTHER,
        question="Fråga",
        advice="Råd",
        report_followed=ReportFollowed.NO,
        recorded_by=collaboration_coordinator,
    )
    item = indicator(
        IndicatorKind.CONSULTATION_TO_REPORT_DAYS, children_forum, higher_is_better=False
    )
    series = selectors.indicator_series(item, today=TODAY, terms=2)
    assert [p.value for p in series.points] == [6.0, 2.0]
    assert series.trend == "down" and series.good is True


def test_young_people_with_a_plan(collaboration_coordinator, children_forum):
    for person, plan in ((A, True), (A, True), (B, False)):
        services.serious_talk_record(
            actor=collaboration_coordinator,
            district=org("0180-farsta"),
            police_unit=org("polisen-lpo-farsta"),
            held_on=date(2026, 10, 1),
            person_id=person,
            social_worker="S",
            police_officer="P",
            plan_agreed=plan,
        )
    item = indicator(IndicatorKind.YOUNG_PEOPLE_WITH_PLAN, children_forum)
    assert selectors.compute_indicator(item, AUTUMN, today=TODAY).value == 1.0


def test_manual_indicator_entered_with_its_source(
    collaboration_coordinator, police_coordinator, general_forum
):
    item = indicator(IndicatorKind.MANUAL, general_forum, higher_is_better=False)

    def enter(actor, term, value, source="x"):
        return services.indicator_value_enter(
            actor=actor, indicator_id=item.pk, term=term, value=Decimal(value), source=source
        )

    for term, value in (("2026-VT", "8.8"), ("2026-ht", "7.9")):
        enter(collaboration_coordinator, term, value, "Skolornas frånvarouppföljning")
    series = selectors.indicator_series(item, today=TODAY, terms=2)
    assert [p.value for p in series.points] == [8.8, 7.9]
    assert series.points[1].source == "Skolornas frånvarouppföljning"
    assert (series.trend, series.good) == ("down", True)
    with pytest.raises(InvalidInput):
        enter(collaboration_coordinator, "hösten", 1)
    with pytest.raises(NotFound):
        enter(police_coordinator, "2026-HT", 1)


def test_the_forums_other_party_sees_small_counts_suppressed_as_the_follow_up_publishes_them(
    reports, children_forum, collaboration_coordinator, police_coordinator, logged_in_client
):
    """The police, Farsta's forum party, read "1 av 3 anmälningar" and "33,3" (issue 17.3):
    the counts are small, so they are "<5", and the share that would give them back "–"."""
    indicator(IndicatorKind.SCHOOL_PRELIMINARY_WITHIN_14_DAYS, children_forum)
    url = "/samverkan/indikatorer/"
    inside = logged_in_client(collaboration_coordinator).get(url).content.decode()
    assert "1 av 3 anmälningar" in inside and ("33.3" in inside or "33,3" in inside)
    police = logged_in_client(police_coordinator)
    outside = police.get(url).content.decode()
    assert "&lt;5 av &lt;5 anmälningar" in outside
    assert "1 av 3" not in outside and "33,3" not in outside and "33.3" not in outside
    (item,) = police.get("/api/v1/collaboration/indicators").json()
    autumn = item["points"][-1]
    assert autumn["value"] is None and autumn["hidden"] == "secondary"
    assert autumn["detail"] == "<5 av <5 anmälningar"
    assert item["trend"] == ""
