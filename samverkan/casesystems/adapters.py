"""What a case-system adapter is, and the registry of adapters by name (issue 21.2).

A receiving unit's own case system (Lifecare, Combine, Procapita, Treserva …) gets
an accepted report as an *aktualisering*. Each system is one adapter: an object with
a `name`, a Swedish `label`, and three methods —

* `option_problems(options)`: what is wrong with a connection's adapter options
  (the installation's codes, e.g. Lifecare's actualisation type), in Swedish;
* `register_actualisation(connection, actualisation)`: register it, return the case
  system's id for it (a string), or raise `AdapterError`;
* `code_lists(connection, person_id)`: the installation's code lists, for an operator
  choosing the options.

A second system is added by writing a module with such a class and calling
`register(...)` from its app's `ready()` (or from `casesystems.declarations`): neither
intake nor the queue, the worker, the page or the admin changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Connection:
    """What an adapter needs to reach one installation; the secret is read when sending."""

    base_url: str
    account: str  # the installation's tenant/domain id (Lifecare's `domain`); not secret
    secret: str  # the API key, from the environment variable the connection names
    options: Mapping[str, Any] = field(default_factory=dict)
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class Actualisation:
    """What of a report a case system may get: only what it needs to open the matter.

    The child's identity number (the case system files by it), the day the report was
    received, whether the reporter saw a risk of gang-related crime, Samverkan's
    reference, and the receiving unit's code in Samverkan. Never the narrative, the
    officer's name or telephone, or the assessments: the social worker reads those in
    Samverkan, by the reference.
    """

    reference: str  # Samverkan's public id of the report
    person_id: str  # 12 digits
    received_on: date
    gang_related: bool
    unit_code: str = ""


@dataclass(frozen=True)
class Code:
    id: int
    name: str


class AdapterError(Exception):
    """The case system did not register the actualisation.

    `status_code` is its HTTP status (None: no answer — refused connection, time-out);
    `answer` an excerpt of its answer, kept in the attempt log; `retryable` whether
    trying again later may help (a server error, a time-out, a refused key that the
    operator may correct) or not (the system found the request itself wrong).
    """

    def __init__(
        self, message: str, *, status_code: int | None, answer: str = "", retryable: bool
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.answer = answer
        self.retryable = retryable


@runtime_checkable
class CaseSystemAdapter(Protocol):
    name: str
    label: str

    def option_problems(self, options: Mapping[str, Any]) -> list[str]: ...

    def register_actualisation(
        self, connection: Connection, actualisation: Actualisation
    ) -> str: ...

    def code_lists(self, connection: Connection, person_id: str) -> dict[str, list[Code]]: ...


_adapters: dict[str, CaseSystemAdapter] = {}


def register(adapter: CaseSystemAdapter) -> None:
    """Make `adapter` available under its `name` (registering a name again replaces it)."""
    if not isinstance(adapter, CaseSystemAdapter):
        raise TypeError(f"{adapter!r} is not a case-system adapter")
    _adapters[adapter.name] = adapter


def get(name: str) -> CaseSystemAdapter | None:
    return _adapters.get(name)


def choices() -> list[tuple[str, str]]:
    """(name, label) of every registered adapter, for the admin's choice."""
    return sorted((adapter.name, adapter.label) for adapter in _adapters.values())
