"""The receiving social worker's button: register the report in our case system."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from samverkan.accounts.decorators import role_required
from samverkan.casesystems import access, services
from samverkan.core.views_support import form_action
from samverkan.core.views_support import signed_in_user as _user


@role_required(*access.RECEIVERS)
@require_POST
def send_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the report for the case system; a report not the receiver's own is 404."""
    report_url = reverse("intake:receiver_report", args=[pk])
    return form_action(
        request,
        None,
        lambda _data: services.handover_request(actor=_user(request), report_id=pk),
        done=_("Anmälan skickas till verksamhetssystemet. Id:t visas här när den är registrerad."),
        success_url=report_url + "#casesystem-heading",
        rerender=lambda _form: HttpResponse(status=400),
    )
