from decimal import Decimal

import pytest

from samverkan.defectors.models import Assignment, CostEntry, Reconciliation

pytestmark = pytest.mark.django_db


def test_demo_loads_idempotently_on_the_agreements_demo(registry_demo, settings, tmp_path):
    from samverkan.accounts import demo as accounts_demo
    from samverkan.agreements import demo as agreements_demo
    from samverkan.defectors import demo

    accounts_demo.load_demo()
    agreements_demo.load_demo()
    demo.load_demo()
    demo.load_demo()
    assert Assignment.objects.count() == 3
    gamma = Assignment.objects.get(person_alias="Klient Gamma")
    assert gamma.state == "draft"  # Stockholm's own until it is requested
    alfa = Assignment.objects.get(person_alias="Klient Alfa")
    assert alfa.handled_centrally
    assert alfa.state == "ended"
    assert alfa.events.order_by("at").first().at.year == 2023
    periods = set(CostEntry.objects.values_list("period", flat=True))
    assert periods == {"2023-H1", "2023-H2"}
    approved = Reconciliation.objects.filter(locked_at__isnull=False)
    assert approved.count() == 1 and approved.get().period == "2023-H1"
    assert Reconciliation.objects.filter(locked_at__isnull=True, period="2023-H2").exists()
    # The late correction dated in the locked period went to the next one.
    assert CostEntry.objects.get(amount=Decimal("-650.50")).period == "2023-H2"
