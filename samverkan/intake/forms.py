"""Forms of the intake pages. They check shape only; the services decide and say no in Swedish."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.calendar import local_date
from samverkan.core.forms import DateInput, PersonalDataGuardForm
from samverkan.intake import limits
from samverkan.intake.models import InformationRequest, PreliminaryDecision, SourceChannel
from samverkan.intake.services import ReportInput
from samverkan.intake.ui_support import (
    MunicipalityOption,
    district_options,
    municipality_code,
    municipality_options,
    person_id_check,
)
from samverkan.registry.reference_data import STOCKHOLM_CODE

if TYPE_CHECKING:  # a development dependency: only the type checker needs it
    from django_stubs_ext import StrOrPromise

YES_NO = [("yes", _("Ja")), ("no", _("Nej"))]

# An identity number: the digit keypad on phones, and no browser autofill of someone else's.
PERSON_ID_INPUT = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


def _municipality_field(
    label: StrOrPromise, help_text: StrOrPromise, *, required: bool = True
) -> forms.CharField:
    """A municipality typed by name or code, suggested from the page's `municipality-list`."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "municipality-list", "autocomplete": "off"}),
    )


def free_text(
    label: StrOrPromise,
    limit: int,
    *,
    rows: int,
    required: bool = False,
    help_text: StrOrPromise = "",
) -> forms.CharField:
    """A free-text field with its limit stated: the help says it, the browser's
    ``maxlength`` holds it, and more is refused in Swedish (`limits`)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=f"{help_text} {limits.limit_text(limit)}".strip(),
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": _("Får vara högst %(limit_value)s tecken lång (nu %(show_value)s).")
        },
    )


def _clean_municipality(value: str, options: list[MunicipalityOption]) -> str:
    """The code of the municipality typed, or the form error saying none is called so."""
    code = municipality_code(value, options)
    if code is None:
        raise forms.ValidationError(
            _("Hittar ingen kommun som heter ”%(value)s”. Välj i listan eller skriv koden."),
            params={"value": value},
        )
    return code


def _district_choices(empty_label: StrOrPromise) -> list[tuple[str, StrOrPromise]]:
    """Stockholm's districts, after a first choice for none."""
    return [("", empty_label), *district_options()]


class RegistrationForm(PersonalDataGuardForm):
    numbers_only_fields = ("risk_information", "narrative")  # the child's number has a field
    """The hub's registration of a police report taken by phone (SPEC §4.1)."""

    person_id = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        help_text=_("10 eller 12 siffror. Lämna tomt om identiteten är okänd."),
        required=False,
        max_length=20,
        widget=PERSON_ID_INPUT,
    )
    birth_date = forms.DateField(
        label=_("Uppskattat födelsedatum (om identiteten är okänd)"),
        help_text=_("ÅÅÅÅ-MM-DD."),
        required=False,
        widget=DateInput(),
    )
    found_in = _municipality_field(
        _("Kommun där barnet påträffades"),
        _("Sök på namn eller kommunkod, t.ex. Solna eller 0184."),
    )
    home_municipality = _municipality_field(
        _("Bosättningskommun"),
        _("Namn eller kommunkod. Lämna tomt om den är okänd."),
        required=False,
    )
    home_district = forms.ChoiceField(
        label=_("Stadsdelsområde (bara för barn bosatta i Stockholm)"),
        required=False,
    )
    # The legal basis (SoL 10 kap. 1 a §): asked every time, never pre-ticked.
    gang_related = forms.TypedChoiceField(
        label=_("Risk i samband med gängrelaterad brottslighet"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Svara Ja eller Nej: finns risk i samband med gängrelaterad brottslighet?"
            )
        },
    )
    reporting_officer_name = forms.CharField(label=_("Anmälande polis, namn"), max_length=200)
    reporting_officer_unit = forms.CharField(
        label=_("Polisens enhet (frivilligt)"), max_length=200, required=False
    )
    reporting_officer_phone = forms.CharField(
        label=_("Polisens telefon (frivilligt)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    police_reference = forms.CharField(
        label=_("Polisens diarienummer/referens (frivilligt)"),
        help_text=_("Skickar polisen samma anmälan via API hittas den här, ingen ny skapas."),
        max_length=60,
        required=False,
    )
    risk_information = free_text(
        _("Riskinformation (gängtillhörighet, hot)"), limits.RISK_INFORMATION, rows=3
    )
    narrative = free_text(_("Händelsen"), limits.NARRATIVE, rows=4)
    wants_feedback = forms.BooleanField(
        label=_("Polisen vill veta om utredning inleds (återkoppling)"), required=False
    )
    submission = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        options: list[MunicipalityOption] | None = None,
        on: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.options = options if options is not None else municipality_options()
        self.on = on or local_date(timezone.now())
        cast(forms.ChoiceField, self.fields["home_district"]).choices = _district_choices(
            _("– inte Stockholm / okänt –")
        )

    def clean_person_id(self) -> str:
        value: str = self.cleaned_data.get("person_id", "").strip()
        check = person_id_check(value, on=self.on)
        if not check.ok:
            raise forms.ValidationError(check.message)
        return value

    def clean_birth_date(self) -> date | None:
        value: date | None = self.cleaned_data.get("birth_date")
        if value is not None and value > self.on:
            raise forms.ValidationError(
                _("Födelsedatumet ligger i framtiden. Kontrollera datumet.")
            )
        return value

    def _code(self, field: str, *, required: bool) -> str | None:
        value: str = self.cleaned_data.get(field, "").strip()
        if not value:
            return None
        return _clean_municipality(value, self.options)

    def clean_found_in(self) -> str | None:
        return self._code("found_in", required=True)

    def clean_home_municipality(self) -> str | None:
        return self._code("home_municipality", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("person_id") and not cleaned.get("birth_date"):
            if "person_id" not in self.errors and "birth_date" not in self.errors:
                self.add_error(
                    "birth_date",
                    _("Ange personnummer, samordningsnummer eller ett uppskattat födelsedatum."),
                )
        if cleaned.get("home_district") and cleaned.get("home_municipality") != STOCKHOLM_CODE:
            self.add_error(
                "home_district",
                _("Stadsdelsområde anges bara när bosättningskommunen är Stockholm (0180)."),
            )
        return cleaned

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            person_id=data.get("person_id") or None,
            birth_date=None if data.get("person_id") else data.get("birth_date"),
            found_in=data["found_in"],
            home_municipality=data.get("home_municipality") or None,
            home_district=data.get("home_district") or None,
            gang_related=data.get("gang_related") is True,
            reporting_officer_name=data.get("reporting_officer_name", ""),
            reporting_officer_unit=data.get("reporting_officer_unit", ""),
            reporting_officer_phone=data.get("reporting_officer_phone", ""),
            risk_information=data.get("risk_information", ""),
            narrative=data.get("narrative", ""),
            wants_feedback=bool(data.get("wants_feedback")),
            police_reference=data.get("police_reference", "").strip(),
            source_channel=SourceChannel.POLICE_PHONE,
        )


class DecisionPreviewForm(RegistrationForm):
    """The same fields while typing: only what the decision needs is required."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reporting_officer_name"].required = False
        self.fields["found_in"].required = False
        self.fields["gang_related"].required = False

    def clean(self) -> dict[str, Any]:
        # No "fill in identity or birth date" nagging while the worker is still typing.
        return self.cleaned_data


class ClarificationForm(PersonalDataGuardForm):
    numbers_only_fields = ("added",)
    contact = forms.CharField(label=_("Kontakt hos polisen (namn, enhet)"), max_length=200)
    added = free_text(_("Vad som tillfördes"), limits.CLARIFICATION, rows=3, required=True)


class HandoverAttemptForm(PersonalDataGuardForm):
    numbers_only_fields = ("note",)
    number_called = forms.CharField(
        label=_("Nummer som ringdes"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    reached = forms.ChoiceField(label=_("Nådde du fram?"), choices=YES_NO, widget=forms.RadioSelect)
    person_reached = forms.CharField(
        label=_("Namn på den du talade med"),
        help_text=_("Krävs om du nådde fram."),
        max_length=200,
        required=False,
    )
    note = free_text(_("Anteckning (frivilligt)"), limits.NOTE, rows=2)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reached") == "yes" and not cleaned.get("person_reached", "").strip():
            self.add_error("person_reached", _("Ange namnet på den som svarade."))
        return cleaned


class PhoneAcceptanceForm(forms.Form):
    receiver_name = forms.CharField(
        label=_("Namn på den som tog emot ärendet per telefon"), max_length=200
    )


class RerouteForm(forms.Form):
    home_municipality = _municipality_field(_("Rätt bosättningskommun"), _("Namn eller kommunkod."))
    home_district = forms.ChoiceField(label=_("Stadsdelsområde (bara Stockholm)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = municipality_options()
        cast(forms.ChoiceField, self.fields["home_district"]).choices = _district_choices(
            _("– inte Stockholm –")
        )

    def clean_home_municipality(self) -> str:
        return _clean_municipality(self.cleaned_data.get("home_municipality", ""), self.options)


class RejectForm(PersonalDataGuardForm):
    numbers_only_fields = ("reason",)
    reason = free_text(
        _("Varför hör anmälan inte till er?"),
        limits.REJECTION_REASON,
        rows=2,
        required=True,
        help_text=_(
            "T.ex. att barnet är folkbokfört i en annan kommun. Anmälan går tillbaka "
            "till Socialjouren som dirigerar om den."
        ),
    )


def _now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class ProtectionAssessmentForm(forms.Form):
    made_at = forms.DateTimeField(
        label=_("Skyddsbedömningen gjordes (datum och tid)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    immediate_protection_needed = forms.ChoiceField(
        label=_("Behövde barnet omedelbart skydd?"), choices=YES_NO, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("made_at", _now_local())

    @staticmethod
    def made_at_value(entered: datetime, received_at: datetime) -> datetime:
        """The time entered; the field has whole minutes, so the minute of receipt means
        "at receipt" rather than up to 59 seconds before it."""
        value = entered if timezone.is_aware(entered) else timezone.make_aware(entered)
        if value <= received_at < value + timedelta(minutes=1):
            return received_at
        return value


class PreliminaryAssessmentForm(PersonalDataGuardForm):
    numbers_only_fields = ("extension_reason",)
    decision = forms.ChoiceField(
        label=_("Beslut"), choices=PreliminaryDecision.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(
        label=_("Beslutsdatum"),
        widget=DateInput(),
    )
    extension_reason = free_text(
        _("Synnerliga skäl för förlängning"),
        limits.EXTENSION_REASON,
        rows=2,
        help_text=_("Krävs bara om beslutet fattas efter 14 dagar."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("decided_on", local_date(timezone.now()).isoformat())


class InformationRequestForm(PersonalDataGuardForm):
    numbers_only_fields = ("question",)
    kind = forms.ChoiceField(
        label=_("Frågan gäller"), choices=InformationRequest.Kind.choices, widget=forms.RadioSelect
    )
    question = free_text(_("Fråga till polisen"), limits.QUESTION, rows=3, required=True)


class InformationAnswerForm(PersonalDataGuardForm):
    numbers_only_fields = ("answer",)
    answer = free_text(_("Svar"), limits.ANSWER, rows=3, required=True)
