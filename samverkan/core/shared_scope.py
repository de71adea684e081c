"""A queryset for records that several organisations may see.

`core.models.ScopedQuerySet` narrows by one responsible organisation; the records
here are kept by one organisation and shared with others (the parties of a forum,
the police unit of a joint record, the owners of a plan's activities), so the
user's organisation may stand at any of several places.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.db.models import Q

from samverkan.accounts.access import responsible_organisation_ids


class SharedScopedQuerySet(models.QuerySet):
    """Records where one of the user's organisations stands at any of `scope_paths`
    (paths to an organisation's id, such as `"district_id"` or `"parties__id"`).

    Distinct: a path through a many-valued relation would otherwise repeat a record
    once per matching party.
    """

    scope_paths: tuple[str, ...] = ("district_id",)

    def visible_to(self, user: Any) -> Self:
        ids = responsible_organisation_ids(user)
        if not ids:
            return self.none()
        condition = Q()
        for path in self.scope_paths:
            condition |= Q(**{f"{path}__in": ids})
        return self.filter(condition).distinct()
