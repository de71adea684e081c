"""Field validators for the registry."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.core.identity import is_valid_org_number

# Stored in one form, NNNNNN-NNNN, so lists and documents show it alike.
ORG_NUMBER_FORMAT = re.compile(r"^\d{6}-\d{4}$")


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
