"""`{% forum_routines forum %}` and `{% agreement_routines agreement %}`: the current
routines attached to a forum or an agreement, for that record's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from samverkan.routines.selectors import for_agreement, for_forum

register = template.Library()


def _linked(routines: list[Any], list_id: str, query: str, empty_text: str) -> dict[str, Any]:
    return {"routines": routines, "list_id": list_id, "query": query, "empty_text": empty_text}


@register.inclusion_tag("routines/_linked_routines.html", takes_context=True)
def forum_routines(context: Any, forum: Any) -> dict[str, Any]:
    return _linked(
        for_forum(context["request"].user, forum.pk),
        "forum-routines",
        f"forum={forum.pk}",
        _("Inga rutiner är kopplade till forumet."),
    )


@register.inclusion_tag("routines/_linked_routines.html", takes_context=True)
def agreement_routines(context: Any, agreement: Any) -> dict[str, Any]:
    return _linked(
        for_agreement(context["request"].user, agreement.pk),
        "agreement-routines",
        f"avtal={agreement.pk}",
        _("Inga rutiner är kopplade till avtalet."),
    )
