"""Sending a JSON body to the API from a test client."""

from __future__ import annotations

from typing import Any


def send_json(client: Any, url: str, payload: Any, method: str = "post") -> Any:
    """A request with `payload` as its JSON body (the test client encodes it)."""
    return getattr(client, method)(url, payload, content_type="application/json")
