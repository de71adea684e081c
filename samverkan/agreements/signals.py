"""What other apps may hang on an agreement's life, without the agreements app naming them.

The agreements app knows nothing of the apps that work under its agreements (ADR 0006);
an app that must prepare something for a new agreement of its type (the defector
catalogue) connects a receiver in its `AppConfig.ready()`.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent by `services.agreement_create` inside its transaction, once the agreement and its
# parties exist, with `agreement=` and `actor=` (None for the system: demo data, imports).
agreement_created = Signal()
