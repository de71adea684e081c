"""Posting a form in tests the way a user meets a refusal."""

from __future__ import annotations

from typing import Any


def page_after_refusal(client: Any, url: str, data: dict[str, Any]) -> str:
    """Post a form that is refused: the form page comes back (not a redirect); its text,
    where the test looks for the Swedish message and the kept input."""
    response = client.post(url, data)
    assert response.status_code == 200
    return str(response.content.decode())
