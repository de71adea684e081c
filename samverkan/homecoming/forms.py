"""Forms of the homecoming pages. They check shape; the services decide and say no in Swedish."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import DateInput, PersonalDataGuardForm, with_empty_choice
from samverkan.homecoming import rules
from samverkan.homecoming.models import ActionStatus, RiskLevel, SharingBasis

if TYPE_CHECKING:  # a development dependency: only the type checker needs it
    from django_stubs_ext import StrOrPromise


def _choices(queryset: Any, empty: bool = True) -> list[tuple[str, str]]:
    rows = [(str(o.pk), o.name) for o in queryset]
    return with_empty_choice(rows) if empty else rows


# The plan names the young person in its own fields; its texts may name people but never
# hold an identity number (the one personal-data guard, core.personal_data).
HOMECOMING_TEXTS = ("concrete_risk", "risk_assessment", "basis_note")


def _concrete_risk(help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=_("Konkret risk för fortsatt brottslighet"),
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssessmentFields(PersonalDataGuardForm):
    numbers_only_fields = HOMECOMING_TEXTS
    sis_home = forms.CharField(label=_("SiS-hem"), max_length=200)
    expected_release = forms.DateField(label=_("Beräknad utskrivning"), widget=DateInput())
    risk_level = forms.ChoiceField(
        label=_("Risk för fortsatt brottslighet"),
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
    )
    concrete_risk = _concrete_risk(
        _("Krävs för delning enligt 10 kap. 18 a § OSL. Polisen ser denna text.")
    )
    risk_assessment = forms.CharField(
        label=_("Socialtjänstens riskbedömning (frivilligt)"),
        help_text=_("Polisen ser den bara med samtycke."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class BasisFields(PersonalDataGuardForm):
    numbers_only_fields = HOMECOMING_TEXTS
    sharing_basis = forms.ChoiceField(
        label=_("Grund för vad som delas med polisen"),
        choices=SharingBasis.choices,
        initial=SharingBasis.NONE,
        help_text=rules.basis_help_text(),
        widget=forms.RadioSelect,
    )
    basis_note = forms.CharField(
        label=_("Dokumentation av grunden"),
        help_text=_(
            "Vid samtycke: vem som samtyckt, när och till vad. Visas bara för socialtjänsten."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanForm(AssessmentFields, BasisFields):
    district = forms.ChoiceField(label=_("Ansvarigt stadsdelsområde"))
    person_id = forms.CharField(label=_("Den unges personnummer"), max_length=13)
    name = forms.CharField(label=_("Den unges namn"), max_length=200)
    police_unit = forms.ChoiceField(label=_("Polisen (lokalpolisområde)"))
    school = forms.ChoiceField(label=_("Skola (frivilligt)"), required=False)

    field_order = [
        "district",
        "person_id",
        "name",
        "sis_home",
        "expected_release",
        "police_unit",
        "school",
        "risk_level",
        "concrete_risk",
        "risk_assessment",
        "sharing_basis",
        "basis_note",
    ]

    def __init__(
        self,
        *args: Any,
        districts: Any = (),
        police_units: Any = (),
        schools: Any = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["district"]).choices = _choices(districts)
        cast(forms.ChoiceField, self.fields["police_unit"]).choices = _choices(police_units)
        cast(forms.ChoiceField, self.fields["school"]).choices = _choices(schools)


class AssessmentForm(AssessmentFields):
    pass


class BasisForm(BasisFields):
    concrete_risk = _concrete_risk(_("Krävs för 10 kap. 18 a § OSL. Polisen ser denna text."))
    # Shown only once the service has said what the police will no longer see.
    confirm_police_loss = forms.BooleanField(
        label=_("Jag har sett vad polisen inte längre kommer att se, och vill ändra grunden"),
        required=False,
        widget=forms.HiddenInput,
    )

    def add_error(self, field: str | None, error: Any) -> None:
        if field == "confirm_police_loss":
            self.fields[field].widget = forms.CheckboxInput()
        super().add_error(field, error)


class ActionForm(PersonalDataGuardForm):
    numbers_only_fields = ("text",)
    party = forms.ChoiceField(label=_("Part"))
    text = forms.CharField(label=_("Åtgärd"), widget=forms.Textarea(attrs={"rows": 3}))
    owner_name = forms.CharField(label=_("Ansvarig (namn eller funktion)"), max_length=200)
    due_date = forms.DateField(label=_("Klar senast"), widget=DateInput())

    def __init__(self, *args: Any, parties: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["party"]).choices = _choices(parties)


class ActionUpdateForm(PersonalDataGuardForm):
    numbers_only_fields = ("note",)
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Kommentar (frivilligt)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContactForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    name = forms.CharField(label=_("Namn"), max_length=200)
    title = forms.CharField(label=_("Funktion"), max_length=200)
    phone = forms.CharField(label=_("Telefon (frivilligt)"), max_length=30, required=False)

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = _choices(organisations)


class ReturnForm(forms.Form):
    released_on = forms.DateField(label=_("Kom hem den"), widget=DateInput())


class FollowUpForm(PersonalDataGuardForm):
    numbers_only_fields = ("text",)
    held_on = forms.DateField(label=_("Datum"), widget=DateInput())
    text = forms.CharField(label=_("Uppföljning"), widget=forms.Textarea(attrs={"rows": 4}))
