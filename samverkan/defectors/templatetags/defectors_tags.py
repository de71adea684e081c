"""Defector pages' template tags: SEK amounts in Swedish (12 500,50), and the pages' forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.forms import BaseForm
from django.urls import reverse

from samverkan.defectors.rules import format_sek

register = template.Library()


@register.filter
def sek(value: Decimal | int | str | None) -> str:
    return format_sek(value)


@register.inclusion_tag("defectors/_form.html")
def post_form(
    form: BaseForm, url_name: str, *url_args: Any, submit: str, multipart: bool = False
) -> dict[str, Any]:
    """A form posting to `url_name` (with `url_args`), its submit button saying `submit`.

    {% post_form threat_form "defectors:threat" assignment.pk submit=_("Registrera") %}
    The inclusion tag copies the CSRF token into the form's context itself.
    """
    return {
        "form": form,
        "action": reverse(url_name, args=url_args),
        "submit": submit,
        "multipart": multipart,
    }
