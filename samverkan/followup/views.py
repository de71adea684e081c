"""Follow-up pages: dashboards with charts and tables, downloads, and the open-data page."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samverkan.core.calendar import local_date
from samverkan.followup import access, exports, selectors
from samverkan.followup.collaboration_selectors import collaboration_dashboard
from samverkan.followup.defector_selectors import defector_dashboard
from samverkan.followup.forms import DashboardForm, QueryForm, agreement_type_for
from samverkan.followup.open_data import as_csv, as_json, open_statistics
from samverkan.followup.periods import Period, shift
from samverkan.followup.selectors import Scope
from samverkan.followup.services import export_record
from samverkan.followup.tables import Dashboard


@dataclass(frozen=True)
class Board:
    slug: str
    title: str
    build: Callable[..., Dashboard]


def _boards() -> dict[str, Board]:
    return {
        "en-ingang": Board("en-ingang", "En ingång", selectors.single_entry_dashboard),
        "avhoppare": Board("avhoppare", "Avhoppare", defector_dashboard),
        "samverkan": Board("samverkan", "Samverkan", collaboration_dashboard),
    }


def _board(slug: str) -> Board:
    boards = _boards()
    if slug not in boards:
        raise Http404
    return boards[slug]


def _require_access(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not access.can_view(request.user):
        raise PermissionDenied


def _query_form(request: HttpRequest, board: Board) -> DashboardForm:
    """The page's or download's query, read once for every follow-up view."""
    today = local_date(timezone.now())
    return DashboardForm(
        _query_string(request), agreement_type=agreement_type_for(board.slug), today=today
    )


def _query_string(request: HttpRequest) -> Any:
    """The one place a follow-up view reads its query; forms check it."""
    return request.GET or None


def _unusable_query(form: QueryForm) -> HttpResponse | None:
    """A download whose query cannot be used answers 400 with the Swedish reasons."""
    problems = form.problems()
    if not problems:
        return None
    text = "\n".join([str(_("Uppgifterna i adressen går inte att använda:")), *problems])
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def _dashboard_for(
    request: HttpRequest, board: Board, form: DashboardForm | None = None
) -> tuple[DashboardForm, Dashboard]:
    form = form or _query_form(request, board)
    period, scope = form.resolved()
    suppress = access.must_suppress(request.user, scope)
    result = board.build(period=period, scope=scope, suppress=suppress)
    # Which organisations the figures are counted on, visible on the page and in exports.
    result.notes.append(selectors.MAPPING_NOTES[scope.mapping])
    return form, result


def _query(period: Period, scope: Scope) -> str:
    params: dict[str, str] = {}
    if period.kind == "custom":
        params = {
            "period": "custom",
            "fran": period.first.isoformat(),
            "till": period.last.isoformat(),
        }
    else:
        params = {"period": period.kind, "datum": period.first.isoformat()}
    if scope.organisation is not None:
        params["organisation"] = str(scope.organisation.pk)
    if scope.agreement is not None:
        params["avtal"] = str(scope.agreement.pk)
    if scope.mapping != selectors.MAPPING_THEN:
        params["organisationer"] = scope.mapping
    return urlencode(params)


@require_GET
def dashboard(request: HttpRequest, board: str = "en-ingang") -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    _require_access(request)
    chosen = _board(board)
    form, result = _dashboard_for(request, chosen)
    period, scope = form.resolved()
    query = _query(period, scope)
    # An unusable query: the form with its reasons beside the fields (and this month's
    # figures below it), answered 400 so no one takes it for the period asked for.
    return render(
        request,
        "followup/dashboard.html",
        {
            "form": form,
            "board": chosen,
            "boards": list(_boards().values()),
            "dashboard": result,
            "query": query,
            "previous_query": _query(shift(period, -1), scope),
            "next_query": _query(shift(period, 1), scope),
            "mapping_label": selectors.MAPPING_LABELS[scope.mapping],
        },
        status=400 if form.problems() else 200,
    )


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
}


def _download(content: bytes, export_format: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _download_source(
    request: HttpRequest, board: str
) -> tuple[DashboardForm, Dashboard] | HttpResponse:
    """The board's query and figures a download is made from, or the 400 for an unusable query."""
    _require_access(request)
    chosen = _board(board)
    form = _query_form(request, chosen)
    if refused := _unusable_query(form):
        return refused
    return _dashboard_for(request, chosen, form)


@require_GET
def export_dashboard(request: HttpRequest, board: str, export_format: str) -> HttpResponse:
    source = _download_source(request, board)
    if isinstance(source, HttpResponse):
        return source
    form, result = source
    if export_format == "csv":
        content = exports.dashboard_csv(result, style=form.csv_style())
    elif export_format == "xlsx":
        content = exports.xlsx(result)
    elif export_format == "json":
        content = json.dumps(exports.as_json(result), ensure_ascii=False, indent=2).encode()
    elif export_format == "pdf":
        content = exports.pdf([result])
    else:
        raise Http404
    export_record(actor=request.user, board=board, export_format=export_format, dashboard=result)
    return _download(
        content, export_format, f"uppfoljning-{board}-{result.period.slug}.{export_format}"
    )


@require_GET
def export_table(request: HttpRequest, board: str, slug: str, export_format: str) -> HttpResponse:
    source = _download_source(request, board)
    if isinstance(source, HttpResponse):
        return source
    form, result = source
    try:
        table = result.table(slug)
    except KeyError:
        raise Http404 from None
    if export_format == "csv":
        content = exports.table_csv(table, form.csv_style())
    elif export_format == "xlsx":
        content = exports.xlsx(result, [table])
    else:
        raise Http404
    export_record(
        actor=request.user,
        board=board,
        export_format=export_format,
        dashboard=result,
        table=slug,
    )
    return _download(content, export_format, f"{board}-{slug}-{result.period.slug}.{export_format}")


def _open_data(request: HttpRequest) -> Any:
    return open_statistics(now=timezone.now())


@require_GET
def open_data_page(request: HttpRequest) -> HttpResponse:
    return render(request, "followup/open_data.html", {"data": _open_data(request)})


@require_GET
def open_data_download(request: HttpRequest, export_format: str) -> HttpResponse:
    data = _open_data(request)
    if export_format == "csv":
        form = QueryForm(_query_string(request))
        if refused := _unusable_query(form):
            return refused
        return _download(as_csv(data, form.csv_style()), "csv", "oppna-data-en-ingang.csv")
    if export_format == "json":
        body = json.dumps(as_json(data), ensure_ascii=False, indent=2).encode()
        response = HttpResponse(body, content_type=CONTENT_TYPES["json"])
        response["Access-Control-Allow-Origin"] = "*"
        return response
    raise Http404
