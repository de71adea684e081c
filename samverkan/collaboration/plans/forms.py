"""Forms of situational pictures and action plans.

They check shape; the services decide and say no in Swedish.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.collaboration.common.forms import DistrictForm, organisation_choices
from samverkan.collaboration.models import ActivityStatus, TargetGroup
from samverkan.core.forms import DateInput, with_empty_choice


class PictureForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    period_start = forms.DateField(label=_("Period från"), widget=DateInput())
    period_end = forms.DateField(label=_("Period till och med"), widget=DateInput())


class ContributionForm(forms.Form):
    text = forms.CharField(
        label=_("Er lägesbeskrivning"),
        help_text=_("Utan personuppgifter: texten visas för alla parter."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ActionPlanForm(DistrictForm):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    period_start = forms.DateField(label=_("Gäller från"), widget=DateInput())
    period_end = forms.DateField(label=_("Gäller till och med"), widget=DateInput())
    situational_picture = forms.ChoiceField(label=_("Lägesbild (frivilligt)"), required=False)

    def __init__(self, *args: Any, pictures: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["situational_picture"]).choices = with_empty_choice(
            (str(p.pk), f"{p.title} ({p.district.name})") for p in pictures
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Planens slut kan inte vara före dess början."))
        return cleaned


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Aktivitet"), max_length=300)
    owner = forms.ChoiceField(label=_("Ansvarig aktör"))
    target_group = forms.ChoiceField(label=_("Målgrupp"), choices=TargetGroup.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.PLANNED
    )
    due_date = forms.DateField(label=_("Klar senast"), widget=DateInput())

    def __init__(self, *args: Any, owners: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = organisation_choices(owners)


class ActivityUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    due_date = forms.DateField(label=_("Klar senast"), widget=DateInput(), required=False)
    note = forms.CharField(
        label=_("Lägesrapport (frivilligt)"),
        help_text=_("Utan personuppgifter."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
