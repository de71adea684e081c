"""The start page shows each person what they have to do now.

Each app contributes panels in its `panels.py`, which core imports for every
installed app in the order of INSTALLED_APPS (`core.apps.CoreConfig.ready`). A
panel's fixed facts — its title, the text shown when it is empty, the page it
links to and its place — are declared with `panel`; the function only finds
the items, or returns None when the panel does not concern the user:

    @panel(
        title=_("Anmälningar att ta emot"),
        empty_text=_("Inga anmälningar väntar på dig."),
        url_name="intake:inbox",
        order=10,
    )
    def reports_waiting(user: User) -> list[PanelItem] | None:
        if not has_role(user, RoleCode.RECEIVER):
            return None
        return [PanelItem(text=..., url=..., detail=..., urgent=...)]

A panel whose title changes with what it shows builds its `Panel` itself and
is registered with `@register_panel`.

`empty_text` says plainly that there is nothing to do ("Inga … väntar på dig").
A user without a role gets one generic panel telling them to contact their
administrator; a user whose roles bring no panel gets a role-neutral one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import wraps

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
ItemsFunction = Callable[[User], list[PanelItem] | None]
_panels: list[PanelFunction] = []


def register_panel(function: PanelFunction) -> PanelFunction:
    if function not in _panels:
        _panels.append(function)
    return function


def panel(
    *,
    title: Text,
    empty_text: Text,
    order: int,
    url_name: str = "",
    links: Sequence[tuple[Text, str]] = (),
) -> Callable[[ItemsFunction], PanelFunction]:
    """Register a panel with fixed facts whose decorated function finds only the items.

    `url_name` and the second of each `links` pair are URL names, reversed when
    the panel is shown. The decorated name stays a panel function: user -> Panel | None.
    """

    def declare(items_for: ItemsFunction) -> PanelFunction:
        @wraps(items_for)
        def panel_for(user: User) -> Panel | None:
            items = items_for(user)
            if items is None:
                return None
            return Panel(
                title=title,
                empty_text=empty_text,
                items=items,
                url=reverse(url_name) if url_name else "",
                order=order,
                links=[(label, reverse(name)) for label, name in links],
            )

        return register_panel(panel_for)

    return declare


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
