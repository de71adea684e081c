"""Web pages of the routines library under /rutiner/ (issue 11). Thin views, POST-redirect-GET."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.access import has_role, responsible_organisation_ids
from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import RoleCode, User
from samverkan.agreements.models import Agreement
from samverkan.collaboration.models import Forum
from samverkan.collaboration.views import PARTICIPANTS as FORUM_READERS
from samverkan.core.calendar import local_date
from samverkan.core.views_support import refuse_or_show as _refuse_or_show
from samverkan.core.views_support import signed_in_user as _user
from samverkan.registry.models import Organisation, OrganisationKind
from samverkan.routines import selectors, services
from samverkan.routines.forms import LinksForm, ReviewForm, RevisionForm, RoutineForm, SearchForm
from samverkan.routines.models import Routine
from samverkan.routines.panels import READERS
from samverkan.routines.services import RoutineError

EDITOR = RoleCode.COLLABORATION_COORDINATOR


def _routine(user: User, routine_id: int) -> Routine:
    routine = selectors.routines_visible_to(user).filter(pk=routine_id).first()
    if routine is None:
        raise Http404
    return routine


def _owners(user: User) -> Any:
    ids = [pk for pk in responsible_organisation_ids(user) if services.can_edit(user, pk)]
    return (
        Organisation.objects.filter(pk__in=ids)
        .exclude(kind=OrganisationKind.SCHOOL)
        .order_by("name")
    )


def _party_choices(user: User) -> Any:
    return Organisation.objects.filter(
        Q(kind=OrganisationKind.POLICE_UNIT, code__startswith="polisen-lpo-")
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
            "can_create": _owners(user).exists(),
            "today": local_date_now(),
        },
    )


def local_date_now() -> Any:
    from django.utils import timezone

    return local_date(timezone.now())


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def routine_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    owners = _owners(user)
    if not owners.exists():
        raise PermissionDenied(_("Du är inte samverkanssamordnare hos någon ägare av rutiner."))
    initial = {"owner": str(owners.first().pk)} if owners.count() == 1 else {}
    form = RoutineForm(request.POST or None, owners=owners, initial=initial)
    _links_choices(form, user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = owners.filter(pk=data["owner"]).first()
        if owner is None:
            raise PermissionDenied
        try:
            routine = services.routine_create(
                actor=user,
                owner=owner,
                kind=data["kind"],
                topic=data["topic"],
                title=data["title"],
                body=data["body"],
                review_date=data["review_date"],
                **_links(data, user),
            )
        except RoutineError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Rutinen är sparad som version 1."))
            return redirect("routines:detail", routine_id=routine.pk)
    return render(request, "routines/form.html", {"form": form, "title": _("Ny rutin")})


@role_required(*READERS)
@require_GET
def routine_detail(request: HttpRequest, routine_id: int) -> HttpResponse:
    user = _user(request)
    routine = _routine(user, routine_id)
    today = local_date_now()
    return render(
        request,
        "routines/detail.html",
        {
            "routine": routine,
            "version": routine.current_version,
            "is_current": True,
            "versions": list(selectors.versions_of(routine)),
            "parties": list(routine.parties.order_by("name")),
            **_attachments(user, routine),
            "can_edit": services.can_edit(user, routine.owner_id),
            "review_form": ReviewForm(),
            "overdue": routine.review_date < today,
        },
    )


def _attachments(user: User, routine: Any) -> dict[str, Any]:
    """The forums and agreements the routine is attached to that the user may see; forums
    are linked only for those who may open the forum pages (an agreement administrator
    reads the routine but not the forum)."""
    return {
        "forums": list(routine.forums.visible_to(user).order_by("name")),
        "link_forums": has_role(user, *FORUM_READERS),
        "agreements": list(routine.agreements.visible_to(user).order_by("title")),
    }


@role_required(*READERS)
@require_GET
def version_detail(request: HttpRequest, routine_id: int, number: int) -> HttpResponse:
    user = _user(request)
    routine = _routine(user, routine_id)
    version = routine.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise Http404
    return render(
        request,
        "routines/detail.html",
        {
            "routine": routine,
            "version": version,
            "is_current": version.pk == routine.current_version_id,
            "versions": list(selectors.versions_of(routine)),
            "parties": list(routine.parties.order_by("name")),
            **_attachments(user, routine),
            "can_edit": False,
            "overdue": False,
        },
    )


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def routine_revise(request: HttpRequest, routine_id: int) -> HttpResponse:
    user = _user(request)
    routine = _routine(user, routine_id)
    if not services.can_edit(user, routine.owner_id):
        raise PermissionDenied
    current = routine.current_version
    initial = {
        "based_on": current.number if current else 0,
        "title": current.title if current else routine.title,
        "body": current.body if current else "",
    }
    form = RevisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.routine_revise(
                actor=user,
                routine_id=routine.pk,
                title=data["title"],
                body=data["body"],
                change_note=data["change_note"],
                review_date=data["review_date"],
                based_on=data["based_on"],
            )
        except RoutineError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(
                request,
                _("Version %(n)s är sparad. De äldre versionerna finns kvar.")
                % {"n": version.number},
            )
            return redirect("routines:detail", routine_id=routine.pk)
    return render(
        request,
        "routines/form.html",
        {
            "form": form,
            "title": _("Ny version: %(title)s") % {"title": routine.title},
            "routine": routine,
        },
    )


@role_required(EDITOR)
@require_POST
def routine_review(request: HttpRequest, routine_id: int) -> HttpResponse:
    user = _user(request)
    routine = _routine(user, routine_id)
    if not services.can_edit(user, routine.owner_id):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.routine_confirm_review(
                actor=user, routine_id=routine.pk, review_date=form.cleaned_data["review_date"]
            )
        except RoutineError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Översynen är registrerad."))
            return redirect("routines:detail", routine_id=routine.pk)
    return render(
        request,
        "routines/form.html",
        {
            "form": form,
            "title": _("Bekräfta översyn: %(title)s") % {"title": routine.title},
            "routine": routine,
        },
    )


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def routine_links(request: HttpRequest, routine_id: int) -> HttpResponse:
    user = _user(request)
    routine = _routine(user, routine_id)
    if not services.can_edit(user, routine.owner_id):
        raise PermissionDenied
    initial = {
        "parties": [str(pk) for pk in routine.parties.values_list("pk", flat=True)],
        "forums": [str(pk) for pk in routine.forums.values_list("pk", flat=True)],
        "agreements": [str(pk) for pk in routine.agreements.values_list("pk", flat=True)],
    }
    form = LinksForm(request.POST or None, initial=initial)
    _links_choices(form, user)
    if request.method == "POST" and form.is_valid():
        try:
            services.routine_set_links(
                actor=user, routine_id=routine.pk, **_links(form.cleaned_data, user)
            )
        except RoutineError as error:
            _refuse_or_show(form, error)
        else:
            messages.success(request, _("Parter och kopplingar är sparade."))
            return redirect("routines:detail", routine_id=routine.pk)
    return render(
        request,
        "routines/form.html",
        {
            "form": form,
            "title": _("Parter och kopplingar: %(title)s") % {"title": routine.title},
            "routine": routine,
        },
    )
