"""Sections another app adds to a page it does not own, without the owner knowing it.

A page names a place (`{% page_sections "intake.receiver_report" report %}`); an app
registers, from its `declarations.py`, a function that renders its section for the
request and the page's record, or returns "" when it has nothing to show there. The
owner of the page imports nothing of the app, so the app can be removed or replaced
(e.g. the municipality's case system, issue 21.2) without touching the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

Section = Callable[[HttpRequest, Any], str]
_sections: dict[str, list[tuple[int, str, Section]]] = {}


def register_section(place: str, name: str, section: Section, *, order: int = 100) -> None:
    """Add `section` to `place` (registering the same name again replaces it)."""
    entries = [entry for entry in _sections.get(place, []) if entry[1] != name]
    entries.append((order, name, section))
    _sections[place] = sorted(entries, key=lambda entry: (entry[0], entry[1]))


def render_sections(place: str, request: HttpRequest, record: Any) -> SafeString:
    """Every registered section of `place`, in order; each renders its own escaped HTML."""
    parts = [section(request, record) for _order, _name, section in _sections.get(place, [])]
    return format_html_join("", "{}", ((mark_safe(part),) for part in parts if part))  # noqa: S308 - each section is a rendered template
