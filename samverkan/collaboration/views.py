"""Web pages of local collaboration (SPEC §6) under /samverkan/.

Thin views: each reads through a selector scoped to the user's organisation, or
calls one service and turns its Swedish errors into form errors, a 403 or a 404.
POST-redirect-GET everywhere.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import RoleCode, User
from samverkan.agreements.models import Agreement
from samverkan.collaboration import rules, selectors, services
from samverkan.collaboration.forms import (
    ActionPlanForm,
    ActivityForm,
    ActivityUpdateForm,
    CoLocationChangeForm,
    CoLocationForm,
    ConsultationForm,
    ContributionForm,
    ForumForm,
    ForumSettingsForm,
    IndicatorForm,
    IndicatorValueForm,
    MeetingForm,
    PictureForm,
    SchoolReportForm,
    SeriousTalkForm,
    TrainingForm,
    today,
)
from samverkan.collaboration.models import (
    Activity,
    ActivityStatus,
    Forum,
    Meeting,
    MeetingStatus,
)
from samverkan.collaboration.services import (
    CollaborationError,
    DecisionInput,
    MeetingInput,
    PersonalDataFound,
)
from samverkan.core.views_support import raise_for_access as _raise_http
from samverkan.core.views_support import refuse_or_show as _refuse_or_show
from samverkan.core.views_support import show_on_form as _form_error
from samverkan.core.views_support import signed_in_user as _user
from samverkan.registry.models import Organisation, OrganisationKind

COORDINATOR = RoleCode.COLLABORATION_COORDINATOR
PARTICIPANTS = (
    COORDINATOR,
    RoleCode.SCHOOL_STAFF,
    RoleCode.RECEIVER,
    RoleCode.ANALYST,
)
SCHOOL_SUBMISSIONS_KEY = "collaboration_school_reports"
INTAKE_FIELDS = {
    "home_municipality": "registered_municipality",
    "home_district": "registered_district",
}


def _form_page(request: HttpRequest, form: Any, title: str, back: str) -> HttpResponse:
    """A create or change form on the shared page, with the way back."""
    return render(
        request, "collaboration/form_page.html", {"form": form, "title": title, "back": back}
    )


def _own_organisations(user: User) -> Any:
    return Organisation.objects.filter(pk__in=responsible_organisation_ids(user))


# --- overview ---------------------------------------------------------------------------


@role_required(*PARTICIPANTS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    day = today()
    forums = [
        (forum, selectors.forum_compliance(forum, today=day, terms=1)[0])
        for forum in selectors.forums_visible_to(user)
    ]
    plans = list(selectors.plans_visible_to(user))
    return render(
        request,
        "collaboration/index.html",
        {
            "forums": forums,
            "plans": plans,
            "is_coordinator": has_role(user, COORDINATOR),
            "can_create": _coordinated_districts(user).exists(),
            "is_school": has_role(user, RoleCode.SCHOOL_STAFF),
            "can_record_talks": has_role(user, COORDINATOR, RoleCode.RECEIVER),
            "colocations": list(selectors.colocations_visible_to(user)),
        },
    )


# --- co-location ----------------------------------------------------------------------------


def _colocation_parties(user: User) -> tuple[Any, Any]:
    colocations = list(selectors.colocations_visible_to(user))
    districts = {c.district for c in colocations}
    police = {c.police_unit for c in colocations}
    return sorted(districts, key=lambda o: o.name), sorted(police, key=lambda o: o.name)


@role_required(COORDINATOR)
@require_GET
def colocation(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    colocations = list(selectors.colocations_visible_to(user))
    start = today() - timedelta(days=today().weekday())
    return render(
        request,
        "collaboration/colocation.html",
        {
            "colocations": colocations,
            "calendar": selectors.colocation_calendar(colocations, start, days=28),
            "consultations": list(selectors.consultations_visible_to(user)[:50]),
            "trainings": list(selectors.trainings_visible_to(user)[:50]),
            "weekday_names": ["måndag", "tisdag", "onsdag", "torsdag", "fredag"],
            "can_create": _coordinated_districts(user).exists(),
            "editable": {
                c.pk for c in colocations if services.is_coordinator_for(user, c.district_id)
            },
        },
    )


def _police_units() -> Any:
    return Organisation.objects.filter(
        kind=OrganisationKind.POLICE_UNIT, code__startswith="polisen-lpo-"
    ).order_by("name")


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def colocation_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    districts = _coordinated_districts(user)
    _chosen_district(request, districts)
    police_units = _police_units()
    initial = {"district": str(districts.first().pk)} if districts.count() == 1 else {}
    form = CoLocationForm(
        request.POST or None, districts=districts, police_units=police_units, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.colocation_create(
                actor=user,
                district=districts.get(pk=data["district"]),
                police_unit=police_units.get(pk=data["police_unit"]),
                social_worker=data["social_worker"],
                weekdays=data["weekdays"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                note=data["note"],
            )
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Schemat för samlokaliseringen är sparat."))
            return redirect("collaboration:colocation")
    return _form_page(
        request,
        form,
        _("Ny samlokalisering: socialsekreterare hos polis"),
        reverse("collaboration:colocation"),
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def colocation_edit(request: HttpRequest, colocation_id: int) -> HttpResponse:
    user = _user(request)
    entry = selectors.colocations_visible_to(user).filter(pk=colocation_id).first()
    if entry is None or not services.is_coordinator_for(user, entry.district_id):
        raise Http404
    form = CoLocationChangeForm(
        request.POST or None,
        initial={"weekdays": [str(d) for d in entry.weekdays], "valid_to": entry.valid_to},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.colocation_change(
                actor=user,
                colocation_id=entry.pk,
                weekdays=data["weekdays"],
                effective_from=data["effective_from"],
                valid_to=data["valid_to"],
            )
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Schemat för samlokaliseringen är ändrat."))
            return redirect("collaboration:colocation")
    return render(
        request,
        "collaboration/form_page.html",
        {
            "form": form,
            "title": _("Ändra samlokalisering: %(worker)s hos %(police)s")
            % {"worker": entry.social_worker, "police": entry.police_unit.name},
            "back": reverse("collaboration:colocation"),
        },
    )


def _parties(form: Any) -> tuple[Organisation, Organisation]:
    district = Organisation.objects.get(pk=form.cleaned_data["district"])
    police = Organisation.objects.get(pk=form.cleaned_data["police_unit"])
    return district, police


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    districts, police = _colocation_parties(user)
    form = ConsultationForm(request.POST or None, districts=districts, police_units=police)
    needs_confirmation = False
    if request.method == "POST" and form.is_valid():
        district, police_unit = _parties(form)
        try:
            services.consultation_record(
                actor=user,
                district=district,
                police_unit=police_unit,
                held_on=form.cleaned_data["held_on"],
                question_type=form.cleaned_data["question_type"],
                question=form.cleaned_data["question"],
                advice=form.cleaned_data["advice"],
                report_followed=form.cleaned_data["report_followed"],
                report_filed_on=form.cleaned_data["report_filed_on"],
                confirmed_no_personal_data=form.cleaned_data["confirm_no_personal_data"],
            )
        except PersonalDataFound as error:
            needs_confirmation = error.needs_confirmation
            _form_error(form, error)
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Konsultationen är registrerad."))
            return redirect("collaboration:colocation")
    return render(
        request,
        "collaboration/form_page.html",
        {
            "form": form,
            "title": _("Registrera anonym konsultation"),
            "intro": _(
                "Polisen frågar om råd inför en orosanmälan. Inga personuppgifter: "
                "formuläret tar inte emot personnummer eller namn."
            ),
            "back": reverse("collaboration:colocation"),
            "needs_confirmation": needs_confirmation,
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    districts, police = _colocation_parties(user)
    form = TrainingForm(request.POST or None, districts=districts, police_units=police)
    if request.method == "POST" and form.is_valid():
        district, police_unit = _parties(form)
        try:
            services.training_record(
                actor=user,
                district=district,
                police_unit=police_unit,
                held_on=form.cleaned_data["held_on"],
                topic=form.cleaned_data["topic"],
                participants=form.cleaned_data["participants"],
            )
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Utbildningen är registrerad."))
            return redirect("collaboration:colocation")
    return _form_page(
        request,
        form,
        _("Registrera utbildning för polisaspiranter"),
        reverse("collaboration:colocation"),
    )


# --- forums and meetings --------------------------------------------------------------------


def _forum(user: User, forum_id: int) -> Forum:
    forum = selectors.forums_visible_to(user).filter(pk=forum_id).first()
    if forum is None:
        raise Http404
    return forum


def _coordinated_districts(user: User) -> Any:
    """The districts (or municipalities) whose records this coordinator may create."""
    ids = [pk for pk in responsible_organisation_ids(user) if services.is_coordinator_for(user, pk)]
    return Organisation.objects.filter(
        pk__in=ids, kind__in=[OrganisationKind.DISTRICT, OrganisationKind.MUNICIPALITY]
    ).order_by("name")


def _chosen_district(request: HttpRequest, districts: Any) -> None:
    """403 without a district to own the record, or for a district the user does not coordinate."""
    if not districts.exists():
        raise PermissionDenied(_("Du är inte samverkanssamordnare för något stadsdelsområde."))
    chosen = request.POST.get("district") if request.method == "POST" else None
    if chosen and not districts.filter(pk=chosen if chosen.isdigit() else 0).exists():
        raise PermissionDenied(_("Du är inte samverkanssamordnare för det stadsdelsområdet."))


def _party_choices() -> Any:
    return Organisation.objects.filter(
        Q(kind=OrganisationKind.POLICE_UNIT, code__startswith="polisen-lpo-")
        | Q(kind__in=[OrganisationKind.DISTRICT, OrganisationKind.COMMITTEE])
        | Q(kind=OrganisationKind.OTHER)
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


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def forum_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    districts = _coordinated_districts(user)
    _chosen_district(request, districts)
    initial = {"district": str(districts.first().pk)} if districts.count() == 1 else {}
    form = ForumForm(
        request.POST or None, districts=districts, parties=_party_choices(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forum = services.forum_create(
                actor=user,
                district=districts.get(pk=data["district"]),
                kind=data["kind"],
                **_forum_settings(data),
            )
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Forumet är skapat."))
            return redirect("collaboration:forum_detail", forum_id=forum.pk)
    return _form_page(request, form, _("Nytt samverkansforum"), reverse("collaboration:index"))


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def forum_edit(request: HttpRequest, forum_id: int) -> HttpResponse:
    user = _user(request)
    forum = _forum(user, forum_id)
    if not services.is_coordinator_for(user, forum.district_id):
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.forum_update(actor=user, forum_id=forum.pk, **_forum_settings(data))
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Forumet är ändrat."))
            return redirect("collaboration:forum_detail", forum_id=forum.pk)
    return _form_page(
        request,
        form,
        _("Ändra forum: %(name)s") % {"name": forum.name},
        reverse("collaboration:forum_detail", args=[forum.pk]),
    )


@role_required(*PARTICIPANTS)
@require_GET
def forum_list(request: HttpRequest) -> HttpResponse:
    return redirect("collaboration:index")


@role_required(*PARTICIPANTS)
@require_GET
def forum_detail(request: HttpRequest, forum_id: int) -> HttpResponse:
    user = _user(request)
    forum = _forum(user, forum_id)
    compliance = selectors.forum_compliance(forum, today=today(), terms=4)
    meetings = list(
        Meeting.objects.filter(forum=forum).prefetch_related("attendance").order_by("-held_on")
    )
    return render(
        request,
        "collaboration/forum_detail.html",
        {
            "forum": forum,
            "compliance": compliance,
            "meetings": meetings,
            "required_functions": [selectors.function_label(f) for f in forum.required_functions],
            "can_read_minutes": services.may_read_minutes(user, forum),
            "open_decisions": list(selectors.open_decisions(forum))
            if services.may_read_minutes(user, forum)
            else [],
            "parties": list(forum.parties.order_by("name")),
            "can_record": services.is_coordinator_for(user, forum.district_id),
            "today": today(),
        },
    )


def _meeting_input(form: MeetingForm, confirmed: bool) -> MeetingInput:
    data = form.cleaned_data
    decisions = []
    for index in range(1, form.NEW_DECISIONS + 1):
        text = (data.get(f"decision_{index}_text") or "").strip()
        if text:
            decisions.append(
                DecisionInput(
                    text=text,
                    owner=Organisation.objects.get(pk=data[f"decision_{index}_owner"]),
                    due_date=data[f"decision_{index}_due"],
                )
            )
    follow_ups = {
        d.pk: (data[f"followup_{d.pk}_status"], data.get(f"followup_{d.pk}_note") or "")
        for d in form.open_decisions
    }
    return MeetingInput(
        held_on=data["held_on"],
        status=data["status"],
        agenda=data.get("agenda") or "",
        minutes=data.get("minutes") or "",
        functions_present=data.get("functions_present") or [],
        decisions=decisions,
        follow_ups=follow_ups,
        confirmed_no_personal_data=confirmed,
    )


def _meeting_form_page(request: HttpRequest, forum: Forum, meeting: Meeting | None) -> HttpResponse:
    user = _user(request)
    if not services.is_coordinator_for(user, forum.district_id):
        raise PermissionDenied
    open_decisions = list(selectors.open_decisions(forum))
    if meeting is not None:
        open_decisions = [d for d in open_decisions if d.meeting_id != meeting.pk]
    initial: dict[str, Any] = {}
    if meeting is not None:
        initial = {
            "held_on": meeting.held_on,
            "status": meeting.status,
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "functions_present": [a.function for a in meeting.attendance.all()],
        }
    form = MeetingForm(
        request.POST or None, forum=forum, open_decisions=open_decisions, initial=initial
    )
    needs_confirmation = False
    if request.method == "POST" and form.is_valid():
        confirmed = bool(form.cleaned_data.get("confirm_no_personal_data"))
        data = _meeting_input(form, confirmed)
        try:
            if meeting is None:
                saved = services.meeting_record(actor=user, forum_id=forum.pk, data=data)
            else:
                saved = services.meeting_update(actor=user, meeting_id=meeting.pk, data=data)
        except PersonalDataFound as error:
            needs_confirmation = error.needs_confirmation
            _form_error(form, error)
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Mötet är sparat."))
            return redirect("collaboration:forum_detail", forum_id=saved.forum_id)
    return render(
        request,
        "collaboration/meeting_form.html",
        {
            "form": form,
            "forum": forum,
            "meeting": meeting,
            "needs_confirmation": needs_confirmation,
            "required_functions": [selectors.function_label(f) for f in forum.required_functions],
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = _forum(_user(request), forum_id)
    return _meeting_form_page(request, forum, None)


def _meeting(user: User, meeting_id: int) -> Meeting:
    meeting = (
        selectors.meetings_visible_to(user)
        .prefetch_related("attendance", "decisions__owner", "follow_ups__decision")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404
    if not services.may_read_minutes(user, meeting.forum):
        raise PermissionDenied(
            _("Protokollen i ett forum om barn i riskzon är bara för parternas deltagare.")
        )
    return meeting


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(_user(request), meeting_id)
    return _meeting_form_page(request, meeting.forum, meeting)


@role_required(*PARTICIPANTS)
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _user(request)
    meeting = _meeting(user, meeting_id)
    present = {a.function for a in meeting.attendance.all()}
    required = list(meeting.forum.required_functions)
    return render(
        request,
        "collaboration/meeting_detail.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "present": [selectors.function_label(f) for f in present],
            "missing": [selectors.function_label(f) for f in required if f not in present]
            if meeting.status == MeetingStatus.HELD
            else [],
            "can_edit": services.is_coordinator_for(user, meeting.forum.district_id),
        },
    )


# --- serious talks --------------------------------------------------------------------------


@role_required(COORDINATOR, RoleCode.RECEIVER)
@require_http_methods(["GET", "POST"])
def serious_talks(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    districts = _own_organisations(user).filter(
        kind__in=[OrganisationKind.DISTRICT, OrganisationKind.MUNICIPALITY]
    )
    police = Organisation.objects.filter(
        kind=OrganisationKind.POLICE_UNIT, code__startswith="polisen-lpo-"
    ).order_by("name")
    form = SeriousTalkForm(request.POST or None, districts=districts, police_units=police)
    if request.method == "POST" and form.is_valid():
        district, police_unit = _parties(form)
        try:
            services.serious_talk_record(
                actor=user,
                district=district,
                police_unit=police_unit,
                held_on=form.cleaned_data["held_on"],
                person_id=form.cleaned_data["person_id"],
                social_worker=form.cleaned_data["social_worker"],
                police_officer=form.cleaned_data["police_officer"],
                guardians_present=form.cleaned_data["guardians_present"],
                plan_agreed=form.cleaned_data["plan_agreed"],
                follow_up=form.cleaned_data["follow_up"],
            )
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Allvarssamtalet är registrerat."))
            return redirect("collaboration:serious_talks")
    talks = selectors.serious_talks_for(user, reason="allvarssamtal, lista")
    return render(request, "collaboration/serious_talks.html", {"form": form, "talks": talks})


# --- situational picture and action plans -------------------------------------------------------


@role_required(*PARTICIPANTS, RoleCode.POLICE_OPERATOR)
@require_http_methods(["GET", "POST"])
def picture_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    districts = _own_organisations(user).filter(kind=OrganisationKind.DISTRICT)
    can_create = has_role(user, COORDINATOR) and districts.exists()
    form = PictureForm(request.POST or None)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                picture = services.situational_picture_create(
                    actor=user, district=districts.first(), **form.cleaned_data
                )
            except CollaborationError as error:
                _refuse_or_show(form, error)
            else:
                return redirect("collaboration:picture_detail", picture_id=picture.pk)
    return render(
        request,
        "collaboration/picture_list.html",
        {
            "pictures": list(selectors.pictures_visible_to(user)),
            "plans": list(selectors.plans_visible_to(user)),
            "form": form,
            "can_create": can_create,
            "can_create_plan": _coordinated_districts(user).exists(),
        },
    )


@role_required(*PARTICIPANTS, RoleCode.POLICE_OPERATOR)
@require_http_methods(["GET", "POST"])
def picture_detail(request: HttpRequest, picture_id: int) -> HttpResponse:
    user = _user(request)
    picture = selectors.pictures_visible_to(user).filter(pk=picture_id).first()
    if picture is None:
        raise Http404
    form = ContributionForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "refresh":
            try:
                services.situational_picture_refresh(actor=user, picture_id=picture.pk)
            except CollaborationError as error:
                _raise_http(error)
            messages.success(request, _("Siffrorna är uppdaterade."))
            return redirect("collaboration:picture_detail", picture_id=picture.pk)
        if form.is_valid():
            try:
                services.contribution_add(
                    actor=user, picture_id=picture.pk, text=form.cleaned_data["text"]
                )
            except CollaborationError as error:
                _refuse_or_show(form, error)
            else:
                messages.success(request, _("Texten är sparad."))
                return redirect("collaboration:picture_detail", picture_id=picture.pk)
    return render(
        request,
        "collaboration/picture_detail.html",
        {
            "picture": picture,
            "tables": selectors.picture_tables(picture, user),
            "contributions": list(picture.contributions.select_related("organisation")),
            "plans": list(picture.action_plans.all()),
            "form": form,
            "can_refresh": services.is_coordinator_for(user, picture.district_id),
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    districts = _coordinated_districts(user)
    _chosen_district(request, districts)
    pictures = (
        selectors.pictures_visible_to(user)
        .filter(district__in=districts)
        .select_related("district")
        .order_by("-period_start")
    )
    initial = {"district": str(districts.first().pk)} if districts.count() == 1 else {}
    form = ActionPlanForm(
        request.POST or None, districts=districts, pictures=pictures, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        district = districts.get(pk=data["district"])
        picture = None
        if data["situational_picture"]:
            picture = pictures.filter(pk=data["situational_picture"], district=district).first()
            if picture is None:
                form.add_error(
                    "situational_picture", _("Välj en lägesbild för samma stadsdelsområde.")
                )
        if not form.errors:
            try:
                plan = services.action_plan_create(
                    actor=user,
                    district=district,
                    title=data["title"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    situational_picture=picture,
                )
            except CollaborationError as error:
                _refuse_or_show(form, error)
            else:
                messages.success(request, _("Åtgärdsplanen är skapad. Lägg nu till aktiviteterna."))
                return redirect("collaboration:plan_detail", plan_id=plan.pk)
    return _form_page(request, form, _("Ny åtgärdsplan"), reverse("collaboration:picture_list"))


@role_required(*PARTICIPANTS, RoleCode.POLICE_OPERATOR)
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    plan = selectors.plans_visible_to(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    can_add = services.is_coordinator_for(user, plan.district_id)
    owners = Organisation.objects.exclude(kind=OrganisationKind.SCHOOL).filter(
        kind__in=[
            OrganisationKind.DISTRICT,
            OrganisationKind.POLICE_UNIT,
            OrganisationKind.COMMITTEE,
            OrganisationKind.OTHER,
        ]
    )
    form = ActivityForm(request.POST or None, owners=owners.order_by("name"))
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.activity_add(
                    actor=user,
                    plan_id=plan.pk,
                    title=form.cleaned_data["title"],
                    owner=Organisation.objects.get(pk=form.cleaned_data["owner"]),
                    target_group=form.cleaned_data["target_group"],
                    due_date=form.cleaned_data["due_date"],
                    status=form.cleaned_data["status"],
                )
            except CollaborationError as error:
                _refuse_or_show(form, error)
            else:
                messages.success(request, _("Aktiviteten är tillagd."))
                return redirect("collaboration:plan_detail", plan_id=plan.pk)
    activities = list(
        selectors.activities_visible_to(user)
        .filter(plan=plan)
        .select_related("owner")
        .prefetch_related("notes")
        .order_by("due_date", "id")
    )
    rows = [(a, services.can_update_activity(user, a)) for a in activities]
    return render(
        request,
        "collaboration/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "form": form,
            "can_add": can_add,
            "today": today(),
            "done": ActivityStatus.DONE,
        },
    )


@role_required(*PARTICIPANTS, RoleCode.POLICE_OPERATOR)
@require_http_methods(["GET", "POST"])
def activity_update(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = _user(request)
    activity: Activity | None = (
        selectors.activities_visible_to(user)
        .select_related("plan", "owner")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise Http404
    if not services.can_update_activity(user, activity):
        raise PermissionDenied
    form = ActivityUpdateForm(
        request.POST or None, initial={"status": activity.status, "due_date": activity.due_date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                actor=user,
                activity_id=activity.pk,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                due_date=form.cleaned_data["due_date"],
            )
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Aktiviteten är uppdaterad."))
            return redirect("collaboration:plan_detail", plan_id=activity.plan_id)
    return render(
        request,
        "collaboration/activity_update.html",
        {"form": form, "activity": activity, "notes": list(activity.notes.all())},
    )


# --- schools ------------------------------------------------------------------------------


@role_required(*PARTICIPANTS)
@require_GET
def schools(request: HttpRequest) -> HttpResponse:
    districts = list(selectors.districts_with_schools())
    chosen = request.GET.get("omrade", "")
    district = next((d for d in districts if d.code == chosen), None)
    rows = selectors.school_register(district)
    # Link only the agreements the user may open: the others would answer 404.
    readable = set(
        Agreement.objects.visible_to(request.user)
        .filter(pk__in={row.agreement.pk for row in rows if row.agreement})
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "collaboration/schools.html",
        {
            "rows": rows,
            "readable_agreements": readable,
            "districts": districts,
            "chosen": district,
            "municipal": sum(1 for r in rows if r.school.operator == "municipal"),
            "independent": sum(1 for r in rows if r.school.operator == "independent"),
            "with_agreement": sum(1 for r in rows if r.agreement is not None),
        },
    )


@role_required(RoleCode.SCHOOL_STAFF)
@require_http_methods(["GET", "POST"])
def school_report(request: HttpRequest) -> HttpResponse:
    """A school's concern report, routed to the pupil's registered district."""
    from samverkan.intake import services as intake

    user = _user(request)
    school = getattr(user.organisation, "school", None) if user.organisation else None
    if school is None:
        raise PermissionDenied(_("Du behöver höra till en skolenhet för att anmäla här."))
    submitted: dict[str, str] = request.session.get(SCHOOL_SUBMISSIONS_KEY, {})
    form = SchoolReportForm(
        request.POST or None,
        initial={"submission": uuid.uuid4().hex, "reporter_name": user.get_full_name()},
    )
    if request.method == "POST":
        token = request.POST.get("submission", "")
        if token and token in submitted:  # the same form sent twice: no second report
            return redirect("collaboration:school_report_receipt", public_id=submitted[token])
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.school_report_file(
                    actor=user,
                    data=services.SchoolReportInput(
                        person_id=data["person_id"] or None,
                        birth_date=data["birth_date"],
                        registered_municipality=data["registered_municipality"],
                        registered_district=data["registered_district"] or None,
                        narrative=data["narrative"],
                        reporter_name=data["reporter_name"],
                        reporter_title=data["reporter_title"],
                        reporter_phone=data["reporter_phone"],
                        wants_feedback=data["wants_feedback"],
                    ),
                )
            except intake.NotAllowed as error:
                raise PermissionDenied(error.message) from error
            except services.CollaborationError as error:  # intake's errors too: one family
                field = str(getattr(error, "field", ""))
                field = INTAKE_FIELDS.get(field, field)
                form.add_error(field if field in form.fields else None, error.message)
            else:
                if token:
                    submitted[token] = str(report.public_id)
                    request.session[SCHOOL_SUBMISSIONS_KEY] = dict(list(submitted.items())[-20:])
                return redirect(
                    "collaboration:school_report_receipt", public_id=str(report.public_id)
                )
    return render(
        request,
        "collaboration/school_report.html",
        {
            "form": form,
            "school": school,
            "reports": list(selectors.school_reports_by(user)[:20]),
        },
    )


@role_required(RoleCode.SCHOOL_STAFF)
@require_GET
def school_report_receipt(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    try:
        parsed = uuid.UUID(public_id)
    except ValueError as error:
        raise Http404 from error
    report = selectors.school_reports_by(user).filter(public_id=parsed).first()
    if report is None:
        raise Http404
    return render(request, "collaboration/school_report_receipt.html", {"report": report})


# --- indicators ------------------------------------------------------------------------------


@role_required(*PARTICIPANTS)
@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    series = [
        selectors.indicator_series(indicator, today=today())
        for indicator in selectors.indicators_visible_to(user)
    ]
    return render(
        request,
        "collaboration/indicators.html",
        {
            "series": series,
            "terms": series[0].points if series else [],
            "can_create": _coordinated_districts(user).exists(),
            "coordinator_of": {
                s.indicator.pk
                for s in series
                if services.is_coordinator_for(user, s.indicator.district_id)
            },
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def indicator_new(request: HttpRequest) -> HttpResponse:
    from samverkan.agreements.models import Agreement

    user = _user(request)
    districts = _coordinated_districts(user)
    _chosen_district(request, districts)
    forums = Forum.objects.filter(district__in=districts).order_by("name")
    agreements = (
        Agreement.objects.filter(parties__organisation__in=districts).distinct().order_by("title")
    )
    initial = {"district": str(districts.first().pk)} if districts.count() == 1 else {}
    form = IndicatorForm(
        request.POST or None,
        districts=districts,
        forums=forums,
        agreements=agreements,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.indicator_create(
                actor=user,
                district=districts.get(pk=data["district"]),
                name=data["name"],
                kind=data["kind"],
                forum=forums.filter(pk=data["forum"]).first() if data["forum"] else None,
                agreement=(
                    agreements.filter(pk=data["agreement"]).first() if data["agreement"] else None
                ),
                unit=data["unit"],
                higher_is_better=data["higher_is_better"],
                description=data["description"],
            )
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Indikatorn är skapad."))
            return redirect("collaboration:indicators")
    return _form_page(request, form, _("Ny resultatindikator"), reverse("collaboration:indicators"))


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def indicator_value(request: HttpRequest, indicator_id: int) -> HttpResponse:
    user = _user(request)
    indicator = selectors.indicators_visible_to(user).filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    if not services.is_coordinator_for(user, indicator.district_id):
        # the service refuses anyone else: do not offer them the form
        raise PermissionDenied(_("Bara samordnaren i stadsdelsområdet för in värden."))
    form = IndicatorValueForm(
        request.POST or None, initial={"term": rules.term_of(today()).previous().key}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_value_enter(
                actor=user, indicator_id=indicator.pk, **form.cleaned_data
            )
        except CollaborationError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Värdet är sparat."))
            return redirect("collaboration:indicators")
    return _form_page(
        request,
        form,
        _("Ange värde: %(name)s") % {"name": indicator.name},
        reverse("collaboration:indicators"),
    )
