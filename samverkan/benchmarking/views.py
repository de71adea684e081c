"""The benchmark's floor endpoint (issue 8): the least a real intake must do.

Mounted by `samverkan/urls.py` only when `settings.BENCHMARK` is on (the
benchmarking app installed), which production settings never allow. It
authenticates the same bearer token the same way as the API
(`client_for_token`), inserts the posted payload as one row, commits and
answers 201 — no validation, no rules, no audit entry. `make bench` compares
`POST /api/v1/reports` with it side by side.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from samverkan.accounts.api_auth import client_for_token
from samverkan.benchmarking.models import FloorRow


@csrf_exempt
@require_POST
def floor(request: HttpRequest) -> HttpResponse:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    client = client_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if client is None:
        return JsonResponse({"detail": "Unauthorized"}, status=401)
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse({"detail": "invalid JSON"}, status=422)
    with transaction.atomic():
        row = FloorRow.objects.create(
            received_at=timezone.now(), api_client=client, payload=payload
        )
    return JsonResponse({"id": row.pk}, status=201)


# Any: samverkan/urls.py appends these to a list of include()s (URLResolvers).
# Under the API's path, so that it takes the way a police system's call takes
# (core/token_api.py) and is measured beside the intake on equal terms.
floor_urlpatterns: list[Any] = [
    path(f"{settings.API_PATH}benchmark/floor", floor, name="benchmark_floor")
]
