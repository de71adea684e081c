"""Forms for the agreement administrator's actions. They parse; services decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import (
    DOCUMENT_EXTENSIONS,
    Agreement,
    AgreementParty,
    AgreementType,
    AgreementTypeCode,
    Amendment,
    DecisionBody,
)
from samverkan.agreements.rules import Reason
from samverkan.core.forms import DateInput, ModelChoiceField, PersonalDataGuardForm
from samverkan.registry.models import Organisation

REASON_LABELS = {
    Reason.DECISIONS_MISSING: _("Beslut saknas"),
    Reason.NOT_STARTED: _("Har inte börjat gälla"),
    Reason.IN_FORCE: _("Gäller"),
    Reason.NOTICE_GIVEN: _("Uppsagt, gäller till sista dagen"),
    Reason.TERMINATED: _("Uppsagt och upphört"),
    Reason.EXPIRED: _("Har löpt ut"),
}


def document_field(label: Any, *, required: bool) -> forms.FileField:
    mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    return forms.FileField(
        label=label,
        required=required,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
        help_text=_("PDF eller bild, högst %(mb)s MB.") % {"mb": mb},
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla"))] + [(r.value, label) for r, label in REASON_LABELS.items()],
    )
    type = forms.ChoiceField(
        label=_("Avtalstyp"),
        required=False,
        choices=[("", _("Alla"))] + list(AgreementTypeCode.choices),
    )


class OrganisationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.legal_name} ({obj.code})"


def party_candidates(day: date) -> QuerySet[Organisation]:
    """The organisations that can become parties: those not ended by `day`, by name."""
    return Organisation.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by(
        "name", "code"
    )


class AgreementCreateForm(forms.Form):
    """The parties are ticked in a list a search narrows (`party_search`).

    Without JavaScript the "Sök" button posts the form back with the list
    narrowed and everything typed kept (`narrowed`); with it, the list narrows
    as one types. Ticked parties are always shown.
    """

    type = ModelChoiceField(queryset=AgreementType.objects.all(), label=_("Avtalstyp"))
    title = forms.CharField(label=_("Benämning"), max_length=300)
    reference = forms.CharField(label=_("Diarienummer"), max_length=100)
    party_search = forms.CharField(
        label=_("Sök part"),
        required=False,
        max_length=100,
        help_text=_("Skriv en del av namnet eller koden, t.ex. ”Nacka” eller ”0182”."),
    )
    organisations = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Parter"),
        help_text=_("Kryssa i alla parter, även din egen organisation."),
    )
    start_date = forms.DateField(label=_("Gäller från"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Gäller till och med (tomt = tills vidare)"), widget=DateInput(), required=False
    )
    renewal_months = forms.IntegerField(
        label=_("Automatisk förlängning, månader (tomt = typens regel)"),
        min_value=0,
        max_value=120,
        required=False,
    )
    max_renewals = forms.IntegerField(
        label=_("Högsta antal förlängningar (tomt = obegränsat)"),
        min_value=0,
        max_value=100,
        required=False,
    )
    open_ended_after_renewals = forms.BooleanField(
        label=_("Gäller tills vidare när förlängningarna är slut"), required=False
    )
    notice_months = forms.IntegerField(
        label=_("Uppsägningstid, månader (tomt = typens regel)"),
        min_value=0,
        max_value=60,
        required=False,
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._today = today
        self.fields["organisations"].queryset = party_candidates(today)  # type: ignore[attr-defined]

    def narrowed(self) -> AgreementCreateForm:
        """The same form unbound, its party list narrowed to the search and the ticked ones."""
        data: Any = self.data
        initial: dict[str, Any] = {name: data.get(name, "") for name in self.fields}
        ticked = [value for value in data.getlist("organisations") if value.isdigit()]
        initial["organisations"] = ticked
        form = AgreementCreateForm(initial=initial, today=self._today)
        words = str(data.get("party_search", "")).strip()
        field: Any = form.fields["organisations"]
        if words:
            field.queryset = field.queryset.filter(
                Q(name__icontains=words)
                | Q(official_name__icontains=words)
                | Q(code__icontains=words)
                | Q(pk__in=ticked)
            )
        return form


class PartyForm(forms.Form):
    """A party's details, kept by its own administrator (printed in the agreement)."""

    acting_body = forms.CharField(
        label=_("Beslutande nämnd"),
        max_length=200,
        required=False,
        help_text=_("Nämnden som beslutar om avtalet och genom vilken parten handlar."),
    )
    signatory_name = forms.CharField(label=_("Undertecknare"), max_length=200, required=False)
    signatory_title = forms.CharField(
        label=_("Undertecknarens befattning"), max_length=200, required=False
    )
    contact_person = forms.CharField(
        label=_("Kontaktperson"),
        max_length=200,
        required=False,
        help_text=_("Namn och funktion, t.ex. ”Anna Exempel, enhetschef mottagningen”."),
    )
    contact_email = forms.EmailField(label=_("Kontaktpersonens e-post"), required=False)
    contact_phone = forms.CharField(
        label=_("Kontaktpersonens telefon"), max_length=40, required=False
    )


class PartyChoiceMixin:
    def limit_parties(
        self, agreement: Agreement, field: str = "party", parties: QuerySet[Any] | None = None
    ) -> None:
        """Offer the agreement's parties, or only `parties` (those the user may act for)."""
        if parties is None:
            parties = agreement.parties.select_related("organisation")
        self.fields[field].queryset = parties  # type: ignore[attr-defined]


class DecisionForm(PartyChoiceMixin, forms.Form):
    party = ModelChoiceField(
        queryset=AgreementParty.objects.none(),
        label=_("Part"),
        help_text=_(
            "Du registrerar beslut för din egen organisation. Stockholms stad kan registrera "
            "den andra partens beslut för dess räkning, med partens undertecknade beslut bifogat."
        ),
    )
    amendment = ModelChoiceField(
        queryset=Amendment.objects.none(),
        label=_("Gäller tillägg"),
        required=False,
        empty_label=_("Själva avtalet"),
    )
    body_kind = forms.ChoiceField(label=_("Beslutande"), choices=DecisionBody.choices)
    body_name = forms.CharField(label=_("Organ eller delegat"), max_length=200)
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    reference = forms.CharField(
        label=_("Paragraf eller beteckning"), max_length=100, required=False
    )
    document = document_field(_("Underskrivet beslut"), required=True)

    def __init__(
        self, *args: Any, agreement: Agreement, parties: QuerySet[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limit_parties(agreement, parties=parties)
        self.fields["amendment"].queryset = agreement.amendments.all()  # type: ignore[attr-defined]


class NoticeForm(PartyChoiceMixin, forms.Form):
    party = ModelChoiceField(queryset=AgreementParty.objects.none(), label=_("Part som säger upp"))
    given_on = forms.DateField(label=_("Uppsagt den"), widget=DateInput())
    document = document_field(_("Partens undertecknade uppsägning"), required=True)

    def __init__(
        self, *args: Any, agreement: Agreement, parties: QuerySet[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limit_parties(agreement, parties=parties)


class AmendmentForm(PersonalDataGuardForm):
    numbers_only_fields = ("summary", "text")
    summary = forms.CharField(label=_("Sammanfattning"), max_length=300)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea, required=False)
    effective_date = forms.DateField(label=_("Gäller från"), widget=DateInput())


class DpaForm(PartyChoiceMixin, forms.Form):
    controller = ModelChoiceField(
        queryset=AgreementParty.objects.none(), label=_("Personuppgiftsansvarig")
    )
    processor = ModelChoiceField(
        queryset=AgreementParty.objects.none(), label=_("Personuppgiftsbiträde")
    )
    signed_on = forms.DateField(label=_("Undertecknat"), widget=DateInput())
    valid_from = forms.DateField(label=_("Gäller från"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Gäller till och med (frivilligt)"), widget=DateInput(), required=False
    )
    document = document_field(_("Avtal"), required=False)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_parties(agreement, "controller")
        self.limit_parties(agreement, "processor")

    # The service takes the organisations, not their party rows.
    def clean_controller(self) -> Organisation:
        return self.cleaned_data["controller"].organisation

    def clean_processor(self) -> Organisation:
        return self.cleaned_data["processor"].organisation
