"""A queryset for records that several organisations may see.

`core.models.ScopedQuerySet` narrows by one responsible organisation; the records
here are kept by one organisation and shared with others (the parties of a forum,
the police unit of a joint record, the owners of a plan's activities), so the
user's organisation may stand at any of several places.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from samverkan.accounts.access import responsible_organisation_ids

QS = TypeVar("QS", bound=QuerySet[Any])


def shared_with(queryset: QS, user: Any, paths: Iterable[str]) -> QS:
    """The records of `queryset` where one of the user's organisations stands at any of
    `paths` (paths to an organisation's id, such as `"district_id"` or `"parties__id"`).

    Distinct: a path through a many-valued relation would otherwise repeat a record
    once per matching party.
    """
    ids = responsible_organisation_ids(user)
    if not ids:
        return queryset.none()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__in": ids})
    return queryset.filter(condition).distinct()


class SharedScopedQuerySet(models.QuerySet):
    """A model's own `visible_to`: `shared_with` along its `scope_paths`."""

    scope_paths: tuple[str, ...] = ("district_id",)

    def visible_to(self, user: Any) -> Self:
        return shared_with(self, user, self.scope_paths)
