"""Main navigation: each app registers its entries in `AppConfig.ready()`."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    roles: frozenset[str]  # empty: every signed-in user
    order: int = 100


_entries: list[NavEntry] = []


def register_nav(
    label: str | Promise, url_name: str, roles: set[str] | None = None, order: int = 100
) -> None:
    entry = NavEntry(label, url_name, frozenset(roles or ()), order)
    if entry not in _entries:
        _entries.append(entry)


def nav_for(role_codes: set[str], is_staff: bool = False) -> list[tuple[str | Promise, str]]:
    links = []
    for entry in sorted(_entries, key=lambda e: e.order):
        if entry.roles and not (entry.roles & role_codes) and not is_staff:
            continue
        try:
            links.append((entry.label, reverse(entry.url_name)))
        except NoReverseMatch:
            continue
    return links
