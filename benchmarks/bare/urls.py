"""One route, one view: the same work as `samverkan.benchmarking.views.floor`."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone

from benchmarks.bare.models import ApiClient, FloorRow


def floor(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    digest = hashlib.sha256(token.strip().encode()).hexdigest()
    client = (
        ApiClient.objects.select_related("organisation")
        .filter(token_hash=digest, is_active=True)
        .first()
        if scheme.lower() == "bearer"
        else None
    )
    if client is None or not hmac.compare_digest(client.token_hash, digest):
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


# The app's floor path, so that both answer the same request.
urlpatterns = [path("api/v1/benchmark/floor", floor)]
