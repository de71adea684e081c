"""Field validators for the registry."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.se import orgnr

ORG_NUMBER_FORMAT = re.compile(r"^\d{6}-\d{4}$")


def is_valid_org_number(value: str) -> bool:
    """An organisationsnummer: digits 3–4 at least 20 and a Luhn check digit (stdnum).

    TODO: use `samverkan.core.identity.is_valid_org_number` once core-audit is merged;
    this small copy exists so the registry does not wait for it.
    """
    compacted = orgnr.compact(value)
    if not re.fullmatch(r"\d{10}", compacted) or int(compacted[2:4]) < 20:
        return False
    return bool(orgnr.is_valid(compacted))


def validate_org_number(value: str) -> None:
    """Stored as NNNNNN-NNNN with a valid check digit; blank is allowed by the field."""
    if not value:
        return
    if not ORG_NUMBER_FORMAT.match(value) or not is_valid_org_number(value):
        raise ValidationError(
            _("%(value)s är inget giltigt organisationsnummer (skriv NNNNNN-NNNN)."),
            code="invalid_org_number",
            params={"value": value},
        )
