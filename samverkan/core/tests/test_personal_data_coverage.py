"""Every free-text field of every form goes through the one personal-data guard, so a new
form cannot quietly take identity numbers again (issue 17, point 4)."""

from __future__ import annotations

import importlib
import pkgutil

from django import forms

import samverkan
from samverkan.core.forms import PersonalDataGuardForm

# Free texts guarded elsewhere, or where the guard does not apply, each with the reason.
GUARDED_IN_SERVICE = "guarded in the service with core.personal_data.guard_text"
EXEMPT = {
    "collaboration.forums.forms.MeetingForm.agenda": GUARDED_IN_SERVICE,
    "collaboration.forums.forms.MeetingForm.minutes": GUARDED_IN_SERVICE,
    "collaboration.colocation.forms.ConsultationForm.question": GUARDED_IN_SERVICE,
    "collaboration.colocation.forms.ConsultationForm.advice": GUARDED_IN_SERVICE,
    "collaboration.plans.forms.ContributionForm.text": GUARDED_IN_SERVICE,
    "collaboration.plans.forms.ActivityUpdateForm.note": GUARDED_IN_SERVICE,
}


def _form_modules() -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages(samverkan.__path__, "samverkan.")
        if info.name.endswith(".forms") and ".tests" not in info.name
    ]


def _free_text_fields() -> list[tuple[type[forms.Form], str]]:
    found = []
    for name in _form_modules():
        module = importlib.import_module(name)
        for form in vars(module).values():
            if not (isinstance(form, type) and issubclass(form, forms.BaseForm)):
                continue
            if form.__module__ != name:
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
                    found.append((form, field_name))
    return found


def test_every_free_text_field_of_every_form_is_guarded():
    fields = _free_text_fields()
    assert len(fields) > 30  # the walk finds the apps' forms
    unguarded = [
        where
        for form, name in fields
        if (where := f"{form.__module__.removeprefix('samverkan.')}.{form.__name__}.{name}")
        not in EXEMPT
        and not (
            issubclass(form, PersonalDataGuardForm)
            and name in form.guarded_fields + form.numbers_only_fields
        )
    ]
    assert unguarded == []
