from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from samverkan.audit import access
from samverkan.audit.exports import EXPORT_LIMIT, EXPORTERS
from samverkan.audit.forms import AuditSearchForm
from samverkan.audit.models import AuditAction
from samverkan.audit.names import ShownEntry, present
from samverkan.audit.selectors import audit_entries_for_auditor, log_read_of_log

PAGE_SIZE = 50


def _auditor_form(request: HttpRequest) -> AuditSearchForm:
    """The search form of the request (an empty search when nothing was asked)."""
    if not access.can_search(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or {})
    form.is_valid()
    return form


def _render(
    request: HttpRequest,
    form: AuditSearchForm,
    page: object = None,
    query: str = "",
    entries: list[ShownEntry] | None = None,
) -> HttpResponse:
    status = 400 if form.errors else 200
    context = {"form": form, "page": page, "query": query, "entries": entries or []}
    return render(request, "audit/search.html", context, status=status)


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """An auditor searches the access log of their own organisation's records and users."""
    form = _auditor_form(request)
    if form.errors:
        return _render(request, form)
    user = request.user
    page = Paginator(
        audit_entries_for_auditor(user=user, filters=form.filters()), PAGE_SIZE
    ).get_page(request.GET.get("sida"))
    # Read the page now, before the search itself is logged below.
    entries = present(page.object_list)
    log_read_of_log(user=user, where="search", criteria=form.cleaned_data | {"page": page.number})
    params = request.GET.copy()
    params.pop("sida", None)
    return _render(request, form, page, params.urlencode(), entries)


@login_required
@require_GET
def export(request: HttpRequest, export_format: str) -> HttpResponse:
    """The filtered log as a file; the export is itself logged (what was asked, how many rows)."""
    if export_format not in EXPORTERS:
        raise Http404
    form = _auditor_form(request)
    if form.errors:
        return _render(request, form)
    entries = list(
        audit_entries_for_auditor(user=request.user, filters=form.filters())[: EXPORT_LIMIT + 1]
    )
    cut = len(entries) > EXPORT_LIMIT
    shown = present(entries[:EXPORT_LIMIT])
    write, content_type = EXPORTERS[export_format]
    content = write(shown, cut=cut)
    log_read_of_log(
        user=request.user,
        where="export",
        criteria=form.cleaned_data | {"format": export_format, "row_count": len(shown)},
        action=AuditAction.EXPORT,
    )
    response = HttpResponse(content, content_type=content_type)
    filename = f"logg-{timezone.localdate():%Y-%m-%d}.{export_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
