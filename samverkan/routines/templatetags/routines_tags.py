"""`{% forum_routines forum %}` and `{% agreement_routines agreement %}`: the current
routines attached to a forum or an agreement, for that record's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from samverkan.routines.selectors import for_agreement, for_forum

register = template.Library()


# Per kind of record: the routines attached to it, the list's id, the index's filter.
_LINKED = {
    "forum": (for_forum, "forum-routines", "forum"),
    "agreement": (for_agreement, "agreement-routines", "avtal"),
}


def _linked(context: Any, kind: str, pk: int, empty_text: str) -> dict[str, Any]:
    routines_for, list_id, parameter = _LINKED[kind]
    return {
        "routines": routines_for(context["request"].user, pk),
        "list_id": list_id,
        "query": f"{parameter}={pk}",
        "empty_text": empty_text,
    }


@register.inclusion_tag("routines/_linked_routines.html", takes_context=True)
def forum_routines(context: Any, forum: Any) -> dict[str, Any]:
    return _linked(context, "forum", forum.pk, _("Inga rutiner är kopplade till forumet."))


@register.inclusion_tag("routines/_linked_routines.html", takes_context=True)
def agreement_routines(context: Any, agreement: Any) -> dict[str, Any]:
    return _linked(context, "agreement", agreement.pk, _("Inga rutiner är kopplade till avtalet."))
