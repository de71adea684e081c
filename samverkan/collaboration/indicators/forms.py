"""Forms of result indicators.

They check shape; the services decide and say no in Swedish.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.collaboration.common.forms import DistrictForm
from samverkan.collaboration.models import IndicatorKind
from samverkan.core.forms import PersonalDataGuardForm, with_empty_choice


class IndicatorForm(PersonalDataGuardForm, DistrictForm):
    guarded_fields = ("description",)
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Beräkning"),
        choices=IndicatorKind.choices,
        help_text=_("Räknas fram ur uppgifterna, eller anges för hand med källa varje termin."),
    )
    forum = forms.ChoiceField(label=_("Forum"), required=False)
    agreement = forms.ChoiceField(
        label=_("Avtal"), required=False, help_text=_("Välj forum eller avtal.")
    )
    unit = forms.CharField(
        label=_("Enhet (frivilligt)"),
        help_text=_("Till exempel procent, dagar eller antal."),
        required=False,
        max_length=20,
    )
    higher_is_better = forms.BooleanField(
        label=_("Högre värde är bättre"), required=False, initial=True
    )
    description = forms.CharField(
        label=_("Beskrivning (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, forums: Any = (), agreements: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["forum"]).choices = with_empty_choice(
            (str(f.pk), f.name) for f in forums
        )
        cast(forms.ChoiceField, self.fields["agreement"]).choices = with_empty_choice(
            (str(a.pk), a.title) for a in agreements
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("forum") and not cleaned.get("agreement"):
            self.add_error("forum", _("Välj forumet eller avtalet som indikatorn gäller."))
        return cleaned


class IndicatorValueForm(forms.Form):
    term = forms.CharField(
        label=_("Termin"), help_text=_("Till exempel 2026-HT eller 2026-VT."), max_length=7
    )
    value = forms.DecimalField(label=_("Värde"), max_digits=12, decimal_places=2)
    source = forms.CharField(
        label=_("Källa"), help_text=_("Var värdet kommer ifrån."), max_length=300
    )
