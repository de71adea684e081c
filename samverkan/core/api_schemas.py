"""Input-schema pieces that many apps' APIs repeat, made once."""

from __future__ import annotations

from typing import ClassVar, Self

from ninja import Field, Schema
from pydantic import model_validator

from samverkan.core.personal_data import NamePolicy, guard_text, guarded


class PersonalDataGuardedSchema(Schema):
    """An input schema whose `guarded_fields` go through the one personal-data guard
    (`core.personal_data`), as the pages' `core.forms.PersonalDataGuardForm` does.

    An identity number answers 422 on its field. A number with a wrong check digit, or
    a name, answers 422 until the client sends ``confirmed_no_personal_data: true``.
    The guard's `PersonalDataFound` is a `core.errors.InvalidInput`, which pydantic lets
    through and the API's one handler answers in the one error shape.
    """

    guarded_fields: ClassVar[tuple[str, ...]] = ()
    numbers_only_fields: ClassVar[tuple[str, ...]] = ()  # names belong there, numbers never
    guard_names: ClassVar[NamePolicy] = "warn"

    # Not part of the payload's data (`model_dump`): handlers that pass `payload.dict()` on
    # to a service keep working.
    confirmed_no_personal_data: bool = Field(
        False, exclude=True, description="Texten är kontrollerad: den saknar personuppgifter."
    )

    @model_validator(mode="after")
    def _guard_personal_data(self) -> Self:
        confirmed = self.confirmed_no_personal_data
        for name, names in guarded(self.guarded_fields, self.numbers_only_fields, self.guard_names):
            value = getattr(self, name, None)  # a shared list may name fields it lacks
            if isinstance(value, str) and value:
                guard_text(name, value, confirmed=confirmed, names=names)
        return self
