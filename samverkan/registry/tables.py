"""The organisation-change pages' tables as rows of cells, for `registry/_table.html`.

The preview (what moves, what stays), the moved records of an applied change
and the list of changes are all one kind of accessible table; building the
cells here keeps the templates to one table and the wording in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samverkan.registry import change_rules as rules
from samverkan.registry.models import (
    ChangeEvent,
    ChangeStatus,
    Organisation,
    OrganisationChange,
    Responsibility,
)

Text = str | Promise

ACTION_LABELS = {
    rules.MOVE: _("Flyttas"),
    rules.REMOVE: _("Tas bort (efterträdaren finns redan)"),
    rules.KEEP: _("Står kvar"),
}
STATUS_TONES: dict[str, str] = {ChangeStatus.APPLIED: "ok", ChangeStatus.PLANNED: "warn"}


@dataclass(frozen=True)
class Cell:
    text: Text = ""
    help: Text = ""
    url: str = ""
    badges: Sequence[tuple[Text, str]] = ()  # (label, tone) of status_badge.html
    css: str = ""


@dataclass(frozen=True)
class Table:
    headings: Sequence[Cell]
    rows: list[list[Cell]]
    labelled_by: str = ""  # the id of the heading naming the table, or
    caption: Text = ""  # a caption read by screen readers
    label: Text = ""  # the heading's text, for sections


@dataclass
class Preview:
    moves: list[Table] = field(default_factory=list)
    kept: list[Table] = field(default_factory=list)
    move_count: int = 0
    kept_count: int = 0


def _headings(*texts: Text, last_css: str = "") -> list[Cell]:
    cells = [Cell(text) for text in texts]
    cells[-1] = Cell(texts[-1], css=last_css)
    return cells


def _plan_tables(plan: rules.Plan, which: str, names: dict[int, str]) -> list[Table]:
    """One table per responsibility: moves (post, from, to, action) or kept (post, org, why)."""
    labels = dict(Responsibility.choices)
    moving = which == "moves"
    headings = (
        _headings(_("Post"), _("Från"), _("Till"), _("Åtgärd"))
        if moving
        else _headings(_("Post"), _("Organisation"), _("Skäl"))
    )
    tables = []
    for code, moves in plan.by_category(which):
        rows = []
        for move in moves:
            post = Cell(move.candidate.label, help=move.candidate.detail)
            origin = Cell(names.get(move.candidate.organisation_id, ""))
            if moving:
                target = Cell(names.get(move.to_organisation_id or 0, ""))
                rows.append([post, origin, target, Cell(ACTION_LABELS[move.action], move.note)])
            else:
                rows.append([post, origin, Cell(move.note)])
        tables.append(Table(headings, rows, labelled_by=f"{which}-{code}", label=labels[code]))
    return tables


def preview(plan: rules.Plan | None) -> Preview | None:
    if plan is None:
        return None
    names = dict(Organisation.objects.values_list("pk", "name"))
    return Preview(
        moves=_plan_tables(plan, "moves", names),
        kept=_plan_tables(plan, "kept", names),
        move_count=len(plan.moves),
        kept_count=len(plan.kept),
    )


def events_table(events: Iterable[ChangeEvent]) -> Table:
    removed = _("Efterträdaren fanns redan; den upphörande organisationen togs bort.")
    rows = [
        [
            Cell(event.get_category_display()),
            Cell(event.label, help=removed if event.action == rules.REMOVE else ""),
            Cell(event.from_organisation.name),
            Cell(event.to_organisation.name if event.to_organisation else "–"),
            Cell(f"{timezone.localtime(event.at):%Y-%m-%d %H:%M}"),
        ]
        for event in events
    ]
    headings = _headings(_("Område"), _("Post"), _("Från"), _("Till"), _("Tid"))
    return Table(headings, rows, labelled_by="events-heading")


def changes_table(rows: Iterable[tuple[OrganisationChange, Any]]) -> Table:
    """The list of changes; `rows` pairs each with its ended successors (flagged if any)."""
    flag = _("Efterträdaren har upphört – rätta förändringen")
    cells = [
        [
            Cell(
                f"{change.effective_date:%Y-%m-%d}",
                url=reverse("registry:change_detail", args=[change.pk]),
            ),
            Cell(change.get_kind_display()),
            Cell(", ".join(o.name for o in change.ending.all())),
            Cell(", ".join(s.organisation.name for s in change.successors.all())),
            Cell(
                badges=[
                    (change.get_status_display(), STATUS_TONES.get(change.status, "")),
                    *([(flag, "alarm")] if ended else []),
                ]
            ),
            Cell(str(getattr(change, "moved", 0)), css="num"),  # annotated
        ]
        for change, ended in rows
    ]
    headings = _headings(
        _("Gäller från"),
        _("Slag"),
        _("Upphör"),
        _("Efterträdare"),
        _("Status"),
        _("Flyttade poster"),
        last_css="num",
    )
    return Table(headings, cells, caption=_("Registrerade organisationsförändringar"))
