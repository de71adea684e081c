"""Pages of result indicators (under /samverkan/indikatorer/)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.decorators import role_required
from samverkan.agreements.models import Agreement
from samverkan.collaboration import access, rules
from samverkan.collaboration.access import COORDINATORS, PARTICIPANTS
from samverkan.collaboration.common.forms import today
from samverkan.collaboration.common.views import (
    form_page_action,
    initial_district,
    owner_districts,
    record_or_404,
)
from samverkan.collaboration.indicators import selectors, services
from samverkan.collaboration.indicators.forms import IndicatorForm, IndicatorValueForm
from samverkan.collaboration.models import Forum
from samverkan.core.views_support import signed_in_user


def _back() -> str:
    return reverse("collaboration:indicators")


@role_required(*PARTICIPANTS)
@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    # Another party sees a district's figures as the follow-up publishes them.
    series = [
        selectors.published_series(
            selectors.indicator_series(indicator, today=today()),
            enabled=not access.is_inside(user, indicator.district_id),
        )
        for indicator in access.indicators_visible_to(user)
    ]
    return render(
        request,
        "collaboration/indicators.html",
        {
            "series": series,
            "terms": series[0].points if series else [],
            "can_create": access.coordinated_districts(user).exists(),
            "coordinator_of": {
                s.indicator.pk
                for s in series
                if access.is_coordinator_for(user, s.indicator.district_id)
            },
        },
    )


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def indicator_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    districts = owner_districts(request)
    forums = Forum.objects.filter(district__in=districts).order_by("name")
    agreements = (
        Agreement.objects.filter(parties__organisation__in=districts).distinct().order_by("title")
    )
    form = IndicatorForm(
        request.POST or None,
        districts=districts,
        forums=forums,
        agreements=agreements,
        initial=initial_district(districts),
    )
    return form_page_action(
        request,
        form,
        lambda data: services.indicator_create(
            actor=user,
            **{
                **data,
                "district": districts.get(pk=data["district"]),
                "forum": forums.filter(pk=data["forum"]).first() if data["forum"] else None,
                "agreement": (
                    agreements.filter(pk=data["agreement"]).first() if data["agreement"] else None
                ),
            },
        ),
        done=_("Indikatorn är skapad."),
        title=_("Ny resultatindikator"),
        back=_back(),
    )


@role_required(*COORDINATORS)
@require_http_methods(["GET", "POST"])
def indicator_value(request: HttpRequest, indicator_id: int) -> HttpResponse:
    user = signed_in_user(request)
    indicator = record_or_404(access.indicators_visible_to(user), indicator_id)
    if not access.is_coordinator_for(user, indicator.district_id):
        # the service refuses anyone else: do not offer them the form
        raise PermissionDenied(_("Bara samordnaren i stadsdelsområdet för in värden."))
    form = IndicatorValueForm(
        request.POST or None, initial={"term": rules.term_of(today()).previous().key}
    )
    return form_page_action(
        request,
        form,
        lambda data: services.indicator_value_enter(actor=user, indicator_id=indicator.pk, **data),
        done=_("Värdet är sparat."),
        title=_("Ange värde: %(name)s") % {"name": indicator.name},
        back=_back(),
    )
