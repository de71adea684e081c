"""Who may see what: access follows the organisation responsible for a record.

Every selector that returns records a user may see scopes its queryset with
`visible_to(user)` (see `samverkan.core.models.ScopedQuerySet`), which rests on
`responsible_organisation_ids`: the user's own organisation and every
organisation below it (a municipality is responsible for its districts).
"""

from __future__ import annotations

from typing import Any

from samverkan.accounts.models import RoleCode
from samverkan.registry.selectors import descendant_ids

# Who runs the system: accounts, the admin site, organisation changes.
ADMINISTRATORS = (RoleCode.ADMINISTRATOR,)

_CACHE_ATTR = "_samverkan_access_cache"


def _cache(user: Any) -> dict[str, Any]:
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    return cache


def role_codes(user: Any) -> set[str]:
    """The codes of the roles the user holds (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = _cache(user)
    if "roles" not in cache:
        cache["roles"] = set(user.roles.values_list("code", flat=True))
    return cache["roles"]


def has_role(user: Any, *codes: str) -> bool:
    return bool(role_codes(user) & set(codes))


def responsible_organisation_ids(user: Any) -> frozenset[int]:
    """The user's organisation and all organisations below it."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return frozenset()
    cache = _cache(user)
    if "orgs" not in cache:
        cache["orgs"] = descendant_ids([user.organisation_id])
    return cache["orgs"]


def can_administer(user: Any) -> bool:
    """A system administrator (or a superuser, who may hold no role)."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, *ADMINISTRATORS)
