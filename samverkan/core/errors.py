"""The one family of errors a service raises when it refuses, shared by every app.

Each error carries a Swedish `message` for the person acting and the HTTP
status it answers with, so that pages (`core.views_support.form_action`) and
the API (the exception handler in `samverkan.api`) answer a refusal the same
way whichever app raised it:

- `NotFound` (404): the record does not exist, or is not visible to the actor —
  the two are never told apart, so a refusal does not reveal that a record exists.
- `NotAllowed` (403): the actor may see the record but not do this to it.
- `InvalidInput` (422): the input is wrong; `field` names the form or schema
  field it concerns (None for the whole input), `field_errors` holds several.
- `Conflict` (409): someone else changed the record first, or the action no
  longer fits its state; acting again on fresh data may succeed.

An app may subclass these for a refusal that needs more (e.g. a text holding
personal data that the writer may confirm) but never defines its own base.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar


class ServiceError(Exception):
    """A refusal with a Swedish message for the person acting."""

    status_code: ClassVar[int] = 400
    kind: ClassVar[str] = "invalid"
    default_message: ClassVar[str] = "Begäran avvisades."

    def __init__(self, message: str | None = None) -> None:
        self.message = str(message) if message else self.default_message
        super().__init__(self.message)

    def as_items(self) -> list[dict[str, Any]]:
        """The error as the API's items: `{type, loc, msg}` (see `samverkan.api`)."""
        return [{"type": self.kind, "loc": [], "msg": self.message}]


class NotFound(ServiceError):
    status_code = 404
    kind = "not_found"
    default_message = "Finns inte, eller så har du inte behörighet att se det."


class NotAllowed(ServiceError):
    status_code = 403
    kind = "forbidden"
    default_message = "Du har inte behörighet att göra detta."


class Conflict(ServiceError):
    status_code = 409
    kind = "conflict"
    default_message = "Någon annan hann ändra detta först. Ladda om sidan och försök igen."


class InvalidInput(ServiceError):
    status_code = 422
    kind = "invalid"
    default_message = "Uppgifterna är inte giltiga."

    def __init__(
        self,
        field: str | None,
        message: str | None = None,
        *,
        field_errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message or _first(field_errors))
        self.field = field
        self.field_errors: dict[str, list[str]] = (
            {name: [str(m) for m in texts] for name, texts in field_errors.items()}
            if field_errors
            else {field or "__all__": [self.message]}
        )

    @property
    def messages(self) -> list[str]:
        return [message for texts in self.field_errors.values() for message in texts]

    def as_items(self) -> list[dict[str, Any]]:
        return [
            {
                "type": self.kind,
                "loc": ["body", "payload", name] if name != "__all__" else [],
                "msg": message,
            }
            for name, texts in self.field_errors.items()
            for message in texts
        ]


def _first(field_errors: Mapping[str, Sequence[str]] | None) -> str | None:
    for texts in (field_errors or {}).values():
        for message in texts:
            return str(message)
    return None
