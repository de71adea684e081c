"""The period and scope switcher (a plain GET form: bookmarkable, works without JavaScript)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement, AgreementTypeCode
from samverkan.core.exports import CSV_STYLES, CsvStyle, csv_style
from samverkan.core.forms import DateInput, ModelChoiceField
from samverkan.followup.periods import (
    KINDS,
    InvalidPeriod,
    Period,
    custom_period,
    day_out_of_range,
    period_containing,
)
from samverkan.followup.selectors import MAPPING_LABELS, MAPPING_THEN, Scope
from samverkan.registry.models import Organisation, OrganisationKind

PERIOD_CHOICES = list(KINDS.items())
DEFAULT_KIND = "month"


class ReportingDateField(forms.DateField):
    """An ISO date on which follow-up can count (`periods.day_out_of_range`)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        problem = day_out_of_range(value) if value else None
        if problem is not None:
            raise forms.ValidationError(problem, code="out_of_range")


class QueryForm(forms.Form):
    """What every follow-up query may hold: the CSV style (`?stil=maskin`)."""

    stil = forms.ChoiceField(
        label=_("CSV-stil"),
        required=False,
        choices=[("", _("Kalkylprogram (semikolon, decimalkomma)"))]
        + [(name, name) for name in CSV_STYLES],
    )

    def csv_style(self) -> CsvStyle:
        return csv_style(self.cleaned_data.get("stil") if self.is_bound else None)

    def problems(self) -> list[str]:
        """The Swedish messages of a query the pages cannot use ([] when usable)."""
        if not self.is_bound or self.is_valid():
            return []
        return [
            f"{self.fields[name].label}: {message}" if name in self.fields else str(message)
            for name, messages in self.errors.items()
            for message in messages
        ]


class DashboardForm(QueryForm):
    """The period and scope of a follow-up page or export, read from its query string.

    Every follow-up page and download reads its query through this form: a value
    it cannot use (a date outside `periods.EARLIEST_DAY`–`LATEST_DAY`, an unknown
    organisation, text where a date belongs) makes the request a 400 with the
    form's Swedish messages (`followup.views`), never a guess or a server error.
    """

    # Optional: a link that names only a day or an organisation means this month's kind.
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, initial=DEFAULT_KIND, required=False
    )
    datum = ReportingDateField(
        label=_("Perioden som innehåller dagen"),
        required=False,
        widget=DateInput(),
        help_text=_("ÅÅÅÅ-MM-DD. Tomt: i dag."),
    )
    fran = ReportingDateField(
        label=_("Från och med (eget intervall)"), required=False, widget=DateInput()
    )
    till = ReportingDateField(
        label=_("Till och med (eget intervall)"), required=False, widget=DateInput()
    )
    organisation = ModelChoiceField(
        label=_("Kommun eller stadsdelsområde"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Alla kommuner"),
    )
    avtal = ModelChoiceField(
        label=_("Avtal"),
        queryset=Agreement.objects.none(),
        required=False,
        empty_label=_("Alla avtal"),
    )
    organisationer = forms.ChoiceField(
        label=_("Organisationsindelning"),
        choices=list(MAPPING_LABELS.items()),
        required=False,
        initial=MAPPING_THEN,
        help_text=_(
            "Sammanlagda eller delade organisationer: räkna som de var vid tidpunkten "
            "eller på den organisation som har tagit över."
        ),
    )

    def __init__(self, *args: Any, agreement_type: list[str], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.DISTRICT]
        ).order_by("kind", "name")
        self.fields["avtal"].queryset = Agreement.objects.filter(  # type: ignore[attr-defined]
            type__code__in=agreement_type
        ).order_by("title")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organisation") and data.get("avtal"):
            raise forms.ValidationError(_("Välj antingen en kommun eller ett avtal, inte båda."))
        if data.get("period") == "custom":
            first, last = data.get("fran"), data.get("till")
            if not first or not last:
                raise forms.ValidationError(
                    _("Ett eget intervall behöver både från- och tilldatum.")
                )
            try:
                data["resolved_period"] = custom_period(first, last)
            except InvalidPeriod as error:
                raise forms.ValidationError(error.message) from None
        else:
            data["resolved_period"] = period_containing(
                data.get("period") or DEFAULT_KIND, data.get("datum") or self.today
            )
        return data

    def resolved(self) -> tuple[Period, Scope]:
        """The chosen period and scope, or this month for everything if the form is invalid."""
        if self.is_valid():
            data = self.cleaned_data
            return data["resolved_period"], Scope(
                organisation=data.get("organisation"),
                agreement=data.get("avtal"),
                mapping=data.get("organisationer") or MAPPING_THEN,
            )
        return period_containing(DEFAULT_KIND, self.today), Scope()


def agreement_type_for(board: str) -> list[str]:
    """The kinds of agreement whose figures a dashboard shows."""
    if board == "avhoppare":
        return [AgreementTypeCode.DEFECTOR_SERVICES]
    if board == "samverkan":
        return [
            AgreementTypeCode.SCHOOL_COLLABORATION,
            AgreementTypeCode.LOCAL_POLICE_COLLABORATION,
        ]
    return [AgreementTypeCode.SINGLE_ENTRY]
