"""Reading the API's one error shape in tests."""

from __future__ import annotations

from typing import Any


def error_text(response: Any) -> str:
    """Every `msg` of an API error answer, joined: what a client would show its user."""
    body = response.json()
    items = body["detail"]
    assert isinstance(items, list), f"not the API's error shape: {body!r}"
    return " ".join(item["msg"] for item in items)
