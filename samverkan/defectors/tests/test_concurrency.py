"""Two people acting at once never both win (PostgreSQL: real concurrent transactions)."""

import threading

import pytest
from django.db import connection, connections

from samverkan.core.errors import ServiceError
from samverkan.defectors import services
from samverkan.defectors.models import Assignment, AssignmentEvent, Reconciliation

from .conftest import GOTHENBURG, STOCKHOLM, accepted, coordinator, reconcile, requested

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    results: list[object] = []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except ServiceError as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_accept_and_decline_at_once_one_wins(agreement, stockholm, gothenburg, org):
    colleague = coordinator("avhopp-gbg-2", GOTHENBURG)
    assignment = requested(stockholm, agreement, org[GOTHENBURG])
    one = Assignment.objects.get(pk=assignment.pk)
    two = Assignment.objects.get(pk=assignment.pk)
    results = race(
        lambda: services.assignment_accept(actor=gothenburg, assignment=one),
        lambda: services.assignment_decline(actor=colleague, assignment=two, reason="Nej"),
    )
    assert sum(isinstance(r, ServiceError) for r in results) == 1
    answers = AssignmentEvent.objects.filter(
        assignment=assignment, to_state__in=["accepted", "declined"]
    )
    assert answers.count() == 1


def test_two_approvers_of_one_party_at_once_one_wins(agreement, stockholm, gothenburg, org):
    colleague = coordinator("avhopp-2", STOCKHOLM)
    accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    r = reconcile(stockholm, agreement, org[GOTHENBURG])
    results = race(
        lambda: services.reconciliation_approve(actor=stockholm, reconciliation=r),
        lambda: services.reconciliation_approve(actor=colleague, reconciliation=r),
    )
    assert sum(isinstance(x, ServiceError) for x in results) == 1
    assert Reconciliation.objects.get(pk=r.pk).approved_a_at is not None


def test_both_parties_approve_at_once_locks_exactly_once(agreement, stockholm, gothenburg, org):
    accepted(stockholm, gothenburg, agreement, org[GOTHENBURG])
    r = reconcile(stockholm, agreement, org[GOTHENBURG])
    results = race(
        lambda: services.reconciliation_approve(actor=stockholm, reconciliation=r),
        lambda: services.reconciliation_approve(actor=gothenburg, reconciliation=r),
    )
    assert not any(isinstance(x, ServiceError) for x in results)
    assert Reconciliation.objects.get(pk=r.pk).locked_at is not None
