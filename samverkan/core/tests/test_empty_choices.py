"""No select list of any form offers Django's "---------": every empty choice is the
project's Swedish one (issue 19, point 9). The walk makes each form as its page does, so
fields made in a form's `__init__` are checked too."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date
from typing import Any

import pytest
from django import forms

import samverkan
from samverkan.agreements.models import Agreement, AgreementTypeCode
from samverkan.agreements.services import agreement_create
from samverkan.collaboration.models import Forum, ForumKind
from samverkan.core.forms import EMPTY_LABEL
from samverkan.registry.models import Organisation, OrganisationChange, OrganisationKind

DJANGO_DASHES = "---------"


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for info in pkgutil.walk_packages(samverkan.__path__, "samverkan."):
        if not info.name.endswith(".forms") or ".tests" in info.name:
            continue
        module = importlib.import_module(info.name)
        found += [
            form
            for form in vars(module).values()
            if isinstance(form, type)
            and issubclass(form, forms.BaseForm)
            and form.__module__ == info.name
        ]
    return found


@pytest.fixture
def arguments(registry_demo: dict[str, Any]) -> dict[str, Any]:
    """What the pages hand the forms, by keyword: real records where the form reads them."""
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    agreement = agreement_create(
        actor=None,
        type_code=AgreementTypeCode.DEFECTOR_SERVICES,
        title="Avhopparavtal",
        reference="KS 2026/1",
        organisations=list(municipalities[:2]),
        start_date=date(2026, 1, 1),
        end_date=None,
    )
    forum = Forum.objects.create(
        district=registry_demo["0180-farsta"],
        name="Farstas forum",
        kind=ForumKind.CHILDREN_AT_RISK,
        required_per_term=1,
        required_functions=[],
    )
    forum.parties.set([registry_demo["0180-farsta"]])
    change = OrganisationChange.objects.create(kind="merger", effective_date=date(2027, 1, 1))
    organisations = Organisation.objects.order_by("name")[:5]
    return {
        "agreement": agreement,
        "agreements": list(Agreement.objects.all()),
        "agreement_type": [AgreementTypeCode.DEFECTOR_SERVICES.value],
        "receivers": municipalities,
        "parties": organisations,
        "organisations": organisations,
        "owners": organisations,
        "districts": organisations,
        "police_units": organisations,
        "forums": [forum],
        "forum": forum,
        "open_decisions": [],
        "change": change,
        "today": date(2026, 6, 1),
        "device": object(),
        "interventions": [],
        "pictures": [],
    }


def _made(form_class: type[forms.BaseForm], arguments: dict[str, Any]) -> forms.BaseForm:
    kwargs = {}
    for name, parameter in inspect.signature(form_class.__init__).parameters.items():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        if name in arguments:
            kwargs[name] = arguments[name]
        else:
            assert parameter.default is not inspect.Parameter.empty, (
                f"{form_class.__module__}.{form_class.__name__} needs '{name}': add a value "
                "to the arguments fixture"
            )
    return form_class(**kwargs)


def _labels(field: forms.ChoiceField) -> list[str]:
    labels = []
    for _value, label in field.choices:
        if isinstance(label, list | tuple):  # an option group
            labels += [str(inner) for _inner_value, inner in label]
        else:
            labels.append(str(label))
    return labels


def test_no_form_offers_djangos_dashes(arguments: dict[str, Any]) -> None:
    classes = _form_classes()
    assert len(classes) > 60  # the walk finds the apps' forms
    offending = []
    choice_fields = 0
    for form_class in classes:
        form = _made(form_class, arguments)
        for name, field in form.fields.items():
            if isinstance(field, forms.ChoiceField):
                choice_fields += 1
                if DJANGO_DASHES in _labels(field):
                    offending.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
        if DJANGO_DASHES in str(form):
            offending.append(f"{form_class.__module__}.{form_class.__name__} (rendered)")
    assert choice_fields > 40
    assert offending == []


def test_a_select_starts_with_the_swedish_empty_choice(arguments: dict[str, Any]) -> None:
    from samverkan.agreements.forms import DpaForm

    html = str(DpaForm(agreement=arguments["agreement"])["controller"])
    assert f'<option value="" selected>{EMPTY_LABEL}</option>' in html
