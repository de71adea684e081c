"""The forms an administrator registers, corrects and withdraws a merger or split with.

Issue 10; withdrawing and correcting a planned change, issue 16.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import DateInput, ModelChoiceField, PersonalDataGuardForm
from samverkan.registry import change_rules as rules
from samverkan.registry.models import (
    ChangeKind,
    Organisation,
    OrganisationChange,
    Responsibility,
)

SUCCESSOR_ROWS = 3


class OrganisationChangeForm(PersonalDataGuardForm):
    numbers_only_fields = ("decision", "reason")
    kind = forms.ChoiceField(
        label=_("Slag av förändring"),
        choices=ChangeKind.choices,
        widget=forms.RadioSelect,
        initial=ChangeKind.MERGER,
    )
    effective_date = forms.DateField(
        label=_("Gäller från och med"),
        widget=DateInput(),
        help_text=_(
            "ÅÅÅÅ-MM-DD. Från kl. 00.00 svensk tid den dagen. Ett datum som redan har "
            "passerat genomförs direkt när förändringen registreras."
        ),
    )
    ending = forms.ModelMultipleChoiceField(
        label=_("Organisationer som upphör"),
        queryset=Organisation.objects.none(),
        help_text=_("Håll ned Ctrl (eller Cmd) för att välja flera."),
    )
    decision = forms.CharField(
        label=_("Beslut (frivilligt)"),
        required=False,
        max_length=300,
        help_text=_("Till exempel kommunfullmäktiges beslut och paragraf."),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        valid = Organisation.objects.valid_on(today).order_by("kind", "name")
        cast_ending = self.fields["ending"]
        cast_ending.queryset = valid  # type: ignore[attr-defined]
        for index in range(1, SUCCESSOR_ROWS + 1):
            self.fields[f"successor_{index}"] = ModelChoiceField(
                label=_("Efterträdare %(n)s") % {"n": index},
                queryset=Organisation.objects.order_by("kind", "name"),
                required=index == 1,
                empty_label=_("– ingen –"),
                help_text=_(
                    "Saknas organisationen i listan: lägg upp den under Administration först."
                )
                if index == 1
                else "",
            )
            self.fields[f"responsibilities_{index}"] = forms.MultipleChoiceField(
                label=_("Efterträdare %(n)s tar över") % {"n": index},
                choices=Responsibility.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Vid sammanläggning tar efterträdaren över allt.")
                if index == 1
                else "",
            )

    def successor_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"successor_{index}"], self[f"responsibilities_{index}"])
            for index in range(1, SUCCESSOR_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        successors: dict[int, list[str]] = {}
        for index in range(1, SUCCESSOR_ROWS + 1):
            organisation = data.get(f"successor_{index}")
            if organisation is None:
                continue
            codes = list(data.get(f"responsibilities_{index}") or [])
            if kind == rules.MERGER and not codes:
                codes = list(rules.RESPONSIBILITIES)
            if organisation.pk in successors:
                raise forms.ValidationError(_("Samma efterträdare är vald två gånger."))
            successors[organisation.pk] = codes
        if kind:
            for error in rules.validate_successors(kind, successors):
                self.add_error(None, error)
        ending = data.get("ending") or []
        if any(o.pk in successors for o in ending):
            self.add_error(None, _("En organisation kan inte både upphöra och vara efterträdare."))
        if kind == rules.SPLIT and len(ending) != 1:
            self.add_error("ending", _("En delning gäller exakt en organisation som upphör."))
        data["successors"] = successors
        return data

    def change_input(self) -> dict[str, Any]:
        """The cleaned change as the services take it."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "effective_date": data["effective_date"],
            "ending": list(data["ending"]),
            "successors": data["successors"],
            "decision": data["decision"],
        }

    def preview_token(self) -> str:
        """A fingerprint of what the preview showed: registering needs the same input."""
        data = self.cleaned_data
        shown = {
            "kind": data["kind"],
            "effective_date": data["effective_date"].isoformat(),
            "ending": sorted(o.pk for o in data["ending"]),
            "successors": sorted((pk, sorted(codes)) for pk, codes in data["successors"].items()),
            "version": data.get("version"),
        }
        return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()


class RevisionFields(PersonalDataGuardForm):
    """The reason for withdrawing or correcting, and the version of the change shown."""

    numbers_only_fields = ("decision", "reason")

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sparas i förändringens historik och i loggen."),
    )


class WithdrawForm(RevisionFields):
    pass


class CorrectionForm(OrganisationChangeForm, RevisionFields):
    """The registration form, filled in with the planned change, and the reason."""

    def __init__(self, *args: Any, change: OrganisationChange, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", initial_of(change))
        super().__init__(*args, today=today, **kwargs)
        ending = self.fields["ending"]
        # The change's own ending organisations stay choosable whatever their dates.
        ending.queryset = (ending.queryset | change.ending.all()).distinct()  # type: ignore[attr-defined]


def initial_of(change: OrganisationChange) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "kind": change.kind,
        "effective_date": change.effective_date,
        "ending": [o.pk for o in change.ending.all()],
        "decision": change.decision,
        "version": change.version,
    }
    for index, successor in enumerate(change.successors.all()[:SUCCESSOR_ROWS], start=1):
        initial[f"successor_{index}"] = successor.organisation_id
        initial[f"responsibilities_{index}"] = list(successor.responsibilities)
    return initial
