"""Form pieces that many apps' forms repeat, made once."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samverkan.core.personal_data import (
    CONFIRM_FIELD,
    CONFIRM_LABEL,
    NamePolicy,
    guarded,
    refusal,
)

# The one empty choice of every select list (Django's own is "---------", issue 19.9).
EMPTY_LABEL = _("– välj –")


def with_empty_choice(choices: Any) -> list[tuple[Any, Any]]:
    """`choices` after the project's empty choice, for a ChoiceField that may be left empty
    or must be chosen actively."""
    return [("", EMPTY_LABEL), *choices]


class ModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Django's ModelChoiceField with the project's Swedish empty choice.

    Every form uses this one (a test walks them): Django's default label is "---------".
    """

    def __init__(
        self, queryset: QuerySet[Any] | None, *, empty_label: Any = EMPTY_LABEL, **kwargs: Any
    ) -> None:
        super().__init__(queryset, empty_label=empty_label, **kwargs)


class DateInput(forms.DateInput):
    """A date field shown as the browser's date picker.

    The picker reads and writes ISO dates (`2025-03-01`), so the value is always
    rendered in that form, whatever the active language's date format.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PersonalDataGuardForm(forms.Form):
    """A form whose `guarded_fields` go through the one personal-data guard
    (`core.personal_data`): an identity number is refused beside its field; a number
    with a wrong check digit, or a name (`guard_names = "warn"`), is refused until the
    writer ticks the confirmation box, which the form shows only once it is needed.

        class NoteForm(PersonalDataGuardForm):
            guarded_fields = ("note",)

    `numbers_only_fields` are texts where names belong (who took part) but identity
    numbers never do.
    """

    guarded_fields: ClassVar[tuple[str, ...]] = ()
    numbers_only_fields: ClassVar[tuple[str, ...]] = ()
    guard_names: ClassVar[NamePolicy] = "warn"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Hidden (it renders as nothing a person sees) until the guard asks for it.
        self.fields[CONFIRM_FIELD] = forms.BooleanField(
            label=CONFIRM_LABEL, required=False, widget=forms.HiddenInput
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        confirmed = bool(cleaned.get(CONFIRM_FIELD))
        for name, names in guarded(self.guarded_fields, self.numbers_only_fields, self.guard_names):
            value = cleaned.get(name)
            if not isinstance(value, str) or not value:
                continue
            error = refusal(name, value, confirmed=confirmed, names=names)
            if error is not None:
                self.add_error(name, error.message)
                if error.needs_confirmation:
                    self.fields[CONFIRM_FIELD].widget = forms.CheckboxInput()
        # The box is the guard's business: the service the form feeds never sees it.
        cleaned.pop(CONFIRM_FIELD, None)
        return cleaned
