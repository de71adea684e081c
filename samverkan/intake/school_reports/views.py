"""The school's concern-report page and its receipt (/samverkan/skolor/orosanmalan/)."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.decorators import role_required
from samverkan.core.views_support import form_action, signed_in_user
from samverkan.intake.models import ConcernReport
from samverkan.intake.school_reports import access, rules, selectors, services
from samverkan.intake.school_reports.forms import SchoolReportForm
from samverkan.intake.ui_support import remember

# the forms this session has sent: submission token → the report's public id
SUBMISSIONS_KEY = "collaboration_school_reports"


def _receipt_url(report: ConcernReport) -> str:
    return reverse("collaboration:school_report_receipt", args=[str(report.public_id)])


@role_required(*access.REPORTERS)
@require_http_methods(["GET", "POST"])
def school_report(request: HttpRequest) -> HttpResponse:
    """A school's concern report, routed to the pupil's registered district."""
    user = signed_in_user(request)
    school = getattr(user.organisation, "school", None) if user.organisation else None
    if school is None:
        raise PermissionDenied(_("Du behöver höra till en skolenhet för att anmäla här."))
    submitted: dict[str, str] = request.session.get(SUBMISSIONS_KEY, {})
    token = request.POST.get("submission", "")
    if token and token in submitted:  # the same form sent twice: no second report
        return redirect("collaboration:school_report_receipt", public_id=submitted[token])
    form = SchoolReportForm(
        request.POST or None,
        initial={"submission": uuid.uuid4().hex, "reporter_name": user.get_full_name()},
    )

    def file(data: dict[str, object]) -> ConcernReport:
        report = services.school_report_file(
            actor=user, data=services.SchoolReportInput(**SchoolReportForm.report_fields(data))
        )
        if token:
            request.session[SUBMISSIONS_KEY] = remember(
                submitted, token, str(report.public_id), keep=rules.REMEMBERED_SUBMISSIONS
            )
        return report

    return form_action(
        request,
        form,
        file,
        done=None,  # the receipt says so
        success_url=_receipt_url,
        field_names=rules.SCHOOL_FIELD_OF,
        rerender=lambda form: render(
            request,
            "intake/school_reports/report.html",
            {
                "form": form,
                "school": school,
                "reports": list(selectors.school_reports_by(user)[:20]),
            },
        ),
    )


@role_required(*access.REPORTERS)
@require_GET
def school_report_receipt(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        parsed = uuid.UUID(public_id)
    except ValueError as error:
        raise Http404 from error
    report = selectors.school_reports_by(signed_in_user(request)).filter(public_id=parsed).first()
    if report is None:
        raise Http404
    return render(request, "intake/school_reports/receipt.html", {"report": report})
