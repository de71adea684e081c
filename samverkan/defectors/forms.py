"""Forms for the defector pages: parse input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import (
    DateInput,
    ModelChoiceField,
    PersonalDataGuardForm,
    with_empty_choice,
)
from samverkan.defectors import rules
from samverkan.defectors.models import (
    INTERVENTION_KIND_CHOICES,
    LEGAL_BASIS_CHOICES,
    PRECONDITION_CHOICES,
    THREAT_CHOICES,
    CatalogueIntervention,
    InterventionStatus,
)
from samverkan.registry.models import Organisation, OrganisationKind


class AssignmentCreateForm(PersonalDataGuardForm):
    guarded_fields = ("person_alias", "summary")
    agreement = forms.TypedChoiceField(label=_("Avtal"), coerce=int)
    receiving_municipality = ModelChoiceField(
        label=_("Mottagande kommun"), queryset=Organisation.objects.none()
    )
    person_alias = forms.CharField(
        label=_("Fingerat namn eller kodbeteckning"),
        max_length=100,
        help_text=_("Skriv inget personnummer här."),
    )
    summary = forms.CharField(
        label=_("Bakgrund"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, agreements: list[Any], receivers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = [(a.pk, str(a)) for a in agreements]  # type: ignore[attr-defined]
        self.fields["receiving_municipality"].queryset = receivers  # type: ignore[attr-defined]


class AssignmentEditForm(AssignmentCreateForm):
    """A draft's receiver, alias and background; the agreement stays as it was made."""

    def __init__(self, *args: Any, receivers: Any, **kwargs: Any) -> None:
        super().__init__(*args, agreements=[], receivers=receivers, **kwargs)
        del self.fields["agreement"]


class PreconditionForm(PersonalDataGuardForm):
    guarded_fields = ("note",)
    kind = forms.TypedChoiceField(
        label=_("Förutsättning"), choices=PRECONDITION_CHOICES, coerce=rules.PreconditionKind
    )
    confirmed_on = forms.DateField(label=_("Datum"), widget=DateInput())
    police_unit = ModelChoiceField(
        label=_("Polisenhet (vid samråd med Polisen)"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.POLICE_UNIT),
        required=False,
    )
    police_unit_name = forms.CharField(
        label=_("Annan polisenhet (om den inte finns i listan)"), max_length=200, required=False
    )
    legal_basis = forms.ChoiceField(
        label=_("Laglig grund (vid utlämnande)"),
        choices=with_empty_choice(LEGAL_BASIS_CHOICES),
        required=False,
    )
    document = forms.FileField(label=_("Dokument (samtycke eller beslut)"), required=False)
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ThreatForm(PersonalDataGuardForm):
    guarded_fields = ("note",)
    assessed_on = forms.DateField(label=_("Bedömningsdatum"), widget=DateInput())
    level = forms.TypedChoiceField(
        label=_("Hotbild enligt Polisens BOPS"), choices=THREAT_CHOICES, coerce=rules.ThreatLevel
    )
    relocation_needed = forms.BooleanField(label=_("Behov av omlokalisering"), required=False)
    police_unit = ModelChoiceField(
        label=_("Polisenhet"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.POLICE_UNIT),
        required=False,
    )
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ChildrenTaskForm(PersonalDataGuardForm):
    guarded_fields = ("description",)
    description = forms.CharField(
        label=_("Vad har framkommit om barn?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ChildrenTaskCloseForm(PersonalDataGuardForm):
    guarded_fields = ("resolution",)
    resolution = forms.CharField(
        label=_("Hur har ansvaret fördelats?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsultationForm(PersonalDataGuardForm):
    guarded_fields, numbers_only_fields = ("notes", "decisions"), ("participants",)
    held_on = forms.DateField(label=_("Datum"), widget=DateInput())
    participants = forms.CharField(label=_("Deltagare"), widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(
        label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=_("Beslut"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanForm(PersonalDataGuardForm):
    guarded_fields = ("goals",)
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    goals = forms.CharField(
        label=_("Mål"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InterventionForm(PersonalDataGuardForm):
    guarded_fields = ("description",)
    kind = forms.TypedChoiceField(
        label=_("Slag av insats"),
        choices=INTERVENTION_KIND_CHOICES,
        coerce=rules.InterventionKind,
        help_text=rules.CATALOGUE_RULE_EXPLAINED,
    )
    catalogue_item = ModelChoiceField(
        label=_("Insats ur avtalets katalog"),
        queryset=CatalogueIntervention.objects.none(),
        required=False,
    )
    description = forms.CharField(
        label=_("Beskrivning (för insats utanför katalogen eller boendet)"),
        max_length=200,
        required=False,
    )

    def __init__(self, *args: Any, agreement: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agreement is not None:
            self.fields["catalogue_item"].queryset = CatalogueIntervention.objects.filter(  # type: ignore[attr-defined]
                agreement=agreement, is_active=True
            )


class DeclineInterventionForm(PersonalDataGuardForm):
    guarded_fields = ("reason",)
    reason = forms.CharField(
        label=_("Skäl"),
        initial=_("Kommunen erbjuder inte insatsen till andra med motsvarande behov."),
        max_length=500,
    )


class InterventionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (InterventionStatus.PLANNED.value, InterventionStatus.PLANNED.label),
            (InterventionStatus.ONGOING.value, InterventionStatus.ONGOING.label),
            (InterventionStatus.ENDED.value, InterventionStatus.ENDED.label),
        ],
    )


class CostForm(PersonalDataGuardForm):
    guarded_fields = ("note",)
    intervention = forms.TypedChoiceField(label=_("Insats"), coerce=int)
    incurred_on = forms.DateField(label=_("Datum"), widget=DateInput())
    amount = forms.CharField(
        label=_("Belopp (kr)"), max_length=20, help_text=_("Till exempel 12 500,00")
    )
    document = forms.FileField(label=_("Underlag"), required=False)
    note = forms.CharField(label=_("Anteckning"), max_length=300, required=False)

    def __init__(self, *args: Any, interventions: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intervention"].choices = [  # type: ignore[attr-defined]
            (i.pk, str(i)) for i in (interventions or [])
        ]


class ReasonForm(PersonalDataGuardForm):
    guarded_fields = ("reason",)
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(PersonalDataGuardForm):
    guarded_fields = ("intervention_status", "motivation", "threat", "next_step")
    numbers_only_fields = ("participants",)
    held_on = forms.DateField(label=_("Datum"), widget=DateInput())
    participants = forms.CharField(
        label=_("Deltagare"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    intervention_status = forms.CharField(
        label=_("Status för varje insats"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    motivation = forms.CharField(
        label=_("Motivation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    threat = forms.CharField(
        label=_("Hotbild"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_step = forms.CharField(
        label=_("Nästa steg"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReconciliationComputeForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=7, help_text=_("Till exempel 2024-H1 (januari–juni 2024)")
    )
    other_party = ModelChoiceField(label=_("Motpart"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, parties: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parties is not None:
            self.fields["other_party"].queryset = parties  # type: ignore[attr-defined]

    def clean_period(self) -> rules.Period:
        try:
            return rules.Period.parse(self.cleaned_data["period"].strip().upper())
        except ValueError as error:
            raise forms.ValidationError(_("Ange perioden som ÅÅÅÅ-H1 eller ÅÅÅÅ-H2.")) from error


class LessonForm(PersonalDataGuardForm):
    guarded_fields = ("text",)
    text = forms.CharField(label=_("Våra lärdomar"), widget=forms.Textarea(attrs={"rows": 4}))


class CatalogueItemForm(PersonalDataGuardForm):
    """Add an intervention (no item chosen) or rename / deactivate one; the code is made."""

    guarded_fields = ("name",)
    item = ModelChoiceField(
        label=_("Insats att ändra"),
        queryset=CatalogueIntervention.objects.none(),
        required=False,
        empty_label=_("(ny insats)"),
    )
    name = forms.CharField(label=_("Namn"), max_length=200)
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)

    def __init__(self, *args: Any, agreement: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agreement is not None:
            self.fields["item"].queryset = CatalogueIntervention.objects.filter(  # type: ignore[attr-defined]
                agreement=agreement
            )


class TermsForm(forms.Form):
    """The agreement's pilot caps and equalisation threshold (empty cap: no cap)."""

    pilot_max_sent = forms.IntegerField(
        label=_("Högst skickade uppdrag per part under piloten"), min_value=0, required=False
    )
    pilot_max_received = forms.IntegerField(
        label=_("Högst mottagna uppdrag per part under piloten"), min_value=0, required=False
    )
    pilot_until = forms.DateField(
        label=_("Pilotperiod till och med"), required=False, widget=DateInput()
    )
    materiality_threshold = forms.CharField(
        label=_("Väsentlighetsgräns (kr)"), max_length=20, help_text=_("Till exempel 10 000,00")
    )
