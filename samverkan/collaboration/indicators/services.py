"""Writes of result indicators: the definition and the values entered per term (SPEC §6).

One transaction, a right, an audit entry each; errors as in `common.services`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from samverkan.audit.models import AuditAction
from samverkan.collaboration import rules
from samverkan.collaboration.access import is_inside, require_coordinator
from samverkan.collaboration.common.services import audit, own_district
from samverkan.collaboration.models import Forum, Indicator, IndicatorKind, IndicatorValue
from samverkan.core.audited import create_audited
from samverkan.core.errors import InvalidInput, NotFound
from samverkan.registry.models import Organisation


@transaction.atomic
def indicator_create(
    *,
    actor: Any,
    district: Organisation,
    name: str,
    kind: str,
    forum: Forum | None = None,
    agreement: Any = None,
    unit: str = "",
    higher_is_better: bool = True,
    description: str = "",
) -> Indicator:
    """A result indicator of the actor's district, defined for its forum or its agreement."""
    own_district(actor, district)
    if not name.strip():
        raise InvalidInput("name", "Ange indikatorns namn.")
    if kind not in IndicatorKind.values:
        raise InvalidInput("kind", "Välj hur indikatorn beräknas.")
    if forum is None and agreement is None:
        raise InvalidInput("forum", "Välj forumet eller avtalet som indikatorn gäller.")
    if forum is not None and forum.district_id != district.pk:
        raise InvalidInput("forum", "Välj ett forum som stadsdelsområdet sammankallar.")
    if agreement is not None and not agreement.parties.filter(organisation=district).exists():
        raise InvalidInput("agreement", "Välj ett avtal där stadsdelsområdet är part.")
    return create_audited(
        actor,
        Indicator,
        controller=district.code,
        detail={"kind": kind},
        district=district,
        name=name.strip(),
        kind=kind,
        forum=forum,
        agreement=agreement,
        unit=unit.strip(),
        higher_is_better=higher_is_better,
        description=description.strip(),
    )


@transaction.atomic
def indicator_value_enter(
    *, actor: Any, indicator_id: int, term: str, value: Decimal, source: str
) -> IndicatorValue:
    indicator = Indicator.objects.select_related("district").filter(pk=indicator_id).first()
    if indicator is None or not is_inside(actor, indicator.district_id):
        raise NotFound()
    require_coordinator(actor, indicator.district_id)
    try:
        term_key = rules.Term.from_key(term).key
    except ValueError as error:
        raise InvalidInput("term", str(error)) from error
    if not source.strip():
        raise InvalidInput("source", "Ange källan till värdet.")
    entry, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        term=term_key,
        defaults={"value": value, "source": source.strip(), "entered_by": actor},
    )
    audit(actor, AuditAction.CHANGE, entry, indicator.district, term=term_key)
    return entry
