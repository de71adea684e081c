"""Pages of forums and their meetings (under /samverkan/forum/ and /samverkan/moten/)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import User
from samverkan.collaboration import access
from samverkan.collaboration.access import COORDINATORS, PARTICIPANTS
from samverkan.collaboration.common.forms import today
from samverkan.collaboration.common.views import (
    Confirmation,
    form_page_action,
    initial_district,
    organisation,
    owner_districts,
    record_or_404,
)
from samverkan.collaboration.forums import selectors, services
from samverkan.collaboration.forums.forms import ForumForm, ForumSettingsForm, MeetingForm
from samverkan.collaboration.models import Forum, Meeting, MeetingStatus
from samverkan.core.views_support import form_action, signed_in_user
from samverkan.registry.models import Organisation, OrganisationKind
from samverkan.registry.selectors import local_police_units


def _forum(user: User, forum_id: int) -> Forum:
    return record_or_404(access.forums_visible_to(user), forum_id)


def _forum_url(forum_id: int) -> str:
    return reverse("collaboration:forum_detail", args=[forum_id])


def _party_choices() -> QuerySet[Organisation]:
    """Who may be a party of a forum: local police, districts, committees and others."""
    return Organisation.objects.filter(
        Q(pk__in=local_police_units())
        | Q(
            kind__in=[
                OrganisationKind.DISTRICT,
                OrganisationKind.COMMITTEE,
                OrganisationKind.OTHER,
            ]
        )
    ).order_by("kind", "name")


def _forum_settings(data: dict[str, Any]) -> dict[str, Any]:
    """The cleaned ForumSettingsForm fields as the forum services take them."""
    return {
        "name": data["name"],
        "required_per_term": data["required_per_term"],
        "required_functions": data["required_functions"],
        "parties": list(Organisation.objects.filter(pk__in=data["parties"])),
        "purpose": data["purpose"],
    }


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def forum_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    districts = owner_districts(request)
    form = ForumForm(
        request.POST or None,
        districts=districts,
        parties=_party_choices(),
        initial=initial_district(districts),
    )
    return form_page_action(
        request,
        form,
        lambda data: services.forum_create(
            actor=user,
            district=districts.get(pk=data["district"]),
            kind=data["kind"],
            **_forum_settings(data),
        ),
        done=_("Forumet är skapat."),
        success_url=lambda forum: _forum_url(forum.pk),
        title=_("Nytt samverkansforum"),
        back=reverse("collaboration:index"),
    )


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def forum_edit(request: HttpRequest, forum_id: int) -> HttpResponse:
    user = signed_in_user(request)
    forum = _forum(user, forum_id)
    if not access.is_coordinator_for(user, forum.district_id):
        raise PermissionDenied(
            _("Bara samordnaren i det sammankallande stadsdelsområdet ändrar forumet.")
        )
    initial = {
        "name": forum.name,
        "required_per_term": forum.required_per_term,
        "required_functions": forum.required_functions,
        "parties": [
            str(pk)
            for pk in forum.parties.exclude(pk=forum.district_id).values_list("pk", flat=True)
        ],
        "purpose": forum.purpose,
    }
    form = ForumSettingsForm(request.POST or None, parties=_party_choices(), initial=initial)
    return form_page_action(
        request,
        form,
        lambda data: services.forum_update(actor=user, forum_id=forum.pk, **_forum_settings(data)),
        done=_("Forumet är ändrat."),
        title=_("Ändra forum: %(name)s") % {"name": forum.name},
        back=_forum_url(forum.pk),
    )


@role_required(*PARTICIPANTS)
@require_GET
def forum_list(request: HttpRequest) -> HttpResponse:
    return redirect("collaboration:index")


@role_required(*PARTICIPANTS)
@require_GET
def forum_detail(request: HttpRequest, forum_id: int) -> HttpResponse:
    user = signed_in_user(request)
    forum = _forum(user, forum_id)
    day = today()
    meetings = list(
        Meeting.objects.filter(forum=forum).prefetch_related("attendance").order_by("-held_on")
    )
    can_read_minutes = access.can_read_minutes(user, forum)
    return render(
        request,
        "collaboration/forum_detail.html",
        {
            "forum": forum,
            "compliance": selectors.forum_compliance(forum, today=day, terms=4),
            "meetings": meetings,
            "required_functions": selectors.function_labels(forum.required_functions),
            "can_read_minutes": can_read_minutes,
            "open_decisions": list(selectors.open_decisions(forum)) if can_read_minutes else [],
            "parties": list(forum.parties.order_by("name")),
            "can_record": access.is_coordinator_for(user, forum.district_id),
            "today": day,
        },
    )


def _meeting_input(form: MeetingForm) -> services.MeetingInput:
    data = form.cleaned_data
    decisions = []
    for index in range(1, form.NEW_DECISIONS + 1):
        text = (data.get(f"decision_{index}_text") or "").strip()
        if text:
            decisions.append(
                services.DecisionInput(
                    text=text,
                    owner=organisation(data[f"decision_{index}_owner"]),
                    due_date=data[f"decision_{index}_due"],
                )
            )
    follow_ups = {
        d.pk: (data[f"followup_{d.pk}_status"], data.get(f"followup_{d.pk}_note") or "")
        for d in form.open_decisions
    }
    return services.MeetingInput(
        held_on=data["held_on"],
        status=data["status"],
        agenda=data.get("agenda") or "",
        minutes=data.get("minutes") or "",
        functions_present=data.get("functions_present") or [],
        decisions=decisions,
        follow_ups=follow_ups,
        confirmed_no_personal_data=bool(data.get("confirm_no_personal_data")),
    )


def _meeting_initial(meeting: Meeting | None) -> dict[str, Any]:
    if meeting is None:
        return {}
    return {
        "held_on": meeting.held_on,
        "status": meeting.status,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "functions_present": [a.function for a in meeting.attendance.all()],
    }


def _meeting_form_page(request: HttpRequest, forum: Forum, meeting: Meeting | None) -> HttpResponse:
    """Record a new meeting of the forum, or change one (its own decisions are not followed up)."""
    user = signed_in_user(request)
    if not access.is_coordinator_for(user, forum.district_id):
        raise PermissionDenied
    open_decisions = [
        d for d in selectors.open_decisions(forum) if meeting is None or d.meeting_id != meeting.pk
    ]
    form = MeetingForm(
        request.POST or None,
        forum=forum,
        open_decisions=open_decisions,
        initial=_meeting_initial(meeting),
    )
    confirmation = Confirmation()

    def save(_data: dict[str, Any]) -> Meeting:
        data = _meeting_input(form)
        if meeting is None:
            return services.meeting_record(actor=user, forum_id=forum.pk, data=data)
        return services.meeting_update(actor=user, meeting_id=meeting.pk, data=data)

    return form_action(
        request,
        form,
        confirmation.around(save),
        done=_("Mötet är sparat."),
        success_url=_forum_url(forum.pk),
        rerender=lambda form: render(
            request,
            "collaboration/meeting_form.html",
            {
                "form": form,
                "forum": forum,
                "meeting": meeting,
                "needs_confirmation": confirmation,
                "required_functions": selectors.function_labels(forum.required_functions),
            },
        ),
    )


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = _forum(signed_in_user(request), forum_id)
    return _meeting_form_page(request, forum, None)


def _meeting(user: User, meeting_id: int) -> Meeting:
    meeting = record_or_404(
        access.meetings_visible_to(user).prefetch_related(
            "attendance", "decisions__owner", "follow_ups__decision"
        ),
        meeting_id,
    )
    if not access.can_read_minutes(user, meeting.forum):
        raise PermissionDenied(
            _("Protokollen i ett forum om barn i riskzon är bara för parternas deltagare.")
        )
    return meeting


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(signed_in_user(request), meeting_id)
    return _meeting_form_page(request, meeting.forum, meeting)


@role_required(*PARTICIPANTS)
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = _meeting(user, meeting_id)
    present = {a.function for a in meeting.attendance.all()}
    missing = [f for f in meeting.forum.required_functions if f not in present]
    return render(
        request,
        "collaboration/meeting_detail.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "present": selectors.function_labels(present),
            "missing": selectors.function_labels(missing)
            if meeting.status == MeetingStatus.HELD
            else [],
            "can_edit": access.is_coordinator_for(user, meeting.forum.district_id),
        },
    )
