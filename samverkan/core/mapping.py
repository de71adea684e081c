"""Building one record from another that names the same facts the same way."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

D = TypeVar("D", bound="DataclassInstance")


def copy_fields(cls: type[D], source: object, **overrides: Any) -> D:
    """An instance of the dataclass `cls`: each field as given in `overrides`, else the
    attribute of `source` of the same name.

    A field that is neither given nor on `source` is an AttributeError, also when the
    field has a default: a renamed attribute must not quietly become a default value.
    """
    copied = {
        field.name: getattr(source, field.name)
        for field in fields(cls)
        if field.init and field.name not in overrides
    }
    return cls(**copied, **overrides)
