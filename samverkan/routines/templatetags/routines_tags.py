"""`{% forum_routines forum %}` and `{% agreement_routines agreement %}`: the current
routines attached to a forum or an agreement, for that record's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from samverkan.routines.selectors import for_agreement, for_forum

register = template.Library()


@register.inclusion_tag("routines/_linked_routines.html", takes_context=True)
def forum_routines(context: Any, forum: Any) -> dict[str, Any]:
    return {
        "routines": for_forum(context["request"].user, forum.pk),
        "list_id": "forum-routines",
        "query": f"forum={forum.pk}",
        "empty_text": _("Inga rutiner är kopplade till forumet."),
    }


@register.inclusion_tag("routines/_linked_routines.html", takes_context=True)
def agreement_routines(context: Any, agreement: Any) -> dict[str, Any]:
    return {
        "routines": for_agreement(context["request"].user, agreement.pk),
        "list_id": "agreement-routines",
        "query": f"avtal={agreement.pk}",
        "empty_text": _("Inga rutiner är kopplade till avtalet."),
    }
