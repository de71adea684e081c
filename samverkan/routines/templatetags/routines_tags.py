"""`{% forum_routines forum %}`: the current routines of a forum, for the forum's page."""

from __future__ import annotations

from typing import Any

from django import template

from samverkan.routines.selectors import for_forum

register = template.Library()


@register.inclusion_tag("routines/_forum_routines.html", takes_context=True)
def forum_routines(context: Any, forum: Any) -> dict[str, Any]:
    return {"forum": forum, "routines": for_forum(context["request"].user, forum.pk)}
