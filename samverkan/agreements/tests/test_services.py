from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from samverkan.agreements import services
from samverkan.agreements.demo import organisation
from samverkan.agreements.models import Agreement, AgreementDecision, TerminationNotification
from samverkan.agreements.selectors import single_entry_municipalities_in_force
from samverkan.core.calendar import STOCKHOLM
from samverkan.core.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=STOCKHOLM)


def pdf(name="dok.pdf"):
    return ContentFile(b"%PDF-1.4\n", name=name)


def agreement(code):
    return Agreement.objects.get(reference=f"SN-ROC-{code}")


def party(a, code):
    return a.parties.get(organisation__code=code)


def _decide(actor, agreement, code, body_kind, body_name, decided_on, **extra):
    """The party `code`'s decision on the agreement (or, with `amendment=`, on an amendment)."""
    return services.decision_record(
        actor=actor,
        agreement=agreement,
        party=party(agreement, code),
        body_kind=body_kind,
        body_name=body_name,
        decided_on=decided_on,
        **extra,
    )


def _notice(actor, agreement, code, **extra):
    """The party `code` gives notice on 25 November 2026."""
    return services.notice_give(
        actor=actor,
        agreement=agreement,
        party=party(agreement, code),
        given_on=date(2026, 11, 25),
        **extra,
    )


@time_machine.travel(NOW)
def test_missing_decision_recorded_puts_nynashamn_in_force(demo, agreement_admin):
    nynashamn = agreement("0192")
    assert "0192" not in single_entry_municipalities_in_force(date(2026, 11, 25))
    _decide(
        agreement_admin,
        nynashamn,
        "0192",
        "political_committee",
        "Socialnämnden Nynäshamn",
        date(2026, 11, 20),
        reference="§ 7",
        document=pdf(),
    )
    assert "0192" in single_entry_municipalities_in_force(date(2026, 11, 20))
    assert "0192" not in single_entry_municipalities_in_force(date(2026, 11, 19))


@time_machine.travel(NOW)
def test_decision_in_the_future_is_refused(demo, agreement_admin):
    nynashamn = agreement("0192")
    with pytest.raises(InvalidInput) as error:
        _decide(agreement_admin, nynashamn, "0192", "delegate", "Socialchef", date(2026, 12, 1))
    assert "framtiden" in str(error.value)
    assert not AgreementDecision.objects.filter(party__organisation__code="0192").exists()


@time_machine.travel(NOW)
def test_written_notice_computes_last_day_and_creates_roc_task(demo, nacka_agreement_admin):
    nacka = agreement("0182")
    notice = _notice(nacka_agreement_admin, nacka, "0182", document=pdf("uppsagning.pdf"))
    assert notice.last_day == date(2027, 2, 25)
    task = TerminationNotification.objects.get(notice=notice)
    assert task.recipient.code == "polisen-roc" and task.acknowledged_at is None
    assert "0182" in single_entry_municipalities_in_force(date(2027, 2, 25))
    assert "0182" not in single_entry_municipalities_in_force(date(2027, 2, 26))
    with pytest.raises(NotAllowed):  # the party does not tick it off; ROC acknowledges
        services.notification_acknowledge(actor=nacka_agreement_admin, notification=task)


@time_machine.travel(NOW)
def test_notice_must_be_written(demo, agreement_admin):
    nacka = agreement("0182")
    with pytest.raises(InvalidInput) as error:
        _notice(agreement_admin, nacka, "0180")
    assert "skriftlig" in str(error.value)
    assert not nacka.notices.exists()


@time_machine.travel(NOW)
def test_admin_of_another_municipality_cannot_act(demo, nacka_agreement_admin):
    solna = agreement("0184")
    with pytest.raises(NotAllowed):
        _notice(nacka_agreement_admin, solna, "0184", document=pdf())
    with pytest.raises(NotAllowed):
        services.amendment_add(
            actor=nacka_agreement_admin,
            agreement=solna,
            summary="Nytt telefonnummer",
            effective_date=date(2027, 1, 1),
        )


@time_machine.travel(NOW)
def test_receiver_is_not_an_agreement_admin(demo, nacka_receiver):
    nacka = agreement("0182")
    with pytest.raises(NotAllowed):
        services.amendment_add(
            actor=nacka_receiver, agreement=nacka, summary="x", effective_date=date(2027, 1, 1)
        )


@time_machine.travel(NOW)
def test_amendment_applies_once_both_parties_decided(demo, agreement_admin):
    from samverkan.agreements.selectors import amendment_applies_from

    nacka = agreement("0182")
    amendment = services.amendment_add(
        actor=agreement_admin,
        agreement=nacka,
        summary="Nytt överlämningsnummer",
        effective_date=date(2026, 12, 1),
    )
    assert amendment.number == 1
    with pytest.raises(InvalidInput) as other_body:
        _decide(
            agreement_admin,
            nacka,
            "0182",
            "delegate",
            "Socialchef",
            date(2026, 11, 20),
            amendment=amendment,
        )
    assert "samma organ" in str(other_body.value)
    for code, kind, day in [
        ("0180", "delegate", date(2026, 11, 2)),
        ("0182", "political_committee", date(2026, 11, 20)),
    ]:
        assert amendment_applies_from(amendment) is None
        # Stockholm registers Nacka's decision on its behalf: with the signed decision.
        _decide(
            agreement_admin,
            nacka,
            code,
            kind,
            "Samma organ",
            day,
            amendment=amendment,
            document=pdf(),
        )
    assert amendment_applies_from(amendment) == date(2026, 12, 1)
    # The amendment's decisions do not change the agreement's own status.
    assert "0182" in single_entry_municipalities_in_force(date(2026, 11, 25))


@time_machine.travel(NOW)
def test_dpa_attached_between_parties(demo, agreement_admin):
    nacka = agreement("0182")
    dpa = services.dpa_attach(
        actor=agreement_admin,
        agreement=nacka,
        controller=organisation("0182"),
        processor=organisation("0180"),
        signed_on=date(2024, 1, 25),
        valid_from=date(2024, 2, 1),
        document=pdf("pub.pdf"),
    )
    assert dpa.pk and dpa.document
    with pytest.raises(InvalidInput):
        services.dpa_attach(
            actor=agreement_admin,
            agreement=nacka,
            controller=organisation("0184"),
            processor=organisation("0180"),
            signed_on=date(2024, 1, 25),
            valid_from=date(2024, 2, 1),
        )


def test_a_single_entry_agreement_has_exactly_two_parties(db):
    with pytest.raises(InvalidInput):
        services.agreement_create(
            actor=None,
            type_code="single_entry",
            title="Tre parter",
            reference="X-3",
            organisations=[organisation("0180"), organisation("0182"), organisation("0184")],
            start_date=date(2024, 1, 1),
            end_date=date(2024, 12, 31),
        )


def test_single_entry_is_always_with_stockholm(db):
    with pytest.raises(InvalidInput) as error:
        services.agreement_create(
            actor=None,
            type_code="single_entry",
            title="Nacka–Solna",
            reference="X-2",
            organisations=[organisation("0182"), organisation("0184")],
            start_date=date(2024, 1, 1),
            end_date=date(2024, 12, 31),
        )
    assert "Stockholms stad" in str(error.value)


def test_document_size_limit(db, settings):
    from samverkan.agreements.models import validate_document_size

    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        validate_document_size(ContentFile(b"x" * 11, name="big.pdf"))


@time_machine.travel(NOW)
def test_notice_is_audited(demo, nacka_agreement_admin):
    from samverkan.audit.models import AuditEntry

    nacka = agreement("0182")
    notice = _notice(nacka_agreement_admin, nacka, "0182", document=pdf())
    entry = AuditEntry.objects.get(record_type="agreements.Notice", record_id=str(notice.pk))
    assert entry.action == "create" and entry.actor_user_id == nacka_agreement_admin.pk
    assert entry.controller == "0180"
