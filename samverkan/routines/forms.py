"""Forms of the routines library. They check shape; the services decide and say no in Swedish."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import DateInput, PersonalDataGuardForm, with_empty_choice
from samverkan.routines.models import RoutineKind, RoutineTopic


def _choices(queryset: Any) -> list[tuple[str, str]]:
    return [(str(o.pk), str(o)) for o in queryset]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Sök i rubrik och text"), required=False, max_length=200)
    topic = forms.ChoiceField(
        label=_("Område"), required=False, choices=[("", _("Alla områden")), *RoutineTopic.choices]
    )


class LinksMixin(forms.Form):
    parties = forms.MultipleChoiceField(
        label=_("Gäller för (parter)"),
        help_text=_("Ägaren är alltid part."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    forums = forms.MultipleChoiceField(
        label=_("Samverkansforum"), required=False, widget=forms.CheckboxSelectMultiple
    )
    agreements = forms.MultipleChoiceField(
        label=_("Avtal"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def set_link_choices(self, *, parties: Any, forums: Any, agreements: Any) -> None:
        cast(forms.MultipleChoiceField, self.fields["parties"]).choices = _choices(parties)
        cast(forms.MultipleChoiceField, self.fields["forums"]).choices = _choices(forums)
        cast(forms.MultipleChoiceField, self.fields["agreements"]).choices = _choices(agreements)


class RoutineForm(PersonalDataGuardForm, LinksMixin):
    numbers_only_fields = ("title", "body")
    owner = forms.ChoiceField(label=_("Ägare"))
    kind = forms.ChoiceField(
        label=_("Slag"),
        choices=RoutineKind.choices,
        widget=forms.RadioSelect,
        initial=RoutineKind.ROUTINE,
    )
    topic = forms.ChoiceField(label=_("Område"), choices=with_empty_choice(RoutineTopic.choices))
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    review_date = forms.DateField(
        label=_("Ses över senast"),
        help_text=_("Ägaren påminns på startsidan när datumet har passerats."),
        widget=DateInput(),
    )

    field_order = [
        "owner",
        "kind",
        "topic",
        "title",
        "body",
        "review_date",
        "parties",
        "forums",
        "agreements",
    ]

    def __init__(self, *args: Any, owners: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = with_empty_choice(_choices(owners))


class RevisionForm(PersonalDataGuardForm):
    numbers_only_fields = ("title", "body", "change_note")
    based_on = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    change_note = forms.CharField(
        label=_("Vad har ändrats?"),
        help_text=_("Visas i versionshistoriken."),
        max_length=500,
    )
    review_date = forms.DateField(label=_("Ses över senast"), widget=DateInput())


class ReviewForm(forms.Form):
    review_date = forms.DateField(
        label=_("Nästa översyn senast"),
        help_text=_("Rutinen är genomgången och gäller oförändrad."),
        widget=DateInput(),
    )


class LinksForm(LinksMixin):
    pass
