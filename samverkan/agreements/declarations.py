"""What agreements declares for mergers, retention (core/crossing.py) and its documents."""

from __future__ import annotations

from samverkan.agreements import access, models
from samverkan.core import crossing, documents
from samverkan.registry.change_rules import AGREEMENTS

crossing.register_organisation_records(
    crossing.OrganisationRecords(
        model="agreements.AgreementParty",
        plural="avtal (som part)",
        fields=("organisation",),
        category=AGREEMENTS,
        label=lambda party: f"{party.agreement.title} ({party.agreement.reference})",
        is_open=lambda party, day: (
            party.agreement.in_force_until is None or party.agreement.in_force_until >= day
        ),
        detail=lambda party, _name: party.acting_body,
        rows_of="agreement",
        prepare=lambda parties: parties.select_related("agreement", "organisation"),
    ),
    crossing.OrganisationRecords(
        model="agreements.TerminationNotification",
        fields=("recipient",),
        category=AGREEMENTS,
        label=lambda notification: f"Underrättelse om uppsägning ({notification.agreement.title})",
        is_open=lambda notification, _day: notification.acknowledged_at is None,
        detail={"recipient": "ska kvittera"},
        prepare=lambda notifications: notifications.select_related("agreement"),
    ),
)

crossing.register_stays(
    crossing.StaysWithOrganisation(
        "agreements.DataProcessingAgreement",
        ("controller", "processor"),
        "A signed agreement names the parties that signed it; a successor signs its own.",
    ),
    crossing.StaysWithOrganisation(
        "agreements.AgreementDecision",
        ("recorded_by_organisation",),
        "History: the organisation whose user registered the decision, as it was then.",
    ),
    crossing.StaysWithOrganisation(
        "agreements.Notice",
        ("recorded_by_organisation",),
        "History: the organisation whose user registered the notice, as it was then.",
    ),
    crossing.StaysWithOrganisation(
        "agreements.AgreementPartyChange",
        ("recorded_by_organisation",),
        "History: the organisation whose user changed the party's details, as it was then.",
    ),
)

crossing.register_personal_data(
    crossing.PersonalData(
        model="agreements.AgreementParty",
        names=("signatory_name", "contact_person", "contact_email", "contact_phone"),
        kept="Staff who signed or are the contact: part of the agreement, kept with it.",
    ),
    crossing.PersonalData(
        model="agreements.AgreementPartyChange",
        names=("old_value", "new_value"),
        not_personal={"field": "the name of the changed detail"},
        kept="The history of a party's signatory and contact: kept with the agreement.",
    ),
    crossing.PersonalData(
        model="agreements.AgreementVersion",
        names=("source",),
        documents=("document",),
        kept="The agreement as decided, naming its signatories: kept with the agreement.",
    ),
    crossing.PersonalData(
        model="agreements.AgreementType", not_personal={"name": "a kind of agreement"}
    ),
    crossing.PersonalData(
        model="agreements.Amendment", not_personal={"text": "the agreement's text"}
    ),
    crossing.PersonalData(
        model="agreements.AgreementDecision",
        not_personal={"body_name": "a committee", "document": "the decision on the agreement"},
    ),
    crossing.PersonalData(
        model="agreements.Notice", not_personal={"document": "a notice of termination"}
    ),
    crossing.PersonalData(
        model="agreements.DataProcessingAgreement",
        not_personal={"document": "the signed data processing agreement"},
    ),
)


def _first_party_code(agreement: models.Agreement) -> str:
    """The agreement's owner for the access log: its first party (as services audit it)."""
    first = agreement.parties.select_related("organisation").order_by("id").first()
    return first.organisation.code if first else ""


# --- uploaded documents (core/documents.py) ---------------------------------------------

documents.register_documents(
    documents.StoredDocument(
        kind="avtalsbeslut",
        model="agreements.AgreementDecision",
        visible_to=documents.records_on(models.AgreementDecision, "agreement", access.visible_to),
        controller=lambda decision: decision.party.organisation.code,
    ),
    documents.StoredDocument(
        kind="uppsagning",
        model="agreements.Notice",
        visible_to=documents.records_on(models.Notice, "agreement", access.visible_to),
        controller=lambda notice: notice.given_by.organisation.code,
    ),
    # the agreement's text as decided (one PDF per version), served as it was kept
    documents.StoredDocument(
        kind="avtalsversion",
        model="agreements.AgreementVersion",
        visible_to=documents.records_on(models.AgreementVersion, "agreement", access.visible_to),
        controller=lambda version: _first_party_code(version.agreement),
    ),
    documents.StoredDocument(
        kind="pub-avtal",
        model="agreements.DataProcessingAgreement",
        visible_to=documents.records_on(
            models.DataProcessingAgreement, "agreement", access.visible_to
        ),
        controller=lambda dpa: dpa.controller.code,
    ),
)
