from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from samverkan.core.navigation import nav_links


def instance(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: whether this is a demo, and the user's navigation."""
    user = getattr(request, "user", None)
    navigation: list = []
    if user is not None and user.is_authenticated:
        from samverkan.accounts.access import role_codes

        navigation = nav_links(
            role_codes(user),
            request.path,
            start_url=reverse("core:start"),
        )
    return {"DEMO": settings.DEMO, "navigation": navigation}
