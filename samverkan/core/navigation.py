"""Main navigation: each app registers its entries in its `panels.py` (imported by core/apps.py).

    register_nav(_("Rutiner och stödmaterial"), "routines:index", roles=access.READERS, order=43)

`roles` is a role group from the app's access.py. An entry with no roles is shown to
every signed-in user; the others only to holders of one of its roles (staff too: a link
that answers 403 helps no one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    roles: frozenset[str]  # empty: every signed-in user
    order: int = 100


@dataclass(frozen=True)
class NavLink:
    """One link in the rendered menu; `current` is the value for `aria-current`."""

    label: str | Promise
    url: str
    current: str = ""  # "page" on the page itself, "true" below it, "" elsewhere


_entries: list[NavEntry] = []


def register_nav(
    label: str | Promise, url_name: str, roles: Iterable[str] | None = None, order: int = 100
) -> None:
    """Show the entry to holders of one of `roles` (an app's role group from its access.py)."""
    entry = NavEntry(label, url_name, frozenset(roles or ()), order)
    if entry not in _entries:
        _entries.append(entry)


def nav_for(role_codes: set[str]) -> list[tuple[str | Promise, str]]:
    links = []
    for entry in sorted(_entries, key=lambda e: e.order):
        if entry.roles and not (entry.roles & role_codes):
            continue
        try:
            links.append((entry.label, reverse(entry.url_name)))
        except NoReverseMatch:
            continue
    return links


def current_state(url: str, path: str) -> str:
    """`aria-current` for a link to `url` seen from `path`: the page, a page below it, or not."""
    if path == url:
        return "page"
    if url != "/" and url.endswith("/") and path.startswith(url):
        return "true"
    return ""


def nav_links(role_codes: set[str], path: str, *, start_url: str = "/") -> list[NavLink]:
    """The menu for a user on `path`: the start page first, then the apps' entries."""
    entries = [(_("Start"), start_url), *nav_for(role_codes)]
    links = [NavLink(label, url, current_state(url, path)) for label, url in entries]
    # Only the most specific link is current: /avtal/ and /avtal/ny/ must not both be.
    best = max((len(link.url) for link in links if link.current), default=0)
    return [
        link if not link.current or len(link.url) == best else NavLink(link.label, link.url)
        for link in links
    ]
