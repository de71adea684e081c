"""Forms of forums and meetings.

They check shape; the services decide and say no in Swedish.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.collaboration.common.forms import (
    CONFIRM_LABEL,
    DistrictForm,
    organisation_choices,
    today,
)
from samverkan.collaboration.models import (
    DecisionStatus,
    Forum,
    ForumKind,
    Function,
    MeetingDecision,
    MeetingStatus,
)
from samverkan.core.forms import DateInput, PersonalDataGuardForm
from samverkan.registry.models import Organisation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _functions(label: StrOrPromise) -> forms.MultipleChoiceField:
    """Functions ticked in a list: a forum's required ones, a meeting's present ones."""
    return forms.MultipleChoiceField(
        label=label, choices=Function.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ForumSettingsForm(PersonalDataGuardForm):
    guarded_fields = ("purpose",)
    """What a coordinator may change on a forum after it was created."""

    name = forms.CharField(label=_("Namn"), max_length=200)
    required_per_term = forms.IntegerField(
        label=_("Möten per termin (krav)"), min_value=1, max_value=30, initial=3
    )
    required_functions = _functions(_("Funktioner som ska delta"))
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


class MeetingForm(forms.Form):
    """A meeting with attendance by function, minutes, new decisions and follow-up of open ones."""

    NEW_DECISIONS = 3

    held_on = forms.DateField(label=_("Datum"), widget=DateInput(), initial=today)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=MeetingStatus.choices,
        initial=MeetingStatus.HELD,
        widget=forms.RadioSelect,
    )
    agenda = forms.CharField(
        label=_("Dagordning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    functions_present = _functions(_("Närvarande funktioner"))
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
        owner_choices = organisation_choices(owners)
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
                label=_("Klart senast"), required=False, widget=DateInput()
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
