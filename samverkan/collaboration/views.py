"""The overview page of local collaboration (/samverkan/, SPEC §6).

Each feature has its own pages in its sub-package (`colocation`, `forums`,
`plans`, `schools`, `indicators`): thin views that read through the access
module's scoped query sets and post forms to one service through
`core.views_support.form_action`. POST-redirect-GET everywhere.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samverkan.accounts.decorators import role_required
from samverkan.collaboration import access
from samverkan.collaboration.access import PARTICIPANTS
from samverkan.collaboration.common.forms import today
from samverkan.collaboration.forums.selectors import forum_compliance
from samverkan.core.views_support import signed_in_user

__all__ = ["PARTICIPANTS", "index"]


@role_required(*PARTICIPANTS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    day = today()
    forums = [
        (forum, forum_compliance(forum, today=day, terms=1)[0])
        for forum in access.forums_visible_to(user)
    ]
    return render(
        request,
        "collaboration/index.html",
        {
            "forums": forums,
            "plans": list(access.plans_visible_to(user)),
            "is_coordinator": access.is_coordinator(user),
            "can_create": access.coordinated_districts(user).exists(),
            "is_school": access.is_school_staff(user),
            "can_record_talks": access.can_record_talks(user),
            "colocations": list(access.colocations_visible_to(user)),
        },
    )
