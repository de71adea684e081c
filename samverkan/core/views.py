from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samverkan.core.startpage import panels_for


@login_required
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "core/start.html", {"panels": panels_for(request.user)})  # type: ignore[arg-type]


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")
