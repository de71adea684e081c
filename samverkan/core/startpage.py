"""The start page shows each person what they have to do now.

Each app contributes panels: a function that takes the user and returns a
`Panel` (or None when the panel does not concern that user). Apps register
their panel functions in `AppConfig.ready()` with `register_panel`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from samverkan.accounts.models import User


@dataclass(frozen=True)
class PanelItem:
    text: str
    url: str = ""
    detail: str = ""
    urgent: bool = False


@dataclass(frozen=True)
class Panel:
    title: str
    empty_text: str
    items: list[PanelItem] = field(default_factory=list)
    url: str = ""
    order: int = 100


PanelFunction = Callable[[User], Panel | None]
_panels: list[PanelFunction] = []


def register_panel(function: PanelFunction) -> PanelFunction:
    if function not in _panels:
        _panels.append(function)
    return function


def panels_for(user: User) -> list[Panel]:
    found = [panel for function in _panels if (panel := function(user)) is not None]
    return sorted(found, key=lambda panel: panel.order)
