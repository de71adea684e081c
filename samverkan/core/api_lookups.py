"""What an API body names by code, looked up the same way in every app's API.

An unknown code is invalid input of the field that named it (a 422 with the
field), never a 404: the record the request is about exists; the body is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from pydantic import Field

from samverkan.core.errors import InvalidInput
from samverkan.registry.models import Organisation

# The id of a stored record as a body names it: within a BigAutoField's range, so a
# larger number is the field's 422 and not an overflow in the database driver (a
# list of ids is looked up with `pk__in`, which Django does not guard as it does `pk=`).
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def organisation_in_body(code: str, field: str) -> Organisation:
    found = Organisation.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(field, f"Okänd organisation i {field}: {code!r}.")
    return found


def organisations_in_body(codes: Sequence[str], field: str) -> list[Organisation]:
    """Every organisation named; the unknown codes, sorted, in one message."""
    found = list(Organisation.objects.filter(code__in=codes))
    missing = set(codes) - {o.code for o in found}
    if missing:
        raise InvalidInput(field, f"Okänd organisation i {field}: {', '.join(sorted(missing))}.")
    return found
