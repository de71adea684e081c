"""Pages of the situational picture and the action plan (under /samverkan/lagesbild/,
/samverkan/atgardsplaner/ and /samverkan/aktiviteter/)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.accounts.decorators import role_required
from samverkan.collaboration import access
from samverkan.collaboration.access import COORDINATORS, PLAN_READERS
from samverkan.collaboration.common.forms import today
from samverkan.collaboration.common.views import (
    form_page_action,
    initial_district,
    organisation,
    owner_districts,
    record_or_404,
)
from samverkan.collaboration.models import ActivityStatus, SituationalPicture
from samverkan.collaboration.plans import selectors, services
from samverkan.collaboration.plans.forms import (
    ActionPlanForm,
    ActivityForm,
    ActivityUpdateForm,
    ContributionForm,
    PictureForm,
)
from samverkan.core.errors import InvalidInput
from samverkan.core.views_support import form_action, signed_in_user


def _picture_url(picture_id: int) -> str:
    return reverse("collaboration:picture_detail", args=[picture_id])


def _plan_url(plan_id: int) -> str:
    return reverse("collaboration:plan_detail", args=[plan_id])


@role_required(*PLAN_READERS)
@require_http_methods(["GET", "POST"])
def picture_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    district = access.picture_district(user)
    if request.method == "POST" and district is None:
        raise PermissionDenied
    form = PictureForm(request.POST or None)

    def create(data: dict[str, Any]) -> SituationalPicture:
        assert district is not None  # refused above
        return services.situational_picture_create(actor=user, district=district, **data)

    return form_action(
        request,
        form,
        create,
        done=_("Lägesbilden är skapad."),
        success_url=lambda picture: _picture_url(picture.pk),
        rerender=lambda form: render(
            request,
            "collaboration/picture_list.html",
            {
                "pictures": list(access.pictures_visible_to(user)),
                "plans": list(access.plans_visible_to(user)),
                "form": form,
                "can_create": district is not None,
                "can_create_plan": access.coordinated_districts(user).exists(),
            },
        ),
    )


@role_required(*PLAN_READERS)
@require_http_methods(["GET", "POST"])
def picture_detail(request: HttpRequest, picture_id: int) -> HttpResponse:
    user = signed_in_user(request)
    picture = record_or_404(access.pictures_visible_to(user), picture_id)
    if request.POST.get("action") == "refresh":
        return form_action(
            request,
            None,
            lambda _data: services.situational_picture_refresh(actor=user, picture_id=picture.pk),
            done=_("Siffrorna är uppdaterade."),
            success_url=_picture_url(picture.pk),
            rerender=lambda _form: redirect(_picture_url(picture.pk)),  # no form: never shown
        )
    return form_action(
        request,
        ContributionForm(request.POST or None),
        lambda data: services.contribution_add(
            actor=user, picture_id=picture.pk, text=data["text"]
        ),
        done=_("Texten är sparad."),
        success_url=_picture_url(picture.pk),
        rerender=lambda form: render(
            request,
            "collaboration/picture_detail.html",
            {
                "picture": picture,
                "tables": selectors.picture_tables(picture, user),
                "contributions": list(picture.contributions.select_related("organisation")),
                "plans": list(picture.action_plans.all()),
                "form": form,
                "can_refresh": access.is_coordinator_for(user, picture.district_id),
            },
        ),
    )


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    districts = owner_districts(request)
    pictures = (
        access.pictures_visible_to(user)
        .filter(district__in=districts)
        .select_related("district")
        .order_by("-period_start")
    )
    form = ActionPlanForm(
        request.POST or None,
        districts=districts,
        pictures=pictures,
        initial=initial_district(districts),
    )

    def create(data: dict[str, Any]) -> object:
        district = districts.get(pk=data["district"])
        picture = None
        if data["situational_picture"]:
            picture = pictures.filter(pk=data["situational_picture"], district=district).first()
            if picture is None:
                raise InvalidInput(
                    "situational_picture", _("Välj en lägesbild för samma stadsdelsområde.")
                )
        return services.action_plan_create(
            actor=user,
            district=district,
            title=data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            situational_picture=picture,
        )

    return form_page_action(
        request,
        form,
        create,
        done=_("Åtgärdsplanen är skapad. Lägg nu till aktiviteterna."),
        success_url=lambda plan: _plan_url(plan.pk),
        title=_("Ny åtgärdsplan"),
        back=reverse("collaboration:picture_list"),
    )


@role_required(*PLAN_READERS)
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = signed_in_user(request)
    plan = record_or_404(access.plans_visible_to(user), plan_id)
    can_add = access.is_coordinator_for(user, plan.district_id)
    if request.method == "POST" and not can_add:
        raise PermissionDenied
    owners = selectors.plan_parties(plan)

    def page(form: ActivityForm) -> HttpResponse:
        activities = (
            access.activities_visible_to(user)
            .filter(plan=plan)
            .select_related("owner")
            .prefetch_related("notes")
            .order_by("due_date", "id")
        )
        return render(
            request,
            "collaboration/plan_detail.html",
            {
                "plan": plan,
                "rows": [(a, access.can_update_activity(user, a)) for a in activities],
                "form": form,
                "can_add": can_add,
                "today": today(),
                "done": ActivityStatus.DONE,
            },
        )

    return form_action(
        request,
        ActivityForm(request.POST or None, owners=owners),
        lambda data: services.activity_add(
            actor=user, plan_id=plan.pk, **{**data, "owner": organisation(data["owner"])}
        ),
        done=_("Aktiviteten är tillagd."),
        success_url=_plan_url(plan.pk),
        rerender=page,
    )


@role_required(*PLAN_READERS)
@require_http_methods(["GET", "POST"])
def activity_update(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = signed_in_user(request)
    activity = record_or_404(
        access.activities_visible_to(user).select_related("plan", "owner"), activity_id
    )
    if not access.can_update_activity(user, activity):
        raise PermissionDenied(access.others_activity(activity))
    form = ActivityUpdateForm(
        request.POST or None, initial={"status": activity.status, "due_date": activity.due_date}
    )
    return form_action(
        request,
        form,
        lambda data: services.activity_update(actor=user, activity_id=activity.pk, **data),
        done=_("Aktiviteten är uppdaterad."),
        success_url=_plan_url(activity.plan_id),
        rerender=lambda form: render(
            request,
            "collaboration/activity_update.html",
            {"form": form, "activity": activity, "notes": list(activity.notes.all())},
        ),
    )
