"""What the collaboration forms share.

Forms check shape; the services decide and say no in Swedish.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.collaboration.common.services import today
from samverkan.core.forms import with_empty_choice

CONFIRM_LABEL = _(
    "Jag har kontrollerat texten: orden som markerats är inte namn på enskilda personer."
)

__all__ = ["CONFIRM_LABEL", "DistrictForm", "PartiesForm", "organisation_choices", "today"]


def organisation_choices(queryset: Any) -> list[tuple[str, str]]:
    return with_empty_choice((str(o.pk), o.name) for o in queryset)


class PartiesForm(forms.Form):
    """Choose the district and the police unit among the user's co-locations."""

    def __init__(
        self, *args: Any, districts: Any = (), police_units: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = forms.ChoiceField(
            label=_("Stadsdelsområde"), choices=organisation_choices(districts)
        )
        self.fields["police_unit"] = forms.ChoiceField(
            label=_("Polisens kontor"), choices=organisation_choices(police_units)
        )
        self.order_fields(["district", "police_unit"])


class DistrictForm(forms.Form):
    """A record owned by one of the districts the coordinator works for."""

    def __init__(self, *args: Any, districts: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = forms.ChoiceField(
            label=_("Stadsdelsområde"), choices=organisation_choices(districts)
        )
        self.order_fields(["district", *[n for n in self.fields if n != "district"]])
