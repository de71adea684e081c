"""`copy_fields`: a record built from another's same-named attributes, never a silent default."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from samverkan.core.mapping import copy_fields


@dataclass(frozen=True)
class Unit:
    name: str
    phone: str
    is_hub: bool = False


def test_fields_come_from_the_source_and_overrides_win() -> None:
    source = SimpleNamespace(name="Socialjouren", phone="08-000 00 00", is_hub=True, extra=1)
    assert copy_fields(Unit, source, phone="112") == Unit("Socialjouren", "112", True)


def test_a_field_the_source_lacks_is_an_error_even_with_a_default() -> None:
    renamed = SimpleNamespace(name="Socialjouren", phone="08-000 00 00", hub=True)
    with pytest.raises(AttributeError, match="is_hub"):
        copy_fields(Unit, renamed)
    assert copy_fields(Unit, renamed, is_hub=True).is_hub is True
