"""Forms of co-location, consultations, trainings and serious talks.

They check shape; the services decide and say no in Swedish.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.collaboration.common.forms import (
    CONFIRM_LABEL,
    DistrictForm,
    PartiesForm,
    organisation_choices,
    today,
)
from samverkan.collaboration.models import QuestionType, ReportFollowed
from samverkan.core.forms import DateInput, PersonalDataGuardForm


class ConsultationForm(PartiesForm):
    held_on = forms.DateField(label=_("Datum"), widget=DateInput(), initial=today)
    question_type = forms.ChoiceField(label=_("Typ av fråga"), choices=QuestionType.choices)
    question = forms.CharField(
        label=_("Frågan"),
        help_text=_(
            "Utan personuppgifter: inga namn eller personnummer. Skriv till exempel "
            "”flicka, 14 år, skolk och nya kontakter”."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    advice = forms.CharField(
        label=_("Råd som gavs"),
        help_text=_("Utan personuppgifter."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    report_followed = forms.ChoiceField(
        label=_("Gjordes en orosanmälan?"),
        choices=ReportFollowed.choices,
        initial=ReportFollowed.UNKNOWN,
        widget=forms.RadioSelect,
    )
    report_filed_on = forms.DateField(
        label=_("Datum för anmälan (frivilligt)"), required=False, widget=DateInput()
    )
    confirm_no_personal_data = forms.BooleanField(label=CONFIRM_LABEL, required=False)


class TrainingForm(PartiesForm):
    held_on = forms.DateField(label=_("Datum"), widget=DateInput(), initial=today)
    topic = forms.CharField(label=_("Ämne"), max_length=300)
    participants = forms.IntegerField(label=_("Antal deltagare"), min_value=1)


WEEKDAYS = [
    ("0", _("måndag")),
    ("1", _("tisdag")),
    ("2", _("onsdag")),
    ("3", _("torsdag")),
    ("4", _("fredag")),
]


class CoLocationForm(DistrictForm):
    police_unit = forms.ChoiceField(label=_("Polisens kontor"))
    social_worker = forms.CharField(label=_("Socialsekreterare"), max_length=200)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Dagar på plats hos polisen"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en veckodag.")},
    )
    valid_from = forms.DateField(label=_("Från och med"), widget=DateInput(), initial=today)
    valid_to = forms.DateField(
        label=_("Till och med (frivilligt)"), required=False, widget=DateInput()
    )
    note = forms.CharField(label=_("Anteckning (frivilligt)"), required=False, max_length=300)

    def __init__(self, *args: Any, police_units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["police_unit"]).choices = organisation_choices(
            police_units
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Slutdatum kan inte vara före startdatum."))
        return cleaned


class CoLocationChangeForm(forms.Form):
    weekdays = CoLocationForm.base_fields["weekdays"]
    effective_from = forms.DateField(
        label=_("Ändringen gäller från och med"),
        widget=DateInput(),
        initial=today,
        help_text=_("Dagarna före detta datum står kvar som de var i kalendern."),
    )
    valid_to = forms.DateField(
        label=_("Sista dag på plats (frivilligt)"),
        required=False,
        widget=DateInput(),
        help_text=_("Fyll i för att avsluta samlokaliseringen."),
    )


class SeriousTalkForm(PersonalDataGuardForm, PartiesForm):
    numbers_only_fields = ("follow_up",)  # the young person's number has its field
    held_on = forms.DateField(label=_("Datum"), widget=DateInput(), initial=today)
    person_id = forms.CharField(
        label=_("Den unges personnummer"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    social_worker = forms.CharField(label=_("Socialsekreterare"), max_length=200)
    police_officer = forms.CharField(label=_("Polis"), max_length=200)
    guardians_present = forms.BooleanField(
        label=_("Vårdnadshavare deltog"), required=False, initial=True
    )
    plan_agreed = forms.BooleanField(label=_("En plan upprättades"), required=False)
    follow_up = forms.CharField(
        label=_("Överenskommen uppföljning (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
