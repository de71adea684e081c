"""What the collaboration pages share: the form page, the district that owns a new
record, a record or 404, and the personal-data confirmation.

Every page that posts to a service goes through `core.views_support.form_action`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from samverkan.collaboration.access import coordinated_districts
from samverkan.collaboration.common.services import PersonalDataFound
from samverkan.core.views_support import form_action, signed_in_user
from samverkan.registry.models import Organisation

M = TypeVar("M", bound=Model)
FORM_PAGE = "collaboration/form_page.html"


def form_page(
    request: HttpRequest, form: forms.BaseForm, title: str, back: str, **extra: Any
) -> HttpResponse:
    """A create or change form on the shared page, with the way back."""
    return render(request, FORM_PAGE, {"form": form, "title": title, "back": back, **extra})


def form_page_action(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], object],
    *,
    done: str,
    title: str,
    back: str,
    success_url: str | Callable[[Any], str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """`form_action` for a form on the shared page: back to `back` (or `success_url`)."""
    return form_action(
        request,
        form,
        call,
        done=done,
        success_url=success_url or back,
        rerender=lambda form: form_page(request, form, title, back, **extra),
    )


def record_or_404(queryset: QuerySet[M], pk: int) -> M:
    """The record among those the user may see, else 404 (never telling which)."""
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def organisation(pk: Any) -> Organisation:
    return Organisation.objects.get(pk=pk)


def parties(data: dict[str, Any]) -> dict[str, Organisation]:
    """The district and police unit chosen on a joint record's form."""
    return {
        "district": organisation(data["district"]),
        "police_unit": organisation(data["police_unit"]),
    }


def owner_districts(request: HttpRequest) -> QuerySet[Organisation]:
    """The districts the coordinator may create for; 403 without one, or for another district."""
    districts = coordinated_districts(signed_in_user(request))
    if not districts.exists():
        raise PermissionDenied(_("Du är inte samverkanssamordnare för något stadsdelsområde."))
    chosen = request.POST.get("district") if request.method == "POST" else None
    if chosen and not districts.filter(pk=chosen if chosen.isdigit() else 0).exists():
        raise PermissionDenied(_("Du är inte samverkanssamordnare för det stadsdelsområdet."))
    return districts


def initial_district(districts: QuerySet[Organisation]) -> dict[str, str]:
    """Preselect the district when the coordinator has only one."""
    first = districts.first()
    return {"district": str(first.pk)} if first is not None and districts.count() == 1 else {}


class Confirmation:
    """Whether the personal-data guard asked the writer to confirm: the form then shows
    the "these are not names" box. The refusal itself goes on to `form_action`."""

    def __init__(self) -> None:
        self.needed = False

    def __bool__(self) -> bool:  # the templates ask `{% if needs_confirmation %}` when they render
        return self.needed

    def around(
        self, call: Callable[[dict[str, Any]], object]
    ) -> Callable[[dict[str, Any]], object]:
        def run(data: dict[str, Any]) -> object:
            try:
                return call(data)
            except PersonalDataFound as error:
                self.needed = error.needs_confirmation
                raise

        return run
