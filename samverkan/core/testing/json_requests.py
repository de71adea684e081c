"""Sending a JSON body to the API from a test client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def send_json(
    client: Any,
    url: str,
    payload: Any,
    method: str = "post",
    *,
    headers: Mapping[str, str] | None = None,
) -> Any:
    """A request with `payload` as its JSON body (the test client encodes it).

    `headers` for a caller that is not the logged-in user (a bearer token).
    """
    return getattr(client, method)(url, payload, content_type="application/json", headers=headers)
