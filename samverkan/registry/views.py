"""Organisation changes for administrators (issue 10): list, register with preview, detail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from samverkan.accounts.decorators import role_required
from samverkan.accounts.models import RoleCode
from samverkan.core.calendar import local_date
from samverkan.registry import change_rules as rules
from samverkan.registry import changes
from samverkan.registry.forms import OrganisationChangeForm
from samverkan.registry.models import ChangeStatus, Organisation, Responsibility

ACTION_LABELS = {
    rules.MOVE: _lazy("Flyttas"),
    rules.REMOVE: _lazy("Tas bort (efterträdaren finns redan)"),
    rules.KEEP: _lazy("Står kvar"),
}


def _table(plan: rules.Plan, which: str) -> list[dict[str, Any]]:
    """The plan as rows for the template: one section per responsibility."""
    names = dict(Organisation.objects.values_list("pk", "name"))
    labels = dict(Responsibility.choices)
    sections = []
    for code, moves in plan.by_category(which):
        sections.append(
            {
                "code": code,
                "label": labels[code],
                "rows": [
                    {
                        "label": move.candidate.label,
                        "detail": move.candidate.detail,
                        "from": names.get(move.candidate.organisation_id, ""),
                        "to": names.get(move.to_organisation_id or 0, ""),
                        "action": ACTION_LABELS[move.action],
                        "note": move.note,
                    }
                    for move in moves
                ],
            }
        )
    return sections


def _preview(plan: rules.Plan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "moves": _table(plan, "moves"),
        "kept": _table(plan, "kept"),
        "move_count": len(plan.moves),
        "kept_count": len(plan.kept),
    }


@role_required(RoleCode.ADMINISTRATOR)
def change_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registry/change_list.html",
        {"changes": changes.visible_changes(), "today": local_date(timezone.now())},
    )


@role_required(RoleCode.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def change_create(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    form = OrganisationChangeForm(request.POST or None, today=today)
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "register":
            try:
                change = changes.change_register(
                    actor=request.user,
                    kind=data["kind"],
                    effective_date=data["effective_date"],
                    ending=list(data["ending"]),
                    successors=data["successors"],
                    decision=data["decision"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                if change.status == ChangeStatus.APPLIED:
                    messages.success(request, _("Förändringen är registrerad och genomförd."))
                else:
                    messages.success(
                        request,
                        _("Förändringen är registrerad och genomförs %(day)s.")
                        % {"day": change.effective_date.isoformat()},
                    )
                return redirect("registry:change_detail", pk=change.pk)
        plan = changes.preview_plan(
            kind=data["kind"],
            effective_date=data["effective_date"],
            ending=list(data["ending"]),
            successors=data["successors"],
        )
    return render(
        request,
        "registry/change_form.html",
        {"form": form, "preview": _preview(plan), "today": today},
    )


@role_required(RoleCode.ADMINISTRATOR)
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(changes.visible_changes(), pk=pk)
    planned = change.status == ChangeStatus.PLANNED
    return render(
        request,
        "registry/change_detail.html",
        {
            "change": change,
            "preview": _preview(changes.change_plan(change)),
            "planned": planned,
            "events": changes.events_of(change),
            "responsibility_labels": dict(Responsibility.choices),
        },
    )
