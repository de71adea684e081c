"""Services: the personal-data guard, compliance after recording a meeting, access by party."""

from __future__ import annotations

from datetime import date

import pytest

from samverkan.audit.models import AuditEntry
from samverkan.collaboration import selectors, services
from samverkan.collaboration.models import (
    Activity,
    AnonymousConsultation,
    Meeting,
    MeetingDecision,
    ProgressNote,
    QuestionType,
    SeriousTalk,
)
from samverkan.collaboration.tests.conftest import org
from samverkan.core.errors import InvalidInput, NotAllowed, NotFound

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

TODAY = date(2026, 11, 25)
PERSON_ID = "20120515-2380"


def meeting_input(**overrides):
    data = {
        "held_on": date(2026, 11, 20),
        "functions_present": ["department_head", "school_principal"],
        "agenda": "Trygghet kring skolorna.",
        "minutes": "Rektorerna beskrev läget på gruppnivå.",
    }
    data.update(overrides)
    return services.MeetingInput(**data)


def record_meeting(actor, forum, data):
    return services.meeting_record(actor=actor, forum_id=forum.pk, data=data)


# --- general-forum minutes -------------------------------------------------------------------


def test_general_forum_minutes_refuse_an_identity_number(collaboration_coordinator, general_forum):
    data = meeting_input(minutes=f"Eleven {PERSON_ID} har hög frånvaro.")
    with pytest.raises(services.PersonalDataFound) as error:
        record_meeting(collaboration_coordinator, general_forum, data)
    assert error.value.field == "minutes"
    assert not error.value.needs_confirmation
    assert "personnummer" in error.value.message
    # Confirming does not help: an identity number is never accepted here.
    data = meeting_input(minutes=f"Eleven {PERSON_ID}.", confirmed_no_personal_data=True)
    with pytest.raises(services.PersonalDataFound):
        record_meeting(collaboration_coordinator, general_forum, data)
    assert Meeting.objects.count() == 0


def test_general_forum_minutes_warn_on_names_and_accept_after_confirmation(
    collaboration_coordinator, general_forum
):
    data = meeting_input(minutes="Elias i åttan har slutat komma till skolan.")
    with pytest.raises(services.PersonalDataFound) as error:
        record_meeting(collaboration_coordinator, general_forum, data)
    assert error.value.needs_confirmation
    assert "”Elias”" in error.value.message
    confirmed = meeting_input(
        minutes="Elias-skolans nya rutin presenterades.", confirmed_no_personal_data=True
    )
    meeting = record_meeting(collaboration_coordinator, general_forum, confirmed)
    assert meeting.minutes.startswith("Elias-skolans")


def test_guard_also_covers_agenda_and_decisions(collaboration_coordinator, general_forum):
    data = meeting_input(
        decisions=[
            services.DecisionInput(
                text=f"Följ upp {PERSON_ID}", owner=org("0180-farsta"), due_date=TODAY
            )
        ]
    )
    with pytest.raises(services.PersonalDataFound):
        record_meeting(collaboration_coordinator, general_forum, data)


def test_children_at_risk_forum_may_discuss_individual_cases(
    collaboration_coordinator, children_forum
):
    data = meeting_input(
        minutes=f"Avstämning inför allvarssamtal med Elias ({PERSON_ID}).",
        functions_present=["unit_manager"],
    )
    meeting = record_meeting(collaboration_coordinator, children_forum, data)
    assert PERSON_ID in meeting.minutes


# --- anonymous consultations -------------------------------------------------------------------


def consult(actor, **overrides):
    data = {
        "district": org("0180-farsta"),
        "police_unit": org("polisen-lpo-farsta"),
        "held_on": TODAY,
        "question_type": QuestionType.WHETHER_TO_REPORT,
        "question": "En flicka, 14 år, skolkar och har nya äldre kontakter.",
        "advice": "Gör en orosanmälan.",
    }
    data.update(overrides)
    return services.consultation_record(actor=actor, **data)


def test_consultation_without_personal_data_is_recorded(collaboration_coordinator):
    consultation = consult(collaboration_coordinator)
    assert consultation.pk
    assert AuditEntry.objects.filter(
        record_type="collaboration.AnonymousConsultation", record_id=str(consultation.pk)
    ).exists()


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("question", f"Gäller {PERSON_ID}, som syntes igår.", "personnummer"),
        ("advice", "Ring vårdnadshavaren till 120515-2380.", "personnummer"),
        ("question", "Gäller Elias som syntes igår.", "”Elias”"),
    ],
)
def test_consultation_refuses_identity_numbers_and_names(
    collaboration_coordinator, field, text, expected
):
    with pytest.raises(services.PersonalDataFound) as error:
        consult(collaboration_coordinator, **{field: text}, confirmed_no_personal_data=True)
    assert error.value.field == field
    assert expected in error.value.message
    assert AnonymousConsultation.objects.count() == 0


def test_police_coordinator_may_record_a_consultation_too(police_coordinator):
    assert consult(police_coordinator).pk


def test_outsider_may_not_record_a_consultation(sodermalm_coordinator, school_staff):
    for actor in (sodermalm_coordinator, school_staff):
        with pytest.raises(NotAllowed):
            consult(actor)


# --- compliance follows the meetings recorded ------------------------------------------------


def test_recording_a_meeting_changes_compliance(collaboration_coordinator, children_forum):
    def current():
        return selectors.forum_compliance(children_forum, today=TODAY, terms=1)[0]

    assert (current().held, current().state) == (0, "behind")
    for day in (date(2026, 8, 20), date(2026, 9, 24), date(2026, 11, 20)):
        record_meeting(
            collaboration_coordinator,
            children_forum,
            meeting_input(
                held_on=day, functions_present=["unit_manager", "police_youth_coordinator"]
            ),
        )
    assert (current().held, current().state) == (3, "ok")
    spring = selectors.forum_compliance(children_forum, today=TODAY, terms=2)[1]
    assert spring.held == 0 and spring.state == "failed"


def test_decisions_are_followed_up_at_a_later_meeting(collaboration_coordinator, children_forum):
    first = record_meeting(
        collaboration_coordinator,
        children_forum,
        meeting_input(
            held_on=date(2026, 9, 1),
            functions_present=[],
            decisions=[
                services.DecisionInput(
                    text="Ta fram rutin",
                    owner=org("polisen-lpo-farsta"),
                    due_date=date(2026, 10, 1),
                )
            ],
        ),
    )
    decision = MeetingDecision.objects.get(meeting=first)
    assert list(selectors.open_decisions(children_forum)) == [decision]
    second = record_meeting(
        collaboration_coordinator,
        children_forum,
        meeting_input(
            held_on=date(2026, 10, 5),
            functions_present=[],
            follow_ups={decision.pk: ("done", "Rutinen är klar.")},
        ),
    )
    decision.refresh_from_db()
    assert decision.status == "done"
    assert second.follow_ups.get().note == "Rutinen är klar."
    assert list(selectors.open_decisions(children_forum)) == []


def test_only_the_convening_districts_coordinator_records_meetings(
    police_coordinator, sodermalm_coordinator, children_forum
):
    with pytest.raises(NotAllowed):
        record_meeting(police_coordinator, children_forum, meeting_input())
    with pytest.raises(NotFound):
        record_meeting(sodermalm_coordinator, children_forum, meeting_input())


# --- action plans: each party its own activities -------------------------------------------


def test_each_party_sees_the_whole_plan_and_updates_only_its_own_activities(
    collaboration_coordinator, police_coordinator, sodermalm_coordinator, plan
):
    district_activity = Activity.objects.get(plan=plan, owner__code="0180-farsta")
    police_activity = Activity.objects.get(plan=plan, owner__code="polisen-lpo-farsta")
    assert set(selectors.activities_visible_to(police_coordinator)) == {
        district_activity,
        police_activity,
    }
    assert set(selectors.activities_visible_to(collaboration_coordinator)) == {
        district_activity,
        police_activity,
    }
    assert not selectors.activities_visible_to(sodermalm_coordinator).exists()
    services.activity_update(
        actor=police_coordinator, activity_id=police_activity.pk, status="ongoing", note="Startat."
    )
    assert ProgressNote.objects.get(activity=police_activity).text == "Startat."
    with pytest.raises(NotAllowed, match="ägs av Farsta"):  # seen, but Farsta's own
        services.activity_update(
            actor=police_coordinator, activity_id=district_activity.pk, status="done"
        )
    with pytest.raises(NotAllowed):  # visible to the district, but the police own it
        services.activity_update(
            actor=collaboration_coordinator, activity_id=police_activity.pk, status="done"
        )
    with pytest.raises(NotFound):
        services.activity_update(
            actor=sodermalm_coordinator, activity_id=police_activity.pk, status="done"
        )


def test_progress_notes_refuse_identity_numbers(police_coordinator, plan):
    activity = Activity.objects.get(plan=plan, owner__code="polisen-lpo-farsta")
    with pytest.raises(services.PersonalDataFound):
        services.activity_update(
            actor=police_coordinator, activity_id=activity.pk, status="ongoing", note=PERSON_ID
        )


# --- serious talks ------------------------------------------------------------------------


def test_serious_talk_on_the_districts_record_only(
    collaboration_coordinator, police_coordinator, farsta_receiver
):
    talk = services.serious_talk_record(
        actor=collaboration_coordinator,
        district=org("0180-farsta"),
        police_unit=org("polisen-lpo-farsta"),
        held_on=TODAY,
        person_id=PERSON_ID,
        social_worker="Socialsekreterare",
        police_officer="Ungdomssamordnare",
        plan_agreed=True,
    )
    assert talk.person_id == "201205152380"
    assert selectors.serious_talks_for(farsta_receiver) == [talk]
    assert AuditEntry.objects.filter(
        record_type="collaboration.SeriousTalk", action="view", record_id=str(talk.pk)
    ).exists()
    assert selectors.serious_talks_for(police_coordinator) == []
    with pytest.raises(InvalidInput):
        services.serious_talk_record(
            actor=collaboration_coordinator,
            district=org("0180-farsta"),
            police_unit=org("polisen-lpo-farsta"),
            held_on=TODAY,
            person_id="20120515-2381",
            social_worker="S",
            police_officer="P",
        )
    assert SeriousTalk.objects.count() == 1
