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

    A field `source` has no attribute for keeps its default (the constructor refuses a
    required one), so a record may carry more than the source knows of.
    """
    copied = {
        field.name: getattr(source, field.name)
        for field in fields(cls)
        if field.init and field.name not in overrides and hasattr(source, field.name)
    }
    return cls(**copied, **overrides)
