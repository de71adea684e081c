"""Form pieces that many apps' forms repeat, made once."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A date field shown as the browser's date picker.

    The picker reads and writes ISO dates (`2025-03-01`), so the value is always
    rendered in that form, whatever the active language's date format.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
