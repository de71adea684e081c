"""Web pages of homecoming plans under /hemtagning/ (issue 11).

Thin views: every page that shows a plan reads it through `selectors.plan_view`
(scoped, redacted by the recorded basis, audited) and writes through one service.
404 for a plan the user's party may not see; 403 for a write the party may not do.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import User
from samverkan.core.calendar import local_date
from samverkan.core.views_support import refuse_or_show as _refuse_or_show
from samverkan.core.views_support import signed_in_user as _user
from samverkan.homecoming import selectors, services
from samverkan.homecoming.forms import (
    ActionForm,
    ActionUpdateForm,
    AssessmentForm,
    BasisForm,
    ContactForm,
    FollowUpForm,
    PlanForm,
    ReturnForm,
)
from samverkan.homecoming.models import HomecomingPlan
from samverkan.homecoming.selectors import PlanView
from samverkan.homecoming.services import (
    HOMECOMING_ROLES,
    SOCIAL_SERVICES_ROLES,
    HomecomingError,
    NotAllowed,
    NotFound,
)
from samverkan.registry.models import Organisation, OrganisationKind


def _view(user: User, plan_id: int, reason: str, *, audited: bool = True) -> PlanView:
    view = selectors.plan_view(user, plan_id, reason=reason, audited=audited)
    if view is None:
        raise Http404
    return view


def _editable(user: User, plan_id: int, reason: str) -> PlanView:
    # audited only once allowed: a refused request must not log a read it did not get
    view = _view(user, plan_id, reason, audited=False)
    if not view.can_edit:
        raise PermissionDenied(
            _("Bara socialtjänsten i det ansvariga stadsdelsområdet ändrar planen.")
        )
    selectors.plan_view_audit(user, view, reason)
    return view


def _districts(user: User) -> Any:
    ids = [
        pk for pk in responsible_organisation_ids(user) if services.is_social_services_for(user, pk)
    ]
    return Organisation.objects.filter(
        pk__in=ids, kind__in=[OrganisationKind.DISTRICT, OrganisationKind.MUNICIPALITY]
    ).order_by("name")


def _police_units() -> Any:
    return Organisation.objects.filter(
        kind=OrganisationKind.POLICE_UNIT, code__startswith="polisen-lpo-"
    ).order_by("name")


def _schools() -> Any:
    return Organisation.objects.filter(kind=OrganisationKind.SCHOOL).order_by("name")


def _plan_parties(plan_id: int) -> Any:
    plan = HomecomingPlan.objects.get(pk=plan_id)
    ids = [plan.district_id, plan.police_unit_id, plan.school_id]
    return Organisation.objects.filter(pk__in=[i for i in ids if i]).order_by("kind", "name")


def _form_page(
    request: HttpRequest, form: Any, title: str, view: PlanView | None, **extra: Any
) -> HttpResponse:
    return render(
        request, "homecoming/form.html", {"form": form, "title": title, "plan": view, **extra}
    )


@role_required(*HOMECOMING_ROLES)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "homecoming/index.html",
        {
            "plans": selectors.plan_list(user),
            "can_create": _districts(user).exists(),
        },
    )


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    districts = _districts(user)
    if not districts.exists():
        raise PermissionDenied(_("Du arbetar inte i socialtjänsten i något stadsdelsområde."))
    initial: dict[str, Any] = {"sharing_basis": "none"}
    if districts.count() == 1:
        initial["district"] = str(districts.first().pk)
    form = PlanForm(
        request.POST or None,
        districts=districts,
        police_units=_police_units(),
        schools=_schools(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        district = districts.filter(pk=data["district"]).first()
        if district is None:
            raise PermissionDenied
        try:
            plan = services.plan_create(
                actor=user,
                district=district,
                police_unit=_police_units().get(pk=data["police_unit"]),
                school=_schools().filter(pk=data["school"]).first() if data["school"] else None,
                person_id=data["person_id"],
                name=data["name"],
                sis_home=data["sis_home"],
                expected_release=data["expected_release"],
                risk_level=data["risk_level"],
                concrete_risk=data["concrete_risk"],
                risk_assessment=data["risk_assessment"],
                sharing_basis=data["sharing_basis"],
                basis_note=data["basis_note"],
            )
        except HomecomingError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Hemtagningsplanen är upprättad."))
            return redirect("homecoming:detail", plan_id=plan.pk)
    return _form_page(request, form, _("Ny hemtagningsplan"), None)


@role_required(*HOMECOMING_ROLES)
@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _view(user, plan_id, "hemtagningsplan")
    return render(
        request,
        "homecoming/detail.html",
        {"plan": view, "today": local_date(timezone.now())},
    )


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _editable(user, plan_id, "hemtagningsplan, ändra")
    initial = {
        "sis_home": view.sis_home,
        "expected_release": view.expected_release,
        "risk_level": view.risk_level,
        "concrete_risk": view.concrete_risk,
        "risk_assessment": view.risk_assessment,
    }
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=user, plan_id=plan_id, **form.cleaned_data)
        except HomecomingError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Planen är ändrad."))
            return redirect("homecoming:detail", plan_id=plan_id)
    return _form_page(request, form, _("Ändra utskrivning och risk"), view)


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def plan_basis(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _editable(user, plan_id, "hemtagningsplan, grund för delning")
    initial = {
        "sharing_basis": view.sharing_basis,
        "basis_note": view.basis_note,
        "concrete_risk": view.concrete_risk,
    }
    form = BasisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.basis_record(actor=user, plan_id=plan_id, **form.cleaned_data)
        except HomecomingError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Grunden för delning med polisen är registrerad."))
            return redirect("homecoming:detail", plan_id=plan_id)
    return _form_page(request, form, _("Grund för vad som delas med polisen"), view)


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _editable(user, plan_id, "hemtagningsplan, ny åtgärd")
    parties = _plan_parties(plan_id)
    form = ActionForm(request.POST or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(
                actor=user,
                plan_id=plan_id,
                party=parties.get(pk=data["party"]),
                text=data["text"],
                owner_name=data["owner_name"],
                due_date=data["due_date"],
            )
        except HomecomingError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Åtgärden är tillagd."))
            return redirect("homecoming:detail", plan_id=plan_id)
    return _form_page(request, form, _("Ny åtgärd"), view)


@role_required(*HOMECOMING_ROLES)
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    user = _user(request)
    reason = "hemtagningsplan, uppdatera åtgärd"
    view = _view(user, plan_id, reason, audited=False)
    action = next((a for a in view.actions if a.id == action_id), None)
    if action is None:
        raise Http404
    if not action.can_update:
        raise PermissionDenied
    selectors.plan_view_audit(user, view, reason)
    form = ActionUpdateForm(
        request.POST or None, initial={"status": action.status, "note": action.note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=user, action_id=action_id, **form.cleaned_data)
        except HomecomingError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Åtgärden är uppdaterad."))
            return redirect("homecoming:detail", plan_id=plan_id)
    return _form_page(request, form, _("Uppdatera åtgärd"), view, action=action)


@role_required(*HOMECOMING_ROLES)
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _view(user, plan_id, "hemtagningsplan, ny kontakt")
    parties = _plan_parties(plan_id)
    if not view.can_edit:
        parties = parties.filter(pk__in=responsible_organisation_ids(user))
    form = ContactForm(request.POST or None, organisations=parties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_add(
                actor=user,
                plan_id=plan_id,
                organisation=parties.get(pk=data["organisation"]),
                name=data["name"],
                title=data["title"],
                phone=data["phone"],
            )
        except HomecomingError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Kontakten är tillagd."))
            return redirect("homecoming:detail", plan_id=plan_id)
    return _form_page(request, form, _("Ny kontakt"), view)


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def plan_return(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _editable(user, plan_id, "hemtagningsplan, hemkomst")
    form = ReturnForm(request.POST or None, initial={"released_on": local_date(timezone.now())})
    if request.method == "POST" and form.is_valid():
        try:
            services.return_record(actor=user, plan_id=plan_id, **form.cleaned_data)
        except HomecomingError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Hemkomsten är registrerad."))
            return redirect("homecoming:detail", plan_id=plan_id)
    return _form_page(request, form, _("Registrera hemkomst"), view)


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def follow_up_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _editable(user, plan_id, "hemtagningsplan, uppföljning")
    form = FollowUpForm(request.POST or None, initial={"held_on": local_date(timezone.now())})
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_add(actor=user, plan_id=plan_id, **form.cleaned_data)
        except HomecomingError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Uppföljningen är sparad."))
            return redirect("homecoming:detail", plan_id=plan_id)
    return _form_page(request, form, _("Uppföljning efter hemkomst"), view)


@role_required(*SOCIAL_SERVICES_ROLES)
@require_POST
def plan_close(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    _editable(user, plan_id, "hemtagningsplan, avsluta")
    try:
        services.plan_close(actor=user, plan_id=plan_id)
    except (NotFound, NotAllowed) as error:
        _refuse_or_show(None, error)
    else:
        messages.success(request, _("Planen är avslutad."))
    return redirect("homecoming:detail", plan_id=plan_id)
