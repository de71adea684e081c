"""Defector pages' template tags: SEK amounts in Swedish (12 500,50), the pages' forms, and
the link to a defector agreement's terms on the agreement's own page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.forms import BaseForm
from django.urls import reverse

from samverkan.agreements.models import AgreementTypeCode
from samverkan.defectors import access
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


@register.inclusion_tag("defectors/_terms_link.html", takes_context=True)
def defector_terms_link(context: Any, agreement: Any) -> dict[str, Any]:
    """On the agreement's page: where its administrators keep a defector agreement's pilot
    caps, threshold and catalogue (nothing for other agreements or other users)."""
    shown = agreement.type.code == AgreementTypeCode.DEFECTOR_SERVICES and access.can_keep_terms(
        context["request"].user, agreement
    )
    return {"agreement": agreement, "shown": shown}
