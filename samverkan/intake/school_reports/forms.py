"""The school's concern-report form. It checks shape; intake's services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.calendar import local_date
from samverkan.core.forms import DateInput, PersonalDataGuardForm, with_empty_choice
from samverkan.intake.forms import PERSON_ID_INPUT
from samverkan.intake.models import GangRisk
from samverkan.intake.school_reports import rules
from samverkan.registry.models import Organisation
from samverkan.registry.reference_data import STOCKHOLM_COUNTY
from samverkan.registry.selectors import municipalities, stockholm_districts


class SchoolReportForm(PersonalDataGuardForm):
    """A school's concern report about a pupil (SoL 19 kap. 1 §)."""

    numbers_only_fields = ("narrative",)  # the pupil's number has its own field

    person_id = forms.CharField(
        label=_("Elevens personnummer eller samordningsnummer"),
        help_text=_("10 eller 12 siffror. Lämna tomt om du inte har det och ange födelsedatum."),
        required=False,
        max_length=20,
        widget=PERSON_ID_INPUT,
    )
    birth_date = forms.DateField(
        label=_("Elevens födelsedatum (om personnumret saknas)"), required=False, widget=DateInput()
    )
    registered_municipality = forms.ChoiceField(
        label=_("Kommun där eleven är folkbokförd"),
        help_text=_("Anmälan går till socialtjänsten där eleven är folkbokförd."),
    )
    registered_district = forms.ChoiceField(
        label=_("Stadsdelsområde där eleven är folkbokförd (bara Stockholms stad)"),
        help_text=_(
            "Vet du inte? Välj ”Vet inte”: anmälan går då till Stockholms stads centrala "
            "mottagning, som lämnar den vidare."
        ),
        required=False,
    )
    narrative = forms.CharField(
        label=_("Vad ger skolan anledning till oro?"),
        help_text=_("Beskriv vad ni sett och hört, när och hur ofta."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Asked, never pre-ticked (as the police are asked); the school may not know.
    gang_risk = forms.ChoiceField(
        label=_("Finns risk i samband med gängrelaterad brottslighet?"),
        choices=[
            (value, label) for value, label in GangRisk.choices if value in rules.GANG_RISK_ANSWERS
        ],
        widget=forms.RadioSelect,
        error_messages={"required": rules.GANG_RISK_QUESTION},
    )
    reporter_name = forms.CharField(label=_("Ditt namn"), max_length=200)
    reporter_title = forms.CharField(
        label=_("Din befattning (frivilligt)"), max_length=100, required=False
    )
    reporter_phone = forms.CharField(
        label=_("Telefon där socialtjänsten når dig"), max_length=40, required=False
    )
    wants_feedback = forms.BooleanField(
        label=_("Skolan vill veta om en utredning inleds (SoL 19 kap. 6 §)"), required=False
    )
    submission = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_county = municipalities().filter(county_code=STOCKHOLM_COUNTY).order_by("name")
        cast(forms.ChoiceField, self.fields["registered_municipality"]).choices = with_empty_choice(
            (m.code, m.name) for m in in_county
        )
        # not the former districts (issue 10)
        districts = (
            Organisation.objects.valid_on(local_date(timezone.now()))
            .filter(pk__in=stockholm_districts())
            .order_by("name")
        )
        cast(forms.ChoiceField, self.fields["registered_district"]).choices = [
            ("", _("Vet inte / inte Stockholm"))
        ] + [(self.district_name(d), d.name) for d in districts]

    @staticmethod
    def report_fields(data: dict[str, Any]) -> dict[str, Any]:
        """The cleaned data as `SchoolReportInput` takes it (an empty choice is none)."""
        fields = {name: value for name, value in data.items() if name != "submission"}
        fields["person_id"] = data["person_id"] or None
        fields["registered_district"] = data["registered_district"] or None
        return fields

    @staticmethod
    def district_name(district: Organisation) -> str:
        """The district's short name as the intake rules know it ("Farsta")."""
        return district.name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("person_id") and not cleaned.get("birth_date"):
            self.add_error("person_id", _("Ange personnummer eller födelsedatum."))
        return cleaned
