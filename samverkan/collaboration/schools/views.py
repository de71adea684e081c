"""The school register page (/samverkan/skolor/). A school's own concern reports are
an intake channel: `samverkan.intake.school_reports`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samverkan.accounts.decorators import role_required
from samverkan.agreements.models import Agreement
from samverkan.collaboration.access import PARTICIPANTS
from samverkan.collaboration.schools import selectors
from samverkan.core.views_support import signed_in_user


@role_required(*PARTICIPANTS)
@require_GET
def schools(request: HttpRequest) -> HttpResponse:
    districts = list(selectors.districts_with_schools())
    chosen = request.GET.get("omrade", "")
    district = next((d for d in districts if d.code == chosen), None)
    rows = selectors.school_register(district)
    # Link only the agreements the user may open: the others would answer 404.
    readable = set(
        Agreement.objects.visible_to(signed_in_user(request))
        .filter(pk__in={row.agreement.pk for row in rows if row.agreement})
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "collaboration/schools.html",
        {
            "rows": rows,
            "readable_agreements": readable,
            "districts": districts,
            "chosen": district,
            "municipal": sum(1 for r in rows if r.school.operator == "municipal"),
            "independent": sum(1 for r in rows if r.school.operator == "independent"),
            "with_agreement": sum(1 for r in rows if r.agreement is not None),
        },
    )
