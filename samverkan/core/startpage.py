"""The start page shows each person what they have to do now.

Each app contributes panels: a function that takes the user and returns a
`Panel` (or None when the panel does not concern that user). Apps register
their panel functions in `AppConfig.ready()` with `register_panel`:

    @register_panel
    def reports_waiting(user: User) -> Panel | None:
        if not has_role(user, RoleCode.RECEIVER):
            return None
        return Panel(
            title=_("Anmälningar att ta emot"),
            empty_text=_("Inga anmälningar väntar på dig."),
            items=[PanelItem(text=..., url=..., detail=..., urgent=...)],
            url=reverse("intake:inbox"),
            order=10,
        )

`empty_text` says plainly that there is nothing to do ("Inga … väntar på dig").
A user without a role gets one generic panel telling them to contact their
administrator; a user whose roles bring no panel gets a role-neutral one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from samverkan.accounts.access import role_codes
from samverkan.accounts.models import User

Text = str | Promise


@dataclass(frozen=True)
class PanelItem:
    text: Text
    url: str = ""
    detail: Text = ""
    urgent: bool = False


@dataclass(frozen=True)
class Panel:
    title: Text
    empty_text: Text
    items: list[PanelItem] = field(default_factory=list)
    url: str = ""
    order: int = 100
    # Links shown under the text of a panel, e.g. to the admin pages.
    links: list[tuple[Text, str]] = field(default_factory=list)
    # The start page's own panels for users whom no app's panel concerns.
    fallback: bool = False


@dataclass(frozen=True)
class StartSummary:
    """One sentence at the top of the start page: how much is waiting, how much is urgent."""

    total: int
    urgent: int
    text: str


PanelFunction = Callable[[User], Panel | None]
_panels: list[PanelFunction] = []


def register_panel(function: PanelFunction) -> PanelFunction:
    if function not in _panels:
        _panels.append(function)
    return function


def no_role_panel(user: User) -> Panel:
    links: list[tuple[Text, str]] = []
    if user.is_staff:
        links.append((_("Administration"), reverse("admin:index")))
    return Panel(
        title=_("Du har ingen roll ännu"),
        empty_text=_(
            "Du har ingen roll ännu – kontakta din administratör. Din roll avgör vad du kan "
            "göra och se i Samverkan."
        ),
        links=links,
        order=0,
        fallback=True,
    )


def nothing_to_do_panel() -> Panel:
    return Panel(
        title=_("Inget väntar på dig"),
        empty_text=_(
            "Du har inget att göra just nu. Använd menyn för att hitta det du behöver. "
            "Det som kommer in till dig visas här."
        ),
        order=0,
        fallback=True,
    )


def panels_for(user: User) -> list[Panel]:
    found = [panel for function in _panels if (panel := function(user)) is not None]
    if not role_codes(user):
        found.insert(0, no_role_panel(user))
    elif not found:
        found.append(nothing_to_do_panel())
    # What is urgent comes first in each panel, in the apps' order otherwise.
    found = [
        replace(panel, items=sorted(panel.items, key=lambda item: not item.urgent))
        for panel in found
    ]
    return sorted(found, key=lambda panel: panel.order)


def start_summary(panels: list[Panel]) -> StartSummary:
    total = sum(len(panel.items) for panel in panels)
    urgent = sum(1 for panel in panels for item in panel.items if item.urgent)
    if total == 0 and all(panel.fallback for panel in panels):
        text = ""  # the fallback panel says it all
    elif total == 0:
        text = str(_("Inget väntar på dig just nu."))
    elif urgent:
        text = ngettext(
            "Du har %(total)d sak att göra, varav %(urgent)d brådskande. Det brådskande står "
            "först.",
            "Du har %(total)d saker att göra, varav %(urgent)d brådskande. Det brådskande står "
            "först.",
            total,
        ) % {"total": total, "urgent": urgent}
    else:
        text = ngettext(
            "Du har %(total)d sak att göra.", "Du har %(total)d saker att göra.", total
        ) % {"total": total}
    return StartSummary(total=total, urgent=urgent, text=text)
