"""Web pages of homecoming plans under /hemtagning/ (issue 11).

Thin views: every page that shows a plan reads it through `selectors.plan_view`
(scoped, redacted by the recorded basis, audited) and writes through one service.
404 for a plan the user's party may not see; 403 for a write the party may not do.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import User
from samverkan.core.calendar import local_date
from samverkan.core.views_support import RecordForms, form_action
from samverkan.core.views_support import signed_in_user as _user
from samverkan.homecoming import access, rules, selectors, services
from samverkan.homecoming.access import HOMECOMING_ROLES, SOCIAL_SERVICES_ROLES
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
from samverkan.registry.models import Organisation, OrganisationKind
from samverkan.registry.selectors import local_police_units


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


def _as_shown(view: PlanView, *fields: str) -> dict[str, Any]:
    """A change form starts from the plan as the district sees it."""
    return {field: getattr(view, field) for field in fields}


def _districts(user: User) -> Any:
    ids = [
        pk for pk in responsible_organisation_ids(user) if access.is_social_services_for(user, pk)
    ]
    return Organisation.objects.filter(
        pk__in=ids, kind__in=[OrganisationKind.DISTRICT, OrganisationKind.MUNICIPALITY]
    ).order_by("name")


def _schools() -> Any:
    return Organisation.objects.filter(kind=OrganisationKind.SCHOOL).order_by("name")


def _plan_parties(plan_id: int) -> Any:
    plan = HomecomingPlan.objects.get(pk=plan_id)
    ids = [plan.district_id, plan.police_unit_id, plan.school_id]
    return Organisation.objects.filter(pk__in=[i for i in ids if i]).order_by("kind", "name")


def _detail_url(plan_id: int) -> str:
    return reverse("homecoming:detail", kwargs={"plan_id": plan_id})


_FORMS = RecordForms("homecoming/form.html", "plan", lambda view: _detail_url(view.id))


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
        police_units=local_police_units(),
        schools=_schools(),
        initial=initial,
    )
    title = _("Ny hemtagningsplan")

    def create(data: dict[str, Any]) -> HomecomingPlan:
        district = districts.filter(pk=data["district"]).first()
        if district is None:
            raise PermissionDenied
        # the form's fields are the service's, with organisations chosen by id
        return services.plan_create(
            actor=user,
            **{
                **data,
                "district": district,
                "police_unit": local_police_units().get(pk=data["police_unit"]),
                "school": _schools().filter(pk=data["school"]).first() if data["school"] else None,
            },
        )

    return _FORMS.action(
        request,
        form,
        None,
        create,
        title=title,
        done=_("Hemtagningsplanen är upprättad."),
        conflict_url=reverse("homecoming:index"),
    )


@role_required(*HOMECOMING_ROLES)
@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _view(user, plan_id, "hemtagningsplan")
    return render(
        request,
        "homecoming/detail.html",
        {
            "plan": view,
            "today": local_date(timezone.now()),
            "police_view": rules.police_view_text(view.sharing_basis),
            "basis_changes": selectors.basis_history(user, plan_id) if view.can_edit else [],
        },
    )


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _editable(user, plan_id, "hemtagningsplan, ändra")
    initial = _as_shown(
        view, "sis_home", "expected_release", "risk_level", "concrete_risk", "risk_assessment"
    )
    return _FORMS.action(
        request,
        AssessmentForm(request.POST or None, initial=initial),
        view,
        lambda data: services.plan_update(actor=user, plan_id=plan_id, **data),
        title=_("Ändra utskrivning och risk"),
        done=_("Planen är ändrad."),
    )


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def plan_basis(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _editable(user, plan_id, "hemtagningsplan, grund för delning")
    initial = _as_shown(view, "sharing_basis", "basis_note", "concrete_risk")
    return _FORMS.action(
        request,
        BasisForm(request.POST or None, initial=initial),
        view,
        lambda data: services.basis_record(actor=user, plan_id=plan_id, **data),
        title=_("Grund för vad som delas med polisen"),
        done=_("Grunden för delning med polisen är registrerad."),
    )


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _editable(user, plan_id, "hemtagningsplan, ny åtgärd")
    parties = _plan_parties(plan_id)
    return _FORMS.action(
        request,
        ActionForm(request.POST or None, parties=parties),
        view,
        lambda data: services.action_add(
            actor=user, plan_id=plan_id, **{**data, "party": parties.get(pk=data["party"])}
        ),
        title=_("Ny åtgärd"),
        done=_("Åtgärden är tillagd."),
    )


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
    return _FORMS.action(
        request,
        ActionUpdateForm(
            request.POST or None, initial={"status": action.status, "note": action.note}
        ),
        view,
        lambda data: services.action_update(actor=user, action_id=action_id, **data),
        title=_("Uppdatera åtgärd"),
        done=_("Åtgärden är uppdaterad."),
        action=action,
    )


@role_required(*HOMECOMING_ROLES)
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _view(user, plan_id, "hemtagningsplan, ny kontakt")
    parties = _plan_parties(plan_id)
    if not view.can_edit:
        parties = parties.filter(pk__in=responsible_organisation_ids(user))
    return _FORMS.action(
        request,
        ContactForm(request.POST or None, organisations=parties),
        view,
        lambda data: services.contact_add(
            actor=user,
            plan_id=plan_id,
            **{**data, "organisation": parties.get(pk=data["organisation"])},
        ),
        title=_("Ny kontakt"),
        done=_("Kontakten är tillagd."),
    )


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def plan_return(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _editable(user, plan_id, "hemtagningsplan, hemkomst")
    return _FORMS.action(
        request,
        ReturnForm(request.POST or None, initial={"released_on": local_date(timezone.now())}),
        view,
        lambda data: services.return_record(actor=user, plan_id=plan_id, **data),
        title=_("Registrera hemkomst"),
        done=_("Hemkomsten är registrerad."),
    )


@role_required(*SOCIAL_SERVICES_ROLES)
@require_http_methods(["GET", "POST"])
def follow_up_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    view = _editable(user, plan_id, "hemtagningsplan, uppföljning")
    return _FORMS.action(
        request,
        FollowUpForm(request.POST or None, initial={"held_on": local_date(timezone.now())}),
        view,
        lambda data: services.follow_up_add(actor=user, plan_id=plan_id, **data),
        title=_("Uppföljning efter hemkomst"),
        done=_("Uppföljningen är sparad."),
    )


@role_required(*SOCIAL_SERVICES_ROLES)
@require_POST
def plan_close(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = _user(request)
    _editable(user, plan_id, "hemtagningsplan, avsluta")
    return form_action(
        request,
        None,
        lambda data: services.plan_close(actor=user, plan_id=plan_id),
        done=_("Planen är avslutad."),
        success_url=_detail_url(plan_id),
        rerender=lambda form: _FORMS.page(request, form, ""),
    )
