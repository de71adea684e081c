"""Demo, last step (issue 10): apply the 2023 mergers as the daily job would.

Rinkeby-Kista + Spånga-Tensta → Järva and Östermalm + Norrmalm → Norra
innerstaden, effective 2023-07-01 (registered by migration 0005 as planned
changes). Applying them moves the demo's open work: the defector agreement's
party Spånga-Tensta (source 03) and the defector assignment "Klient Beta" it
handled go to Järva, each with a `ChangeEvent`. Idempotent.
"""

from __future__ import annotations

from samverkan.registry.changes import apply_due_changes


def load_demo() -> None:
    apply_due_changes()
