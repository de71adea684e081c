"""Field declarations that many apps' models repeat, made once.

These return ordinary Django fields with the same arguments the models spelled out
before, so the migrations see no change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from samverkan.accounts.models import User
    from samverkan.registry.models import Organisation


@overload
def organisation_fk(
    verbose_name: StrOrPromise | None = None, *, optional: Literal[False] = False
) -> models.ForeignKey[Organisation, Organisation]: ...


@overload
def organisation_fk(
    verbose_name: StrOrPromise | None = None, *, optional: Literal[True]
) -> models.ForeignKey[Organisation | None, Organisation | None]: ...


def organisation_fk(
    verbose_name: StrOrPromise | None = None, *, optional: bool = False
) -> models.ForeignKey[Any, Any]:
    """A record's reference to an organisation in the registry (a district, a police unit,
    a school, an owner, a party).

    Protected: an organisation that records name is never deleted from under them.
    No reverse accessor (`related_name="+"`): an organisation is named by records of
    every app, and none of them is reached from the organisation. Without a
    `verbose_name`, Django derives one from the field's name.
    """
    return models.ForeignKey(
        "registry.Organisation",
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=models.PROTECT,
        related_name="+",
    )


@overload
def user_fk(
    verbose_name: StrOrPromise | None = None, *, optional: Literal[False] = False
) -> models.ForeignKey[User, User]: ...


@overload
def user_fk(
    verbose_name: StrOrPromise | None = None, *, optional: Literal[True]
) -> models.ForeignKey[User | None, User | None]: ...


def user_fk(
    verbose_name: StrOrPromise | None = None, *, optional: bool = False
) -> models.ForeignKey[Any, Any]:
    """A record's reference to the user who wrote it (its author, recorder or creator).

    Protected: a user who wrote something is never deleted from under the record.
    Optional where the system itself writes (demo and reference data). No reverse
    accessor, as for organisations.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=models.PROTECT,
        related_name="+",
    )
