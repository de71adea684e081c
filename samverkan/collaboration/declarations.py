"""What collaboration declares for mergers and retention (issue 16, see core/crossing.py).

Models are looked up by label when used, so the declarations hold whatever
sub-package a feature's models live in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import OuterRef, Q, QuerySet

from samverkan.core import crossing
from samverkan.registry.change_rules import COLLABORATION
from samverkan.retention import rules

SERIOUS_TALK = "collaboration.SeriousTalk"
CONSULTATION = "collaboration.AnonymousConsultation"
MEETING = "collaboration.Meeting"
_CLOSED_ACTIVITY = {"done", "cancelled"}  # ActivityStatus.DONE, CANCELLED
_OPEN_DECISION = "open"  # DecisionStatus.OPEN


def _model(name: str) -> Any:
    return apps.get_model("collaboration", name)


def _until(record: Any, day: date) -> bool:
    return record.valid_to is None or record.valid_to >= day


def _always(_record: Any, _day: date) -> bool:
    return True


crossing.register_organisation_records(
    crossing.OrganisationRecords(
        model="collaboration.Forum",
        fields=("district", "parties"),
        category=COLLABORATION,
        label=lambda forum: f"Samverkansforum {forum.name}",
        is_open=_always,
        detail={"district": "sammankallande", "parties": "part"},
    ),
    crossing.OrganisationRecords(
        model="collaboration.ActionPlan",
        fields=("district",),
        category=COLLABORATION,
        label=lambda plan: f"Åtgärdsplan {plan.title}",
        is_open=lambda plan, day: plan.period_end >= day,
    ),
    crossing.OrganisationRecords(
        model="collaboration.Activity",
        fields=("owner",),
        category=COLLABORATION,
        label=lambda activity: f"Aktivitet {activity.title} ({activity.plan.title})",
        is_open=lambda activity, _day: activity.status not in _CLOSED_ACTIVITY,
        detail=lambda activity, _name: activity.get_status_display(),
        prepare=lambda activities: activities.select_related("plan"),
    ),
    crossing.OrganisationRecords(
        model="collaboration.CoLocation",
        fields=("district", "police_unit"),
        category=COLLABORATION,
        label=lambda place: f"Samlokalisering hos {place.police_unit.name} (nr {place.pk})",
        is_open=_until,
        detail={"district": "stadsdelsområde", "police_unit": "polisen"},
        prepare=lambda places: places.select_related("police_unit"),
    ),
    crossing.OrganisationRecords(
        model="collaboration.MeetingDecision",
        fields=("owner",),
        category=COLLABORATION,
        label=lambda decision: f"Beslut i {decision.meeting.forum.name} ({decision.due_date})",
        is_open=lambda decision, _day: decision.status == _OPEN_DECISION,
        detail={"owner": "ansvarig"},
        prepare=lambda decisions: decisions.select_related("meeting__forum"),
    ),
    crossing.OrganisationRecords(
        # A talk's record is kept (and answered for) by the district now responsible.
        model=SERIOUS_TALK,
        fields=("district", "police_unit"),
        category=COLLABORATION,
        label=lambda talk: f"Allvarssamtal {talk.held_on}",
        is_open=_always,
        detail={"district": "stadsdelsområde", "police_unit": "polisen"},
    ),
    crossing.OrganisationRecords(
        model="collaboration.SituationalPicture",
        fields=("district",),
        category=COLLABORATION,
        label=lambda picture: f"Lägesbild {picture.title}",
        is_open=lambda picture, day: picture.period_end >= day,
    ),
    crossing.OrganisationRecords(
        model="collaboration.Indicator",
        fields=("district",),
        category=COLLABORATION,
        label=lambda indicator: f"Indikator {indicator.name}",
        is_open=_always,
    ),
)

crossing.register_stays(
    crossing.StaysWithOrganisation(
        CONSULTATION,
        ("district", "police_unit"),
        "A consultation held on a day, without personal data: a record of what happened.",
    ),
    crossing.StaysWithOrganisation(
        "collaboration.Training",
        ("district", "police_unit"),
        "A training held on a day: a record of what happened.",
    ),
    crossing.StaysWithOrganisation(
        "collaboration.Attendance", ("organisation",), "Who attended a held meeting: history."
    ),
    crossing.StaysWithOrganisation(
        "collaboration.PictureContribution",
        ("organisation",),
        "Which organisation wrote a contribution: authorship.",
    ),
)

# --- retention ------------------------------------------------------------------------


def _talk_candidates(today: date) -> QuerySet[Any]:
    return (
        _model("SeriousTalk")
        .objects.filter(held_on__lt=rules.earliest_last_entry_due(today))
        .select_related("district")
    )


def _talk_evaluate(talk: Any) -> tuple[date, date, str]:
    end, rule = rules.serious_talk_retention_end(held_on=talk.held_on)
    return talk.held_on, end, rule


def _consultation_candidates(today: date) -> QuerySet[Any]:
    earliest = rules.earliest_last_entry_due(today)
    return (
        _model("AnonymousConsultation")
        .objects.filter(held_on__lt=earliest)
        .filter(Q(report_filed_on__isnull=True) | Q(report_filed_on__lt=earliest))
        .select_related("district")
    )


def _consultation_evaluate(consultation: Any) -> tuple[date, date, str]:
    last = crossing.latest(
        [consultation.held_on, consultation.report_filed_on, consultation.recorded_at]
    )
    end, rule = rules.anonymous_consultation_retention_end(last_entry=last)
    return last, end, rule


def _meeting_candidates(today: date) -> QuerySet[Any]:
    """Meetings held long enough ago whose decisions are all settled."""
    meeting = OuterRef("pk")
    return (
        _model("Meeting")
        .objects.filter(held_on__lt=rules.earliest_last_entry_due(today))
        .exclude(decisions__status=_OPEN_DECISION)
        .select_related("forum__district")
        .annotate(
            last_followup=crossing.newest(
                _model("DecisionFollowUp").objects.filter(decision__meeting=meeting),
                "meeting__held_on",
            )
        )
    )


def _meeting_evaluate(meeting: Any) -> tuple[date, date, str]:
    last = crossing.latest([meeting.held_on, meeting.updated_at, meeting.last_followup])
    end, rule = rules.meeting_minutes_retention_end(last_entry=last)
    return last, end, rule


crossing.register_retention(
    crossing.Retention(
        label=SERIOUS_TALK,
        counts_from="the day of the talk",
        candidates=_talk_candidates,
        evaluate=_talk_evaluate,
        controller=lambda talk: talk.district.code,
        order=30,
    ),
    crossing.Retention(
        label=CONSULTATION,
        counts_from="the last of: held, report filed, recorded",
        candidates=_consultation_candidates,
        evaluate=_consultation_evaluate,
        controller=lambda consultation: consultation.district.code,
        order=40,
    ),
    crossing.Retention(
        label=MEETING,
        counts_from="the last of: held, edited, its decisions followed up",
        candidates=_meeting_candidates,
        evaluate=_meeting_evaluate,
        controller=lambda meeting: meeting.forum.district.code,
        order=50,
    ),
)

_AREAS = "about groups and areas, not individuals (ADR 0005)"
crossing.register_personal_data(
    crossing.PersonalData(
        model=SERIOUS_TALK,
        retention=SERIOUS_TALK,
        identity=("person_id",),
        names=("social_worker", "police_officer"),
        free_text=("follow_up",),
    ),
    crossing.PersonalData(
        model=CONSULTATION, retention=CONSULTATION, free_text=("question", "advice")
    ),
    crossing.PersonalData(model=MEETING, retention=MEETING, free_text=("agenda", "minutes")),
    crossing.PersonalData(
        model="collaboration.MeetingDecision",
        retention=MEETING,
        of=("meeting",),
        free_text=("text",),
    ),
    crossing.PersonalData(
        model="collaboration.DecisionFollowUp",
        retention=MEETING,
        # A follow-up is written on the meeting or on one of its decisions.
        of=("meeting", "decision__meeting"),
        free_text=("note",),
    ),
    crossing.PersonalData(
        model="collaboration.CoLocation",
        names=("social_worker",),
        kept="Staff placed at the police: current while the co-location runs.",
    ),
    crossing.PersonalData(
        model="collaboration.Forum", not_personal={"name": "a forum", "purpose": _AREAS}
    ),
    crossing.PersonalData(model="collaboration.PictureContribution", not_personal={"text": _AREAS}),
    crossing.PersonalData(model="collaboration.ProgressNote", not_personal={"text": _AREAS}),
    crossing.PersonalData(
        model="collaboration.Indicator",
        not_personal={"name": "a measure", "description": _AREAS},
    ),
)
