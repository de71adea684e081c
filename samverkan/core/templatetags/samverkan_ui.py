"""Template helpers for the UI shell that work without a request context.

`{% load samverkan_ui %}`:

- `{% demo_instance as DEMO %}` – whether this is a demo instance, read from
  settings (the 500 page and the CSRF failure page render without context
  processors, yet must still say DEMO).
- `{% status_badge_class status %}` – the CSS class for a status word
  (see `templates/includes/status_badge.html`).
- `{% columns _("Avtal") _("Status") as headings %}` – a table's column headings,
  written (and translated) in the template that uses `core/_list_table.html`.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.paginator import Page

register = template.Library()

# Tones a status can take, mapped to the badge classes in samverkan.css.
BADGE_CLASSES = {
    "alarm": "badge badge-alarm",
    "warn": "badge badge-warn",
    "ok": "badge badge-ok",
    "neutral": "badge",
}


@register.simple_tag
def demo_instance() -> bool:
    return bool(getattr(settings, "DEMO", False))


@register.simple_tag
def status_badge_class(tone: str) -> str:
    return BADGE_CLASSES.get(str(tone), BADGE_CLASSES["neutral"])


@register.simple_tag
def page_numbers(page_obj: Page) -> list[int | str]:
    """Page numbers around the current page, with the paginator's ellipsis for gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number))


@register.simple_tag
def columns(*headings: str) -> list[str]:
    """The headings of `core/_list_table.html`, kept in the page's template with its texts."""
    return list(headings)
