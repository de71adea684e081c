"""Pages of the joint work with the police: the co-location calendar, consultations,
trainings and serious talks (under /samverkan/samlokalisering/ and /samverkan/allvarssamtal/).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import User
from samverkan.collaboration import access
from samverkan.collaboration.access import COORDINATORS, TALK_RECORDERS
from samverkan.collaboration.colocation import selectors, services
from samverkan.collaboration.colocation.forms import (
    CoLocationChangeForm,
    CoLocationForm,
    ConsultationForm,
    SeriousTalkForm,
    TrainingForm,
)
from samverkan.collaboration.common.forms import today
from samverkan.collaboration.common.views import (
    Confirmation,
    form_page_action,
    initial_district,
    owner_districts,
    parties,
    record_or_404,
)
from samverkan.core.views_support import form_action, signed_in_user
from samverkan.registry.selectors import local_police_units

WEEKDAY_NAMES = ["måndag", "tisdag", "onsdag", "torsdag", "fredag"]


def _back() -> str:
    return reverse("collaboration:colocation")


@role_required(*COORDINATORS)
@require_GET
def colocation(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    colocations = list(access.colocations_visible_to(user))
    start = today() - timedelta(days=today().weekday())
    return render(
        request,
        "collaboration/colocation.html",
        {
            "colocations": colocations,
            "calendar": selectors.colocation_calendar(colocations, start, days=28),
            "consultations": list(access.consultations_visible_to(user)[:50]),
            "trainings": list(access.trainings_visible_to(user)[:50]),
            "weekday_names": WEEKDAY_NAMES,
            "can_create": access.coordinated_districts(user).exists(),
            "editable": {
                c.pk for c in colocations if access.is_coordinator_for(user, c.district_id)
            },
        },
    )


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def colocation_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    districts = owner_districts(request)
    police_units = local_police_units()
    form = CoLocationForm(
        request.POST or None,
        districts=districts,
        police_units=police_units,
        initial=initial_district(districts),
    )
    return form_page_action(
        request,
        form,
        lambda data: services.colocation_create(
            actor=user,
            **{
                **data,
                "district": districts.get(pk=data["district"]),
                "police_unit": police_units.get(pk=data["police_unit"]),
            },
        ),
        done=_("Schemat för samlokaliseringen är sparat."),
        title=_("Ny samlokalisering: socialsekreterare hos polis"),
        back=_back(),
    )


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def colocation_edit(request: HttpRequest, colocation_id: int) -> HttpResponse:
    user = signed_in_user(request)
    entry = record_or_404(access.colocations_visible_to(user), colocation_id)
    if not access.is_coordinator_for(user, entry.district_id):
        raise Http404
    form = CoLocationChangeForm(
        request.POST or None,
        initial={"weekdays": [str(d) for d in entry.weekdays], "valid_to": entry.valid_to},
    )
    title = _("Ändra samlokalisering: %(worker)s hos %(police)s") % {
        "worker": entry.social_worker,
        "police": entry.police_unit.name,
    }
    return form_page_action(
        request,
        form,
        lambda data: services.colocation_change(actor=user, colocation_id=entry.pk, **data),
        done=_("Schemat för samlokaliseringen är ändrat."),
        title=title,
        back=_back(),
    )


def _joint_parties(user: User) -> dict[str, Any]:
    """The districts and police units of the user's co-locations, to choose among."""
    colocations = list(access.colocations_visible_to(user))
    return {
        "districts": sorted({c.district for c in colocations}, key=lambda o: o.name),
        "police_units": sorted({c.police_unit for c in colocations}, key=lambda o: o.name),
    }


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ConsultationForm(request.POST or None, **_joint_parties(user))
    confirmation = Confirmation()

    def record(data: dict[str, Any]) -> object:
        return services.consultation_record(
            actor=user,
            **parties(data),
            held_on=data["held_on"],
            question_type=data["question_type"],
            question=data["question"],
            advice=data["advice"],
            report_followed=data["report_followed"],
            report_filed_on=data["report_filed_on"],
            confirmed_no_personal_data=data["confirm_no_personal_data"],
        )

    return form_page_action(
        request,
        form,
        confirmation.around(record),
        done=_("Konsultationen är registrerad."),
        title=_("Registrera anonym konsultation"),
        back=_back(),
        intro=_(
            "Polisen frågar om råd inför en orosanmälan. Inga personuppgifter: "
            "formuläret tar inte emot personnummer eller namn."
        ),
        needs_confirmation=confirmation,
    )


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = TrainingForm(request.POST or None, **_joint_parties(user))
    return form_page_action(
        request,
        form,
        lambda data: services.training_record(actor=user, **{**data, **parties(data)}),
        done=_("Utbildningen är registrerad."),
        title=_("Registrera utbildning för polisaspiranter"),
        back=_back(),
    )


@role_required(*TALK_RECORDERS)
@require_http_methods(["GET", "POST"])
def serious_talks(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = SeriousTalkForm(
        request.POST or None,
        districts=access.own_districts(user),
        police_units=local_police_units(),
    )

    def page(form: SeriousTalkForm) -> HttpResponse:
        talks = selectors.serious_talks_for(user, reason="allvarssamtal, lista")
        return render(request, "collaboration/serious_talks.html", {"form": form, "talks": talks})

    return form_action(
        request,
        form,
        lambda data: services.serious_talk_record(actor=user, **{**data, **parties(data)}),
        done=_("Allvarssamtalet är registrerat."),
        success_url=reverse("collaboration:serious_talks"),
        rerender=page,
    )
