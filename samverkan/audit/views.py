from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samverkan.audit import access
from samverkan.audit.forms import AuditSearchForm
from samverkan.audit.selectors import audit_entries_for_auditor, log_read_of_log

PAGE_SIZE = 50


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """An auditor searches the access log of their own organisation's records."""
    user = request.user
    if not access.can_search(user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    page = None
    query = ""
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        status = 200
        if not form.is_bound:
            form = AuditSearchForm({})
            form.is_valid()
        filters = form.filters()
        page = Paginator(audit_entries_for_auditor(user=user, filters=filters), PAGE_SIZE).get_page(
            request.GET.get("sida")
        )
        # Evaluate the page now, before the search itself is logged below.
        page.object_list = list(page.object_list)
        log_read_of_log(
            user=user, where="search", criteria=form.cleaned_data | {"page": page.number}
        )
        params = request.GET.copy()
        params.pop("sida", None)
        query = params.urlencode()
    return render(
        request, "audit/search.html", {"form": form, "page": page, "query": query}, status=status
    )
