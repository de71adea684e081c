"""Every change to an agreement: keyword-only, one transaction, right checked, audited.

`actor` None is the system (reference and demo data). Refusals raise the errors
of `samverkan.core.errors`: `NotAllowed` for someone who may not change the
agreement (asked of `samverkan.agreements.access`), `InvalidInput` naming the
field, `Conflict` for what has already been done.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreements import access, documents, rules
from samverkan.agreements.models import (
    PARTY_DETAIL_FIELDS,
    Agreement,
    AgreementDecision,
    AgreementParty,
    AgreementPartyChange,
    AgreementType,
    AgreementTypeCode,
    AgreementVersion,
    Amendment,
    DataProcessingAgreement,
    DecisionBody,
    Notice,
    PartyRole,
    TerminationNotification,
    document_validators,
)
from samverkan.agreements.selectors import agreement_facts, recorder_text
from samverkan.agreements.signals import agreement_created
from samverkan.audit.services import audit_record_of
from samverkan.core.calendar import STOCKHOLM
from samverkan.core.errors import Conflict, InvalidInput, NotAllowed
from samverkan.core.uploads import validate_upload
from samverkan.registry.models import Organisation
from samverkan.registry.reference_data import STOCKHOLM_CODE


def _today() -> date:
    return timezone.now().astimezone(STOCKHOLM).date()


def _check_admin(actor: Any, agreement: Agreement) -> None:
    if actor is None:
        return
    if not access.is_agreement_admin(actor):
        raise NotAllowed(_("Bara avtalsadministratörer kan ändra avtal."))
    if not access.can_administer(actor, agreement):
        raise NotAllowed(_("Du är inte avtalsadministratör för någon av parterna."))


def _controller(agreement: Agreement) -> str:
    """The first party's code (agreements hold no personal data; this names the owner)."""
    cached: str | None = getattr(agreement, "_controller_code", None)
    if cached is None:
        first = agreement.parties.select_related("organisation").order_by("id").first()
        cached = first.organisation.code if first else ""
        agreement._controller_code = cached  # type: ignore[attr-defined]
    return cached


def _audit(actor: Any, action: str, record: Model, agreement: Agreement, **detail: Any) -> None:
    audit_record_of(
        record,
        actor=actor,
        action=action,
        controller=_controller(agreement),
        detail={"agreement": agreement.pk, **{k: str(v) for k, v in detail.items()}},
    )


def _check_file(document: File | None, *, required: bool, message: str) -> None:
    if document is None or not document:
        if required:
            raise InvalidInput("document", message)
        return
    # The model's validators (extension, size), then the content: a PDF must be one.
    for validator in [*document_validators, validate_upload]:
        try:
            validator(document)
        except ValidationError as error:
            raise InvalidInput(None, field_errors={"document": error.messages}) from error


def _save_with_document(record: Any, document: File | None, default_name: str) -> None:
    """Save the record, storing the uploaded document (if any) under the upload's own name."""
    if document:
        record.document.save(getattr(document, "name", default_name), document, save=False)
    record.save()


def _invalid(error: ValidationError) -> InvalidInput:
    """The model's own validation (`full_clean`) as the service's refusal, field by field."""
    return InvalidInput(None, field_errors=error.message_dict)


def _check_party(agreement: Agreement, party: AgreementParty) -> None:
    if party.agreement_id != agreement.pk:
        raise InvalidInput("party", _("Organisationen är inte part i avtalet."))


def _acting_organisation(actor: Any) -> Organisation | None:
    """The organisation the actor acts for now, kept with what they record."""
    return getattr(actor, "organisation", None) if actor is not None else None


def _check_not_ended(organisations: Sequence[Organisation], on: date) -> None:
    """An organisation that has ended (by `on`) cannot become a party."""
    ended = [o for o in organisations if o.valid_to is not None and o.valid_to < on]
    if ended:
        raise InvalidInput(
            "organisations",
            _("%(names)s har upphört och kan inte bli part i ett avtal.")
            % {"names": ", ".join(f"{o.name} ({o.valid_to:%Y-%m-%d})" for o in ended)},
        )


def _check_single_in_force(agreement: Agreement) -> None:
    """Two agreements of one type binding the same parties cannot be in force at once.

    "The same parties": at least two organisations in common, so Lidingö cannot
    hold two single-entry agreements with Stockholm at once while a district may
    hold school agreements with many schools. The type's row is locked first so
    that two decisions completing two such agreements at the same time are
    checked one after the other (a range overlap across a set of parties is not
    a constraint the database can hold by itself).
    """
    if agreement.in_force_from is None:
        return
    AgreementType.objects.select_for_update().filter(pk=agreement.type_id).first()
    window = (agreement.in_force_from, agreement.in_force_until)
    organisation_ids = list(agreement.parties.values_list("organisation_id", flat=True))
    others = (
        Agreement.objects.filter(type_id=agreement.type_id, in_force_from__isnull=False)
        .exclude(pk=agreement.pk)
        .annotate(
            shared=Count(
                "parties",
                filter=Q(parties__organisation_id__in=organisation_ids),
                distinct=True,
            )
        )
        .filter(shared__gte=min(2, len(organisation_ids)))
    )
    for other in others:
        assert other.in_force_from is not None  # filtered above
        if rules.windows_overlap(window, (other.in_force_from, other.in_force_until)):
            raise Conflict(
                _(
                    "Parterna har redan ett avtal av samma slag som gäller samtidigt: "
                    "%(title)s (%(reference)s). Säg upp det eller ändra datumen först."
                )
                % {"title": other.title, "reference": other.reference}
            )


def _mail_on_commit(subject: str, message: str, recipients: Sequence[str]) -> None:
    """Mail once the change is committed; a mail failure never undoes the change."""
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return
    transaction.on_commit(
        lambda: send_mail(
            subject=subject,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=addresses,
            fail_silently=True,
        )
    )


def agreement_refresh_window(*, agreement: Agreement) -> Agreement:
    """Recompute the stored in-force window from the events (call inside a service)."""
    window = rules.in_force_window(agreement_facts(agreement))
    agreement.in_force_from, agreement.in_force_until = window if window else (None, None)
    agreement.save(update_fields=["in_force_from", "in_force_until"])
    return agreement


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    type_code: str,
    title: str,
    reference: str,
    organisations: Sequence[Organisation],
    start_date: date,
    end_date: date | None,
    renewal_months: int | None = None,
    max_renewals: int | None = None,
    open_ended_after_renewals: bool = False,
    notice_months: int | None = None,
    roles: Sequence[str] | None = None,
    **extra: Any,
) -> Agreement:
    """Create an agreement with its parties; terms default to the type's rules."""
    agreement_type = AgreementType.objects.get(code=type_code)
    if actor is not None:
        if not access.is_agreement_admin(actor):
            raise NotAllowed(_("Bara avtalsadministratörer kan registrera avtal."))
        if not access.can_create(actor, organisations):
            raise InvalidInput(
                "organisations", _("Din egen organisation måste vara part i avtalet.")
            )
    if len({o.pk for o in organisations}) < agreement_type.min_parties:
        raise InvalidInput(
            "organisations",
            _("Avtalet behöver minst %(n)s parter.") % {"n": agreement_type.min_parties},
        )
    if agreement_type.max_parties and len(organisations) > agreement_type.max_parties:
        raise InvalidInput(
            "organisations",
            _("Avtalet kan ha högst %(n)s parter.") % {"n": agreement_type.max_parties},
        )
    if end_date is not None and end_date < start_date:
        raise InvalidInput("end_date", _("Slutdatum kan inte vara före startdatum."))
    # A user registers from today; the system (demo data, imports) records history
    # as of the agreement's start.
    _check_not_ended(organisations, start_date if actor is None else max(start_date, _today()))
    if type_code == AgreementTypeCode.SINGLE_ENTRY and STOCKHOLM_CODE not in {
        o.code for o in organisations
    }:
        raise InvalidInput(
            "organisations", _("Ett avtal om en ingång tecknas alltid med Stockholms stad.")
        )
    agreement = Agreement(
        type=agreement_type,
        title=title,
        reference=reference,
        start_date=start_date,
        end_date=end_date,
        renewal_months=(
            agreement_type.renewal_months if renewal_months is None else renewal_months
        ),
        max_renewals=max_renewals,
        open_ended_after_renewals=open_ended_after_renewals,
        notice_months=agreement_type.notice_months if notice_months is None else notice_months,
        created_by=actor,
        **extra,
    )
    try:
        agreement.full_clean()
    except ValidationError as error:
        raise _invalid(error) from error
    agreement.save()
    for index, organisation in enumerate(organisations):
        role = roles[index] if roles else PartyRole.MEMBER
        AgreementParty.objects.create(agreement=agreement, organisation=organisation, role=role)
    agreement_refresh_window(agreement=agreement)
    _audit(actor, "create", agreement, agreement, title=title)
    agreement_created.send(sender=Agreement, agreement=agreement, actor=actor)
    return agreement


@transaction.atomic
def agreement_party_update(
    *,
    actor: Any,
    party: AgreementParty,
    acting_body: str | None = None,
    signatory_name: str | None = None,
    signatory_title: str | None = None,
    contact_person: str | None = None,
    contact_email: str | None = None,
    contact_phone: str | None = None,
) -> AgreementParty:
    """Change a party's details (committee, signatory, contact); None leaves one as it is.

    A party acts only for itself: its own administrator changes them. Each change
    is kept (who, when, from, to) and audited.
    """
    party = (
        AgreementParty.objects.select_for_update().select_related("organisation").get(pk=party.pk)
    )
    _check_admin(actor, party.agreement)
    if actor is not None and not access.acts_for(actor, party):
        raise NotAllowed(
            _(
                "Du kan bara ändra uppgifterna för din egen organisation "
                "(%(party)s är en annan part)."
            )
            % {"party": party.organisation.name}
        )
    wanted = {
        "acting_body": acting_body,
        "signatory_name": signatory_name,
        "signatory_title": signatory_title,
        "contact_person": contact_person,
        "contact_email": contact_email,
        "contact_phone": contact_phone,
    }
    before = {name: getattr(party, name) for name in PARTY_DETAIL_FIELDS}
    for name, value in wanted.items():
        if value is not None:
            setattr(party, name, value.strip())
    changed = [name for name in PARTY_DETAIL_FIELDS if getattr(party, name) != before[name]]
    if not changed:
        return party
    try:
        party.full_clean(exclude=["agreement", "organisation"])
    except ValidationError as error:
        raise _invalid(error) from error
    party.save(update_fields=changed)
    organisation = _acting_organisation(actor)
    AgreementPartyChange.objects.bulk_create(
        AgreementPartyChange(
            party=party,
            field=name,
            old_value=before[name],
            new_value=getattr(party, name),
            recorded_by=actor,
            recorded_by_organisation=organisation,
        )
        for name in changed
    )
    _audit(actor, "change", party, party.agreement, fields=",".join(changed))
    return party


def _freeze_version(
    actor: Any, agreement: Agreement, amendment: Amendment | None
) -> AgreementVersion | None:
    """Keep the text as decided once every party has decided (on the amendment, if any).

    Version 1 is the agreement; each amendment every party decided on makes the
    next version with the full text. The law cited is the law in force the day
    the agreement itself was decided.
    """
    party_ids = set(agreement.parties.values_list("id", flat=True))
    decided = dict(
        AgreementDecision.objects.filter(agreement=agreement, amendment=amendment).values_list(
            "party_id", "decided_on"
        )
    )
    if not party_ids or party_ids - set(decided):
        return None
    if agreement.versions.filter(amendment=amendment).exists():
        return None
    original = AgreementDecision.objects.filter(agreement=agreement, amendment__isnull=True)
    law_on = original.aggregate(day=Max("decided_on"))["day"] or max(decided.values())
    amendments = list(agreement.amendments.filter(versions__isnull=False).distinct())
    if amendment is not None:
        amendments.append(amendment)
    number = (agreement.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    html = documents.render_agreement_html(
        agreement,
        law_on=law_on,
        mark=documents.Mark.DECIDED,
        amendments=amendments,
        version=number,
    )
    version = AgreementVersion(
        agreement=agreement,
        number=number,
        amendment=amendment,
        decided_on=max(decided.values()),
        source=html,
    )
    version.document.save(
        f"avtal-{agreement.pk}-version-{number}.pdf",
        ContentFile(documents.html_to_pdf(html)),
        save=False,
    )
    version.save()
    _audit(actor, "create", version, agreement, version=number)
    return version


def _decision_authority(actor: Any, party: AgreementParty) -> access.Authority:
    """Own party, or the hub on the party's behalf; anyone else is refused."""
    if actor is None:
        return access.Authority.OWN  # the system records reference and demo data
    authority = access.decision_authority(actor, party)
    if authority == access.Authority.NONE:
        raise NotAllowed(
            _(
                "Du kan bara registrera beslut för din egen organisation "
                "(%(party)s är en annan part)."
            )
            % {"party": party.organisation.name}
        )
    return authority


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    agreement: Agreement,
    party: AgreementParty,
    body_kind: str,
    body_name: str,
    decided_on: date,
    reference: str = "",
    document: File | None = None,
    amendment: Amendment | None = None,
) -> AgreementDecision:
    """Record a party's decision on the agreement (or on an amendment).

    An administrator records their own party's decision. The hub municipality
    may register the other party's decision on its behalf, only with that
    party's signed decision attached; the party's administrators are then told
    (start page and mail).
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_admin(actor, agreement)
    _check_party(agreement, party)
    authority = _decision_authority(actor, party)
    on_behalf = authority == access.Authority.ON_BEHALF
    if amendment is not None and amendment.agreement_id != agreement.pk:
        raise InvalidInput("amendment", _("Tillägget hör till ett annat avtal."))
    if body_kind not in DecisionBody.values:
        raise InvalidInput("body_kind", _("Ange politiskt organ eller delegat."))
    if actor is not None and decided_on > _today():
        raise InvalidInput("decided_on", _("Beslutsdatum kan inte ligga i framtiden."))
    if AgreementDecision.objects.filter(party=party, amendment=amendment).exists():
        raise Conflict(_("Partens beslut är redan registrerat."))
    if amendment is not None:
        # Amendments are approved by the same body as the agreement (template §10).
        original = AgreementDecision.objects.filter(party=party, amendment__isnull=True).first()
        if original is None:
            raise InvalidInput("amendment", _("Registrera först partens beslut om själva avtalet."))
        if original.body_kind != body_kind:
            raise InvalidInput(
                "body_kind",
                _("Tillägg godkänns av samma organ som avtalet: %(body)s.")
                % {"body": original.body_name},
            )
    _check_file(
        document,
        required=on_behalf,
        message=_(
            "Bifoga det undertecknade beslutet från %(party)s: utan det kan beslutet inte "
            "registreras för partens räkning."
        )
        % {"party": party.organisation.name},
    )
    decision = AgreementDecision(
        agreement=agreement,
        amendment=amendment,
        party=party,
        body_kind=body_kind,
        body_name=body_name,
        decided_on=decided_on,
        reference=reference,
        recorded_by=actor,
        recorded_by_organisation=_acting_organisation(actor),
        on_behalf=on_behalf,
    )
    _save_with_document(decision, document, "beslut.pdf")
    agreement_refresh_window(agreement=agreement)
    _check_single_in_force(agreement)
    _freeze_version(actor, agreement, amendment)
    _audit(
        actor,
        "create",
        decision,
        agreement,
        party=party.organisation.code,
        on=decided_on,
        **({"on_behalf": True} if on_behalf else {}),
    )
    if on_behalf:
        _tell_party_of_decision(decision)
    return decision


def _tell_party_of_decision(decision: AgreementDecision) -> None:
    """Mail the party's administrators that the hub registered their decision for them."""
    party = decision.party
    _mail_on_commit(
        _("Samverkan: beslut registrerat för er räkning – %(title)s")
        % {"title": decision.agreement.title},
        _(
            "%(who)s har registrerat beslutet av %(day)s för %(party)s om avtalet "
            "”%(title)s” (%(reference)s), med det undertecknade beslutet bifogat.\n\n"
            "Kontrollera uppgifterna i Samverkan: beslutet visas på startsidan och på "
            "avtalets sida."
        )
        % {
            "who": recorder_text(decision),
            "party": party.organisation.name,
            "day": f"{decision.decided_on:%Y-%m-%d}",
            "title": decision.agreement.title,
            "reference": decision.agreement.reference,
        },
        list(access.party_administrators(party).values_list("email", flat=True)),
    )


@transaction.atomic
def notice_give(
    *,
    actor: Any,
    agreement: Agreement,
    party: AgreementParty,
    given_on: date,
    document: File | None = None,
) -> Notice:
    """Register a party's notice of termination; the last day follows from the terms.

    Only the party's own administrator gives its notice, always with the signed
    notice attached, dated no earlier than the day the agreement was decided.
    For a type with someone to tell (ROC for single entry) the system tells it at
    once: an item on its users' start page and a mail, until one of them
    acknowledges it (`notification_acknowledge`).
    """
    agreement = Agreement.objects.select_for_update().select_related("type").get(pk=agreement.pk)
    _check_admin(actor, agreement)
    _check_party(agreement, party)
    if actor is not None and not access.acts_for(actor, party):
        raise NotAllowed(
            _(
                "Du kan bara säga upp avtalet för din egen organisation "
                "(%(party)s är en annan part)."
            )
            % {"party": party.organisation.name}
        )
    if agreement.notices.exists():
        raise Conflict(_("Avtalet är redan uppsagt."))
    if actor is not None and given_on > _today():
        raise InvalidInput("given_on", _("Uppsägningsdatum kan inte ligga i framtiden."))
    facts = agreement_facts(agreement)
    decided = rules.decided_on(facts)
    if decided is None:
        raise InvalidInput(
            "given_on", _("Avtalet är inte beslutat av alla parter än och kan inte sägas upp.")
        )
    if given_on < decided:
        raise InvalidInput(
            "given_on",
            _("Uppsägningen kan inte vara daterad före %(day)s, då avtalet beslutades.")
            % {"day": f"{decided:%Y-%m-%d}"},
        )
    _check_file(
        document,
        required=True,
        message=_("Uppsägningen ska vara skriftlig: bifoga partens undertecknade uppsägning."),
    )
    status = rules.status_on(facts, given_on)
    if status.reason in (rules.Reason.EXPIRED, rules.Reason.TERMINATED):
        raise InvalidInput("given_on", _("Avtalet hade redan upphört det datumet."))
    notice = Notice(
        agreement=agreement,
        given_by=party,
        given_on=given_on,
        last_day=rules.notice_last_day(agreement.terms(), given_on),
        recorded_by=actor,
        recorded_by_organisation=_acting_organisation(actor),
    )
    _save_with_document(notice, document, "uppsagning.pdf")
    agreement_refresh_window(agreement=agreement)
    _audit(actor, "create", notice, agreement, given_on=given_on, last_day=notice.last_day)
    if agreement.type.notify_on_termination:
        _notify_recipient(actor, notice, agreement.type.notify_on_termination)
    return notice


def _notify_recipient(actor: Any, notice: Notice, code: str) -> TerminationNotification:
    """Tell the type's recipient (ROC) that the agreement ends: start page and mail."""
    agreement = notice.agreement
    try:
        recipient = Organisation.objects.get(code=code)
    except Organisation.DoesNotExist as error:
        # The agreement type names a recipient the registry lacks: set-up, not input.
        raise Conflict(_("Mottagaren %(code)s finns inte i registret.") % {"code": code}) from error
    notification = TerminationNotification.objects.create(
        agreement=agreement, notice=notice, recipient=recipient
    )
    _audit(actor, "create", notification, agreement, recipient=recipient.code)
    parties = ", ".join(
        party.organisation.name for party in agreement.parties.select_related("organisation")
    )
    _mail_on_commit(
        _("Samverkan: avtal uppsagt – %(title)s") % {"title": agreement.title},
        _(
            "Avtalet ”%(title)s” (%(reference)s) mellan %(parties)s är uppsagt av "
            "%(by)s den %(given_on)s. Sista dag avtalet gäller: %(last_day)s.\n\n"
            "Logga in i Samverkan och kvittera underrättelsen på startsidan."
        )
        % {
            "title": agreement.title,
            "reference": agreement.reference,
            "parties": parties,
            "by": notice.given_by.organisation.name,
            "given_on": f"{notice.given_on:%Y-%m-%d}",
            "last_day": f"{notice.last_day:%Y-%m-%d}",
        },
        list(access.recipient_users(notification).values_list("email", flat=True)),
    )
    return notification


@transaction.atomic
def notification_acknowledge(
    *, actor: Any, notification: TerminationNotification, at: datetime | None = None
) -> TerminationNotification:
    """The recipient (ROC) acknowledges the notice it was told of. Only once."""
    if actor is not None and not access.can_acknowledge(actor, notification):
        raise NotAllowed(_("Bara mottagarens användare kan kvittera underrättelsen."))
    at = at or timezone.now()
    updated = TerminationNotification.objects.filter(
        pk=notification.pk, acknowledged_at__isnull=True
    ).update(acknowledged_at=at, acknowledged_by=actor)
    if not updated:
        raise Conflict(_("Underrättelsen är redan kvitterad."))
    notification.refresh_from_db()
    _audit(actor, "change", notification, notification.agreement, acknowledged_at=at)
    return notification


@transaction.atomic
def amendment_add(
    *, actor: Any, agreement: Agreement, summary: str, text: str = "", effective_date: date
) -> Amendment:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_admin(actor, agreement)
    if not summary.strip():
        raise InvalidInput("summary", _("Beskriv ändringen."))
    number = (agreement.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
    amendment = Amendment.objects.create(
        agreement=agreement,
        number=number,
        summary=summary,
        text=text,
        effective_date=effective_date,
        created_by=actor,
    )
    _audit(actor, "create", amendment, agreement, number=number)
    return amendment


@transaction.atomic
def dpa_attach(
    *,
    actor: Any,
    agreement: Agreement,
    controller: Organisation,
    processor: Organisation,
    signed_on: date,
    valid_from: date,
    valid_to: date | None = None,
    document: File | None = None,
) -> DataProcessingAgreement:
    """Attach a data-processing agreement (personuppgiftsbiträdesavtal)."""
    _check_admin(actor, agreement)
    party_ids = set(agreement.parties.values_list("organisation_id", flat=True))
    if controller.pk not in party_ids or processor.pk not in party_ids:
        raise InvalidInput(
            None,
            _("Båda organisationerna ska vara parter i avtalet."),
            field_errors={
                name: [_("Båda organisationerna ska vara parter i avtalet.")]
                for name, organisation in (("controller", controller), ("processor", processor))
                if organisation.pk not in party_ids
            },
        )
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("valid_to", _("Slutdatum kan inte vara före startdatum."))
    _check_file(document, required=False, message="")
    dpa = DataProcessingAgreement(
        agreement=agreement,
        controller=controller,
        processor=processor,
        signed_on=signed_on,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=actor,
    )
    _save_with_document(dpa, document, "pub-avtal.pdf")
    _audit(actor, "create", dpa, agreement, valid_from=valid_from)
    return dpa
