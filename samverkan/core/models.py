"""Base pieces shared by the apps' models."""

from __future__ import annotations

from typing import Any, Self

from django.db import models

from samverkan.accounts.access import responsible_organisation_ids


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user's organisation is responsible for.

    Subclasses name the path to the responsible organisation in `scope_field`
    (a foreign key to `registry.Organisation`), or override `visible_to` when
    more than one organisation may see a record.
    """

    scope_field: str = "controller"

    def visible_to(self, user: Any) -> Self:
        organisation_ids = responsible_organisation_ids(user)
        if not organisation_ids:
            return self.none()
        return self.filter(**{f"{self.scope_field}__in": organisation_ids})
