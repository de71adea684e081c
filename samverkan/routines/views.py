"""Web pages of the routines library under /rutiner/ (issue 11). Thin views, POST-redirect-GET."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.access import responsible_organisation_ids
from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import User
from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import Forum
from samverkan.core.calendar import local_date
from samverkan.core.views_support import RecordForms
from samverkan.core.views_support import signed_in_user as _user
from samverkan.registry.models import Organisation, OrganisationKind
from samverkan.registry.selectors import local_police_units
from samverkan.routines import access, selectors, services
from samverkan.routines.access import EDITORS, READERS
from samverkan.routines.forms import LinksForm, ReviewForm, RevisionForm, RoutineForm, SearchForm
from samverkan.routines.models import Routine


def _routine(user: User, routine_id: int) -> Routine:
    routine = selectors.routine_for(user, routine_id)
    if routine is None:
        raise Http404
    return routine


def _editable(user: User, routine_id: int) -> Routine:
    routine = _routine(user, routine_id)
    if not access.can_edit(user, routine):
        raise PermissionDenied
    return routine


def _detail_url(routine_id: int) -> str:
    return reverse("routines:detail", kwargs={"routine_id": routine_id})


_FORMS = RecordForms("routines/form.html", "routine", lambda routine: _detail_url(routine.pk))


def _party_choices(user: User) -> Any:
    return Organisation.objects.filter(
        Q(pk__in=local_police_units().values("pk"))
        | Q(
            kind__in=[OrganisationKind.DISTRICT, OrganisationKind.COMMITTEE, OrganisationKind.OTHER]
        )
        | Q(pk__in=responsible_organisation_ids(user), kind=OrganisationKind.MUNICIPALITY)
    ).order_by("kind", "name")


def _forum_choices(user: User) -> Any:
    return Forum.objects.visible_to(user).order_by("name")


def _agreement_choices(user: User) -> Any:
    return Agreement.objects.visible_to(user).order_by("title")


def _links_choices(form: Any, user: User) -> None:
    form.set_link_choices(
        parties=_party_choices(user),
        forums=_forum_choices(user),
        agreements=_agreement_choices(user),
    )


def _links(data: dict[str, Any], user: User) -> dict[str, list[Any]]:
    return {
        "parties": list(_party_choices(user).filter(pk__in=data.get("parties") or [])),
        "forums": list(_forum_choices(user).filter(pk__in=data.get("forums") or [])),
        "agreements": list(_agreement_choices(user).filter(pk__in=data.get("agreements") or [])),
    }


@role_required(*READERS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SearchForm(request.GET or None)
    query, topic = "", ""
    if form.is_valid():
        query, topic = form.cleaned_data["q"], form.cleaned_data["topic"]
    forum_id = request.GET.get("forum", "")
    agreement_id = request.GET.get("avtal", "")
    routines = selectors.search(
        user,
        query,
        topic=topic,
        forum_id=int(forum_id) if forum_id.isdigit() else None,
        agreement_id=int(agreement_id) if agreement_id.isdigit() else None,
    )
    return render(
        request,
        "routines/index.html",
        {
            "form": form,
            "routines": list(routines.prefetch_related("parties")[:200]),
            "searched": bool(query or topic or forum_id or agreement_id),
            "can_create": access.owners_for(user).exists(),
            "today": local_date_now(),
        },
    )


def local_date_now() -> Any:
    return local_date(timezone.now())


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def routine_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    owners = access.owners_for(user)
    if not owners.exists():
        raise PermissionDenied(_("Du är inte samverkanssamordnare hos någon ägare av rutiner."))
    only = owners.first() if owners.count() == 1 else None
    initial = {"owner": str(only.pk)} if only is not None else {}
    form = RoutineForm(request.POST or None, owners=owners, initial=initial)
    _links_choices(form, user)
    title = _("Ny rutin")

    def create(data: dict[str, Any]) -> Routine:
        owner = owners.filter(pk=data["owner"]).first()
        if owner is None:
            raise PermissionDenied
        # the form's fields are the service's, with organisations and links chosen by id
        return services.routine_create(actor=user, **{**data, "owner": owner, **_links(data, user)})

    return _FORMS.action(
        request,
        form,
        None,
        create,
        title=title,
        done=_("Rutinen är sparad som version 1."),
        conflict_url=reverse("routines:index"),
    )


def _detail_page(
    request: HttpRequest, routine: Routine, version: Any, *, current: bool
) -> HttpResponse:
    """A version of the routine; only the current one offers editing and the review form."""
    user = _user(request)
    extra: dict[str, Any] = {"can_edit": False, "overdue": False}
    if current:
        extra = {
            "can_edit": access.can_edit(user, routine),
            "review_form": ReviewForm(),
            "overdue": routine.review_date < local_date_now(),
        }
    return render(
        request,
        "routines/detail.html",
        {
            "routine": routine,
            "version": version,
            "is_current": version is not None and version.pk == routine.current_version_id,
            "history": selectors.history_of(routine),
            # an old version shows the review date it was saved with
            "review_date": routine.review_date if current else version.review_date,
            "parties": list(routine.parties.order_by("name")),
            # an agreement administrator reads the routine but may not open the forum
            "forums": list(routine.forums.visible_to(user).order_by("name")),
            "link_forums": access.can_open_forums(user),
            "agreements": list(routine.agreements.visible_to(user).order_by("title")),
            **extra,
        },
    )


@role_required(*READERS)
@require_GET
def routine_detail(request: HttpRequest, routine_id: int) -> HttpResponse:
    routine = _routine(_user(request), routine_id)
    return _detail_page(request, routine, routine.current_version, current=True)


@role_required(*READERS)
@require_GET
def version_detail(request: HttpRequest, routine_id: int, number: int) -> HttpResponse:
    routine = _routine(_user(request), routine_id)
    version = routine.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise Http404
    return _detail_page(request, routine, version, current=False)


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def routine_revise(request: HttpRequest, routine_id: int) -> HttpResponse:
    user = _user(request)
    routine = _editable(user, routine_id)
    current = routine.current_version
    initial = {
        "based_on": current.number if current else 0,
        "title": current.title if current else routine.title,
        "body": current.body if current else "",
        "review_date": routine.review_date,
    }
    return _FORMS.action(
        request,
        RevisionForm(request.POST or None, initial=initial),
        routine,
        lambda data: services.routine_revise(actor=user, routine_id=routine.pk, **data),
        title=_("Ny version: %(title)s") % {"title": routine.title},
        done=lambda version: (
            _("Version %(n)s är sparad. De äldre versionerna finns kvar.") % {"n": version.number}
        ),
    )


@role_required(*EDITORS)
@require_POST
def routine_review(request: HttpRequest, routine_id: int) -> HttpResponse:
    user = _user(request)
    routine = _editable(user, routine_id)
    return _FORMS.action(
        request,
        ReviewForm(request.POST),
        routine,
        lambda data: services.routine_confirm_review(
            actor=user, routine_id=routine.pk, review_date=data["review_date"]
        ),
        title=_("Bekräfta översyn: %(title)s") % {"title": routine.title},
        done=_("Översynen är registrerad."),
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def routine_links(request: HttpRequest, routine_id: int) -> HttpResponse:
    user = _user(request)
    routine = _editable(user, routine_id)
    initial = {
        "parties": [str(pk) for pk in routine.parties.values_list("pk", flat=True)],
        "forums": [str(pk) for pk in routine.forums.values_list("pk", flat=True)],
        "agreements": [str(pk) for pk in routine.agreements.values_list("pk", flat=True)],
    }
    form = LinksForm(request.POST or None, initial=initial)
    _links_choices(form, user)
    return _FORMS.action(
        request,
        form,
        routine,
        lambda data: services.routine_set_links(
            actor=user, routine_id=routine.pk, **_links(data, user)
        ),
        title=_("Parter och kopplingar: %(title)s") % {"title": routine.title},
        done=_("Parter och kopplingar är sparade."),
    )
