"""Forms of the collaboration pages. They check shape; the services decide and say no in Swedish."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.collaboration.models import (
    ActivityStatus,
    DecisionStatus,
    Forum,
    ForumKind,
    Function,
    IndicatorKind,
    MeetingDecision,
    MeetingStatus,
    QuestionType,
    ReportFollowed,
    TargetGroup,
)
from samverkan.core.calendar import local_date
from samverkan.registry.models import Organisation, OrganisationKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CONFIRM_LABEL = _(
    "Jag har kontrollerat texten: orden som markerats är inte namn på enskilda personer."
)


def today() -> date:
    return local_date(timezone.now())


def _organisation_choices(queryset: Any) -> list[tuple[str, str]]:
    return [("", "—")] + [(str(o.pk), o.name) for o in queryset]


class PartiesForm(forms.Form):
    """Choose the district and the police unit among the user's co-locations."""

    def __init__(
        self, *args: Any, districts: Any = (), police_units: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = forms.ChoiceField(
            label=_("Stadsdelsområde"), choices=_organisation_choices(districts)
        )
        self.fields["police_unit"] = forms.ChoiceField(
            label=_("Polisens kontor"), choices=_organisation_choices(police_units)
        )
        self.order_fields(["district", "police_unit"])


class ConsultationForm(PartiesForm):
    held_on = forms.DateField(label=_("Datum"), widget=DATE, initial=today)
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
        label=_("Datum för anmälan (frivilligt)"), required=False, widget=DATE
    )
    confirm_no_personal_data = forms.BooleanField(label=CONFIRM_LABEL, required=False)


class TrainingForm(PartiesForm):
    held_on = forms.DateField(label=_("Datum"), widget=DATE, initial=today)
    topic = forms.CharField(label=_("Ämne"), max_length=300)
    participants = forms.IntegerField(label=_("Antal deltagare"), min_value=1)


class DistrictForm(forms.Form):
    """A record owned by one of the districts the coordinator works for."""

    def __init__(self, *args: Any, districts: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = forms.ChoiceField(
            label=_("Stadsdelsområde"), choices=_organisation_choices(districts)
        )
        self.order_fields(["district", *[n for n in self.fields if n != "district"]])


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
    valid_from = forms.DateField(label=_("Från och med"), widget=DATE, initial=today)
    valid_to = forms.DateField(label=_("Till och med (frivilligt)"), required=False, widget=DATE)
    note = forms.CharField(label=_("Anteckning (frivilligt)"), required=False, max_length=300)

    def __init__(self, *args: Any, police_units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["police_unit"]).choices = _organisation_choices(
            police_units
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Slutdatum kan inte vara före startdatum."))
        return cleaned


class ForumSettingsForm(forms.Form):
    """What a coordinator may change on a forum after it was created."""

    name = forms.CharField(label=_("Namn"), max_length=200)
    required_per_term = forms.IntegerField(
        label=_("Möten per termin (krav)"), min_value=1, max_value=30, initial=3
    )
    required_functions = forms.MultipleChoiceField(
        label=_("Funktioner som ska delta"),
        choices=Function.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    parties = forms.MultipleChoiceField(
        label=_("Parter"),
        help_text=_("Ert stadsdelsområde är alltid part."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label=_("Syfte (frivilligt)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, parties: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["parties"]).choices = [
            (str(o.pk), o.name) for o in parties
        ]


class ForumForm(DistrictForm, ForumSettingsForm):
    kind = forms.ChoiceField(
        label=_("Slag"),
        choices=ForumKind.choices,
        help_text=_(
            "I ett forum för generella frågor tas inga individärenden upp; protokollet "
            "tar inte emot personnummer."
        ),
        widget=forms.RadioSelect,
    )
    field_order = ["district", "name", "kind"]


class CoLocationChangeForm(forms.Form):
    weekdays = CoLocationForm.base_fields["weekdays"]
    effective_from = forms.DateField(
        label=_("Ändringen gäller från och med"),
        widget=DATE,
        initial=today,
        help_text=_("Dagarna före detta datum står kvar som de var i kalendern."),
    )
    valid_to = forms.DateField(
        label=_("Sista dag på plats (frivilligt)"),
        required=False,
        widget=DATE,
        help_text=_("Fyll i för att avsluta samlokaliseringen."),
    )


class MeetingForm(forms.Form):
    """A meeting with attendance by function, minutes, new decisions and follow-up of open ones."""

    NEW_DECISIONS = 3

    held_on = forms.DateField(label=_("Datum"), widget=DATE, initial=today)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=MeetingStatus.choices,
        initial=MeetingStatus.HELD,
        widget=forms.RadioSelect,
    )
    agenda = forms.CharField(
        label=_("Dagordning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    functions_present = forms.MultipleChoiceField(
        label=_("Närvarande funktioner"),
        choices=Function.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(
        label=_("Protokoll"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(
        self, *args: Any, forum: Forum, open_decisions: list[MeetingDecision], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.forum = forum
        self.open_decisions = open_decisions
        required = list(forum.required_functions)
        cast(forms.ChoiceField, self.fields["functions_present"]).choices = [
            (code, f"{label} ({_('krav')})" if code in required else label)
            for code, label in Function.choices
        ]
        if forum.is_general:
            self.fields["minutes"].help_text = _(
                "Generella frågor: inga individärenden. Personnummer och samordningsnummer "
                "godtas inte; namn på personer ger en varning."
            )
            self.fields["agenda"].help_text = self.fields["minutes"].help_text
        owners = Organisation.objects.filter(
            pk__in=[forum.district_id, *forum.parties.values_list("id", flat=True)]
        ).order_by("name")
        owner_choices = _organisation_choices(owners)
        for index in range(1, self.NEW_DECISIONS + 1):
            self.fields[f"decision_{index}_text"] = forms.CharField(
                label=_("Beslut %(n)s") % {"n": index},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"decision_{index}_owner"] = forms.ChoiceField(
                label=_("Ansvarig organisation"), choices=owner_choices, required=False
            )
            self.fields[f"decision_{index}_due"] = forms.DateField(
                label=_("Klart senast"), required=False, widget=DATE
            )
        for decision in open_decisions:
            self.fields[f"followup_{decision.pk}_status"] = forms.ChoiceField(
                label=_("Status"), choices=DecisionStatus.choices, initial=decision.status
            )
            self.fields[f"followup_{decision.pk}_note"] = forms.CharField(
                label=_("Kommentar"), required=False, max_length=1000
            )
        if forum.is_general:
            self.fields["confirm_no_personal_data"] = forms.BooleanField(
                label=CONFIRM_LABEL, required=False
            )

    def decision_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"decision_{i}_text"], self[f"decision_{i}_owner"], self[f"decision_{i}_due"])
            for i in range(1, self.NEW_DECISIONS + 1)
        ]

    def follow_up_rows(self) -> list[tuple[MeetingDecision, Any, Any]]:
        return [
            (d, self[f"followup_{d.pk}_status"], self[f"followup_{d.pk}_note"])
            for d in self.open_decisions
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for index in range(1, self.NEW_DECISIONS + 1):
            text = (cleaned.get(f"decision_{index}_text") or "").strip()
            if text and not cleaned.get(f"decision_{index}_owner"):
                self.add_error(f"decision_{index}_owner", _("Välj ansvarig organisation."))
            if text and not cleaned.get(f"decision_{index}_due"):
                self.add_error(f"decision_{index}_due", _("Ange när beslutet ska vara klart."))
        return cleaned


class SeriousTalkForm(PartiesForm):
    held_on = forms.DateField(label=_("Datum"), widget=DATE, initial=today)
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


class PictureForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    period_start = forms.DateField(label=_("Period från"), widget=DATE)
    period_end = forms.DateField(label=_("Period till och med"), widget=DATE)


class ContributionForm(forms.Form):
    text = forms.CharField(
        label=_("Er lägesbeskrivning"),
        help_text=_("Utan personuppgifter: texten visas för alla parter."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ActionPlanForm(DistrictForm):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    period_start = forms.DateField(label=_("Gäller från"), widget=DATE)
    period_end = forms.DateField(label=_("Gäller till och med"), widget=DATE)
    situational_picture = forms.ChoiceField(label=_("Lägesbild (frivilligt)"), required=False)

    def __init__(self, *args: Any, pictures: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["situational_picture"]).choices = [("", "—")] + [
            (str(p.pk), f"{p.title} ({p.district.name})") for p in pictures
        ]

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
    due_date = forms.DateField(label=_("Klar senast"), widget=DATE)

    def __init__(self, *args: Any, owners: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = _organisation_choices(owners)


class ActivityUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    due_date = forms.DateField(label=_("Klar senast"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("Lägesrapport (frivilligt)"),
        help_text=_("Utan personuppgifter."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IndicatorForm(DistrictForm):
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
        cast(forms.ChoiceField, self.fields["forum"]).choices = [("", "—")] + [
            (str(f.pk), f.name) for f in forums
        ]
        cast(forms.ChoiceField, self.fields["agreement"]).choices = [("", "—")] + [
            (str(a.pk), a.title) for a in agreements
        ]

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


class SchoolReportForm(forms.Form):
    """A school's concern report about a pupil (SoL 19 kap. 1 §)."""

    person_id = forms.CharField(
        label=_("Elevens personnummer eller samordningsnummer"),
        help_text=_("10 eller 12 siffror. Lämna tomt om du inte har det och ange födelsedatum."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Elevens födelsedatum (om personnumret saknas)"), required=False, widget=DATE
    )
    registered_municipality = forms.ChoiceField(
        label=_("Kommun där eleven är folkbokförd"),
        help_text=_("Anmälan går till socialtjänsten där eleven är folkbokförd."),
    )
    registered_district = forms.ChoiceField(
        label=_("Stadsdelsområde där eleven är folkbokförd (bara Stockholms stad)"),
        required=False,
    )
    narrative = forms.CharField(
        label=_("Vad ger skolan anledning till oro?"),
        help_text=_("Beskriv vad ni sett och hört, när och hur ofta."),
        widget=forms.Textarea(attrs={"rows": 8}),
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
        municipalities = Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, county_code="01"
        ).order_by("name")
        cast(forms.ChoiceField, self.fields["registered_municipality"]).choices = [("", "—")] + [
            (m.code, m.name) for m in municipalities
        ]
        districts = (
            Organisation.objects.filter(kind=OrganisationKind.DISTRICT, parent__code="0180")
            .valid_on(local_date(timezone.now()))  # not the former districts (issue 10)
            .order_by("name")
        )
        cast(forms.ChoiceField, self.fields["registered_district"]).choices = [("", "—")] + [
            (self.district_name(d), d.name) for d in districts
        ]

    @staticmethod
    def district_name(district: Organisation) -> str:
        """The district's short name as the intake rules know it ("Farsta")."""
        return district.name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("person_id") and not cleaned.get("birth_date"):
            self.add_error("person_id", _("Ange personnummer eller födelsedatum."))
        return cleaned
