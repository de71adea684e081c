"""Every state change of defector assignments: `<entity>_<action>(*, actor, ...)`.

Each service runs in one transaction, checks that the actor may act (the
right side of the assignment, the defector coordinator role), writes, and
records the event and the audit entry. Refusals raise the errors of
`samverkan.core.errors` with a Swedish message meant for the user: the wrong
party `NotAllowed`, wrong input `InvalidInput` (naming the field), an action
the assignment's state no longer allows, or someone else's change first,
`Conflict`. Who may act is asked of `samverkan.defectors.access`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.agreements.models import AgreementTypeCode
from samverkan.agreements.selectors import agreement_status_at
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of
from samverkan.core.audited import create_audited
from samverkan.core.errors import Conflict, InvalidInput, NotAllowed
from samverkan.core.models import RecordedBy
from samverkan.core.personal_data import guard_text
from samverkan.core.uploads import validate_upload
from samverkan.defectors import access, rules
from samverkan.defectors.models import (
    Assignment,
    AssignmentEvent,
    CatalogueIntervention,
    ChildrenTask,
    Consultation,
    CostEntry,
    EvaluationLesson,
    FollowUp,
    HandlingRule,
    ImplementationPlan,
    InterventionStatus,
    PlannedIntervention,
    PreconditionConfirmation,
    Reconciliation,
    TermsChange,
    ThreatAssessment,
)
from samverkan.defectors.templatetags.defectors_tags import format_sek
from samverkan.registry.models import Organisation
from samverkan.registry.selectors import municipality_of

R = TypeVar("R", bound=RecordedBy)


class NotReady(Conflict):
    """The assignment cannot take this step yet; `messages` names each thing missing.

    The API lists each as its own error item; a page shows the whole message.
    """

    def __init__(self, message: str, messages: Sequence[str]) -> None:
        super().__init__(message)
        self.messages = list(messages)

    def as_items(self) -> list[dict[str, Any]]:
        return [{"type": self.kind, "loc": [], "msg": text} for text in self.messages]


def _check_document(document: File) -> None:
    """Only PDF/PNG/JPEG within the size limit (samverkan.core.uploads)."""
    try:
        validate_upload(document)
    except ValidationError as error:
        raise InvalidInput("document", " ".join(error.messages)) from error


# --- helpers ---------------------------------------------------------------------------


def today() -> date:
    return timezone.localdate()


def actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return name or getattr(actor, "username", str(actor))


def _require_side(actor: Any, assignment: Assignment, side: rules.Side | None = None) -> rules.Side:
    found = access.side_of(actor, assignment)
    if found is None:
        raise NotAllowed(_("Du har inte behörighet att arbeta med detta uppdrag."))
    if side is not None and found is not side:
        if side is rules.Side.HOME:
            raise NotAllowed(_("Endast hemkommunen får göra detta."))
        raise NotAllowed(_("Endast den mottagande kommunen får göra detta."))
    return found


def _require_coordinator(actor: Any) -> Organisation:
    if not access.may_work_with_defectors(actor):
        raise NotAllowed(_("Du har inte behörighet att arbeta med avhopparuppdrag."))
    municipality = access.own_municipality(actor)
    if municipality is None:
        raise NotAllowed(_("Ditt konto hör inte till någon kommun."))
    return municipality


def _require_party(actor: Any, agreement: Any, message: str) -> Organisation:
    own = _require_coordinator(actor)
    if own.code not in access.party_codes(agreement):
        raise NotAllowed(message)
    return own


def audit(
    actor: Any,
    action: str,
    record: Any,
    *,
    controller: str,
    reason: str = "",
    detail: dict | None = None,
) -> None:
    """The audit entry for a defector record (`defectors.<Model>`), the actor's act on it."""
    audit_record_of(
        record, actor=actor, action=action, controller=controller, reason=reason, detail=detail
    )


def _record(model: type[R], *, actor: Any, assignment: Assignment, **fields: Any) -> R:
    """A row the actor records about the assignment (a meeting held, say), audited."""
    return create_audited(
        actor,
        model,
        controller=assignment.home_municipality.code,
        assignment=assignment,
        recorded_by=actor,
        recorded_at=timezone.now(),
        **fields,
    )


def agreement_is_defector_type(agreement: Any) -> bool:
    return getattr(agreement.type, "code", None) == AgreementTypeCode.DEFECTOR_SERVICES


def agreement_in_force(agreement: Any, at: datetime) -> bool:
    return bool(agreement_status_at(agreement, at).in_force)


@dataclass(frozen=True)
class AgreementTerms:
    """The defector terms kept on the agreement (edited by its administrators)."""

    threshold: Decimal
    caps: rules.PilotCaps


def terms_for(agreement: Any) -> AgreementTerms:
    enabled = agreement.pilot_max_sent is not None or agreement.pilot_max_received is not None
    unlimited = 10**6
    return AgreementTerms(
        threshold=rules.to_sek(agreement.materiality_threshold or Decimal("0")),
        caps=rules.PilotCaps(
            enabled=enabled,
            max_sent=agreement.pilot_max_sent
            if agreement.pilot_max_sent is not None
            else unlimited,
            max_received=(
                agreement.pilot_max_received
                if agreement.pilot_max_received is not None
                else unlimited
            ),
            starts=agreement.start_date,
            ends=agreement.pilot_until,
        ),
    )


def _next_reference(on: date) -> str:
    prefix = f"AVH-{on.year}-"
    count = Assignment.objects.filter(reference__startswith=prefix).count()
    while True:
        count += 1
        reference = f"{prefix}{count:04d}"
        if not Assignment.objects.filter(reference=reference).exists():
            return reference


def _event(
    assignment: Assignment,
    *,
    actor: Any,
    side: rules.Side,
    from_state: str,
    to_state: str,
    at: datetime,
    reason: str = "",
) -> AssignmentEvent:
    return AssignmentEvent.objects.create(
        assignment=assignment,
        at=at,
        from_state=from_state,
        to_state=to_state,
        side=side.value,
        actor=actor,
        actor_label=actor_label(actor),
        reason=reason,
    )


# --- assignment lifecycle ----------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    actor: Any,
    agreement: Any,
    receiving_municipality: Organisation,
    person_alias: str,
    summary: str = "",
    home_handler: Organisation | None = None,
    receiving_handler: Organisation | None = None,
) -> Assignment:
    """The home municipality (the actor's) drafts an assignment to a receiving municipality."""
    home = _require_coordinator(actor)
    now = timezone.now()
    if not agreement_is_defector_type(agreement):
        raise InvalidInput("agreement", _("Avtalet är inte ett avtal om insatser till avhoppare."))
    _check_draft(agreement, home, receiving_municipality, person_alias)
    if not agreement_in_force(agreement, now):
        raise InvalidInput(
            "agreement", _("Avtalet gäller inte i dag; inga nya uppdrag kan registreras.")
        )
    assignment = Assignment.objects.create(
        reference=_next_reference(timezone.localdate(now)),
        agreement=agreement,
        home_municipality=home,
        receiving_municipality=receiving_municipality,
        home_handler=home_handler
        or (actor.organisation if actor.organisation_id != home.pk else None),
        receiving_handler=receiving_handler,
        person_alias=person_alias.strip(),
        summary=summary,
        created_at=now,
        created_by=actor,
    )
    ImplementationPlan.objects.create(assignment=assignment)
    seed_catalogue(agreement)  # an agreement made before catalogues were seeded at creation
    _event(
        assignment,
        actor=actor,
        side=rules.Side.HOME,
        from_state="",
        to_state=rules.State.DRAFT,
        at=now,
    )
    audit(actor, AuditAction.CREATE, assignment, controller=home.code)
    return assignment


def _check_draft(
    agreement: Any, home: Organisation, receiving: Organisation, person_alias: str
) -> None:
    """What a draft must hold, when it is made and when it is changed."""
    parties = access.party_codes(agreement)
    if home.code not in parties or receiving.code not in parties:
        raise InvalidInput(
            "receiving_municipality",
            _("Både hemkommunen och den mottagande kommunen måste vara parter i avtalet."),
        )
    if home.pk == receiving.pk:
        raise InvalidInput(
            "receiving_municipality",
            _("Den mottagande kommunen måste vara en annan kommun än hemkommunen."),
        )
    if not person_alias.strip():
        raise InvalidInput("person_alias", _("Ange ett fingerat namn eller en kodbeteckning."))


@transaction.atomic
def assignment_edit(
    *,
    actor: Any,
    assignment: Assignment,
    receiving_municipality: Organisation,
    person_alias: str,
    summary: str = "",
) -> Assignment:
    """The home municipality changes its draft (nobody else has seen it yet)."""
    _require_side(actor, assignment, rules.Side.HOME)
    if rules.State(assignment.state) not in rules.EDITABLE_STATES:
        raise Conflict(
            _("Bara ett utkast kan ändras. Uppdraget är nu ”%(state)s”.")
            % {"state": rules.STATE_LABELS[rules.State(assignment.state)]}
        )
    _check_draft(
        assignment.agreement, assignment.home_municipality, receiving_municipality, person_alias
    )
    changes = {
        "receiving_municipality": receiving_municipality,
        "person_alias": person_alias.strip(),
        "summary": summary,
    }
    editable = [state.value for state in rules.EDITABLE_STATES]
    if Assignment.objects.filter(pk=assignment.pk, state__in=editable).update(**changes) != 1:
        raise Conflict(_("Någon annan har just ändrat uppdraget. Ladda om sidan och försök igen."))
    assignment.refresh_from_db()
    audit(
        actor,
        AuditAction.CHANGE,
        assignment,
        controller=assignment.home_municipality.code,
        detail={"edited": sorted(changes)},
    )
    return assignment


def _transition(
    *,
    actor: Any,
    assignment: Assignment,
    target: rules.State,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> Assignment:
    side = _require_side(actor, assignment)
    current = rules.State(assignment.state)
    error = rules.transition_error(current=current, target=target, side=side, reason=reason)
    if error:
        raise _transition_refusal(current, target, side, error)
    now = timezone.now()
    changes: dict[str, Any] = {"state": target.value, "state_reason": reason.strip()}
    changes.update(extra or {})
    updated = Assignment.objects.filter(pk=assignment.pk, state=current.value).update(**changes)
    if updated != 1:
        raise Conflict(_("Någon annan har just ändrat uppdraget. Ladda om sidan och försök igen."))
    _event(
        assignment,
        actor=actor,
        side=side,
        from_state=current.value,
        to_state=target.value,
        at=now,
        reason=reason.strip(),
    )
    assignment.refresh_from_db()
    audit(
        actor,
        AuditAction.CHANGE,
        assignment,
        controller=assignment.home_municipality.code,
        reason=reason.strip(),
        detail={"from": current.value, "to": target.value},
    )
    return assignment


def _transition_refusal(
    current: rules.State, target: rules.State, side: rules.Side, error: str
) -> Conflict | NotAllowed | InvalidInput:
    """Why `rules.transition_error` refused: the state, the side, or a missing reason."""
    rule = rules.TRANSITIONS.get((current, target))
    if rule is None:
        return Conflict(error)
    entitled, _needs_reason = rule
    if side is not entitled:
        return NotAllowed(error)
    return InvalidInput("reason", error)


@transaction.atomic
def assignment_start_consultation(*, actor: Any, assignment: Assignment) -> Assignment:
    return _transition(actor=actor, assignment=assignment, target=rules.State.CONSULTATION)


def open_children_tasks(assignment: Assignment) -> bool:
    return assignment.children_tasks.filter(closed_at__isnull=True).exists()


def request_blockers(assignment: Assignment) -> list[rules.Missing]:
    confirmations = [c.as_rule() for c in assignment.preconditions.select_related("police_unit")]
    return rules.missing_preconditions(
        confirmations, children_known=open_children_tasks(assignment)
    )


def counted_assignments(agreement: Any, *, within: rules.PilotCaps | None = None) -> Any:
    qs = Assignment.objects.filter(
        agreement=agreement, state__in=[s.value for s in rules.COUNTED_STATES]
    )
    if within is not None:
        requested = AssignmentEvent.objects.filter(to_state=rules.State.REQUESTED)
        if within.starts is not None:
            requested = requested.filter(at__date__gte=within.starts)
        if within.ends is not None:
            requested = requested.filter(at__date__lte=within.ends)
        qs = qs.filter(pk__in=requested.values("assignment_id"))
    return qs


def cap_check(assignment: Assignment, on: date) -> rules.CapCheck:
    terms = terms_for(assignment.agreement)
    caps = terms.caps
    counted = counted_assignments(assignment.agreement, within=caps).exclude(pk=assignment.pk)
    return rules.pilot_cap_check(
        caps=caps,
        on=on,
        home_name=assignment.home_municipality.name,
        home_sent=counted.filter(home_municipality=assignment.home_municipality).count(),
        receiving_name=assignment.receiving_municipality.name,
        receiving_received=counted.filter(
            receiving_municipality=assignment.receiving_municipality
        ).count(),
    )


@transaction.atomic
def assignment_request(*, actor: Any, assignment: Assignment) -> Assignment:
    """The home municipality sends the request: discloses data to the receiving municipality."""
    _require_side(actor, assignment, rules.Side.HOME)
    # Serialise requests under one agreement so two requests cannot both squeeze under a cap.
    type(assignment.agreement).objects.select_for_update().filter(
        pk=assignment.agreement_id
    ).first()
    missing = request_blockers(assignment)
    if missing:
        raise NotReady(
            _("Uppdraget kan inte begäras än. Det saknas: %(missing)s")
            % {"missing": " ".join(m.message for m in missing)},
            [m.message for m in missing],
        )
    now = timezone.now()
    if not agreement_in_force(assignment.agreement, now):
        raise Conflict(_("Avtalet gäller inte i dag; uppdraget kan inte begäras."))
    check = cap_check(assignment, timezone.localdate(now))
    if not check.ok:
        raise NotReady(" ".join(check.messages), check.messages)
    assignment = _transition(actor=actor, assignment=assignment, target=rules.State.REQUESTED)
    legal = assignment.preconditions.get(kind=rules.PreconditionKind.LEGAL_BASIS)
    basis_label = str(rules.LEGAL_BASIS_LABELS[rules.LegalBasis(legal.legal_basis)])
    audit(
        actor,
        AuditAction.DISCLOSE,
        assignment,
        controller=assignment.home_municipality.code,
        reason=_("Utlämnande till mottagande kommun (%(to)s) med stöd av: %(basis)s")
        % {"to": assignment.receiving_municipality.name, "basis": basis_label},
        detail={
            "shown": [_("Uppdraget med personens uppgifter och bakgrund")],
            "to": [assignment.receiving_municipality.name],
            "recipient": assignment.receiving_municipality.code,
            "legal_basis": legal.legal_basis,
            "legal_basis_confirmed_on": legal.confirmed_on.isoformat(),
            "document": legal.document.name,
        },
    )
    return assignment


@transaction.atomic
def assignment_accept(*, actor: Any, assignment: Assignment) -> Assignment:
    return _transition(actor=actor, assignment=assignment, target=rules.State.ACCEPTED)


@transaction.atomic
def assignment_decline(*, actor: Any, assignment: Assignment, reason: str) -> Assignment:
    return _transition(
        actor=actor, assignment=assignment, target=rules.State.DECLINED, reason=reason
    )


@transaction.atomic
def assignment_activate(
    *, actor: Any, assignment: Assignment, started_on: date | None = None
) -> Assignment:
    return _transition(
        actor=actor,
        assignment=assignment,
        target=rules.State.ACTIVE,
        extra={"started_on": started_on or today()},
    )


@transaction.atomic
def assignment_end(
    *, actor: Any, assignment: Assignment, reason: str, ended_on: date | None = None
) -> Assignment:
    return _transition(
        actor=actor,
        assignment=assignment,
        target=rules.State.ENDED,
        reason=reason,
        extra={"ended_on": ended_on or today()},
    )


@transaction.atomic
def assignment_withdraw(*, actor: Any, assignment: Assignment, reason: str) -> Assignment:
    """The home municipality drops a draft or a consultation; the reason stays in the history."""
    return _transition(
        actor=actor, assignment=assignment, target=rules.State.WITHDRAWN, reason=reason
    )


# The lifecycle actions a party takes by name (pages and API): the service, and
# whether it takes the party's reason.
ASSIGNMENT_ACTIONS: dict[str, tuple[Callable[..., Assignment], bool]] = {
    "consultation": (assignment_start_consultation, False),
    "request": (assignment_request, False),
    "accept": (assignment_accept, False),
    "decline": (assignment_decline, True),
    "activate": (assignment_activate, False),
    "end": (assignment_end, True),
    "withdraw": (assignment_withdraw, True),
}


def assignment_act(
    *, actor: Any, assignment: Assignment, action: str, reason: str = ""
) -> Assignment:
    """Take the lifecycle action named `action` (one of `ASSIGNMENT_ACTIONS`)."""
    if action not in ASSIGNMENT_ACTIONS:
        raise InvalidInput("action", _("Okänd åtgärd."))
    service, takes_reason = ASSIGNMENT_ACTIONS[action]
    kwargs = {"reason": reason} if takes_reason else {}
    return service(actor=actor, assignment=assignment, **kwargs)


# --- preconditions, threat, children, consultations ---------------------------------------


BEFORE_REQUEST = (rules.State.DRAFT.value, rules.State.CONSULTATION.value)
AFTER_ACCEPTANCE = (rules.State.ACCEPTED.value, rules.State.ACTIVE.value, rules.State.ENDED.value)


@transaction.atomic
def precondition_confirm(
    *,
    actor: Any,
    assignment: Assignment,
    kind: rules.PreconditionKind,
    confirmed_on: date,
    police_unit: Organisation | None = None,
    police_unit_name: str = "",
    legal_basis: str = "",
    document: File | None = None,
    note: str = "",
) -> PreconditionConfirmation:
    _require_side(actor, assignment, rules.Side.HOME)
    if assignment.state not in BEFORE_REQUEST:
        raise Conflict(_("Förutsättningarna kan inte ändras efter att uppdraget har begärts."))
    if confirmed_on > today():
        raise InvalidInput("confirmed_on", _("Datumet kan inte ligga i framtiden."))
    police = kind in (
        rules.PreconditionKind.POLICE_CONSULTATION_HOME,
        rules.PreconditionKind.POLICE_CONSULTATION_RECEIVING,
    )
    if police and police_unit is None and not police_unit_name.strip():
        raise InvalidInput("police_unit", _("Ange vilken polisenhet samrådet hölls med."))
    if kind is rules.PreconditionKind.LEGAL_BASIS:
        if legal_basis not in {b.value for b in rules.LegalBasis}:
            raise InvalidInput(
                "legal_basis", _("Ange vilken laglig grund som gäller för utlämnandet.")
            )
    if kind is rules.PreconditionKind.NO_CHILDREN and open_children_tasks(assignment):
        raise Conflict(
            _("Det finns en öppen uppgift om barn; klargör ansvaret innan detta bekräftas.")
        )
    existing = PreconditionConfirmation.objects.filter(assignment=assignment, kind=kind).first()
    confirmation = existing or PreconditionConfirmation(assignment=assignment, kind=kind)
    confirmation.confirmed_on = confirmed_on
    confirmation.confirmed_by = actor
    confirmation.confirmed_by_name = actor_label(actor)
    confirmation.police_unit = police_unit if police else None
    confirmation.police_unit_name = police_unit_name.strip() if police else ""
    confirmation.legal_basis = legal_basis if kind is rules.PreconditionKind.LEGAL_BASIS else ""
    if document is not None:
        _check_document(document)
        confirmation.document = document  # type: ignore[assignment]
    confirmation.note = note
    confirmation.recorded_at = timezone.now()
    confirmation.save()
    audit(
        actor,
        AuditAction.CHANGE if existing else AuditAction.CREATE,
        confirmation,
        controller=assignment.home_municipality.code,
        detail={"assignment": assignment.pk, "kind": str(kind)},
    )
    return confirmation


@transaction.atomic
def threat_assessment_record(
    *,
    actor: Any,
    assignment: Assignment,
    assessed_on: date,
    level: rules.ThreatLevel,
    relocation_needed: bool,
    police_unit: Organisation | None = None,
    note: str = "",
) -> ThreatAssessment:
    """Record the BOPS threat assessment; it may move the case to the central defector unit."""
    _require_side(actor, assignment, rules.Side.HOME)
    threat = ThreatAssessment.objects.create(
        assignment=assignment,
        assessed_on=assessed_on,
        police_unit=police_unit,
        level=level.value,
        relocation_needed=relocation_needed,
        note=note,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    handling = HandlingRule.objects.filter(municipality=assignment.home_municipality).first()
    central = rules.handled_centrally(
        rule=handling.rule if handling else None,
        threat=level,
        relocation_needed=relocation_needed,
    )
    if central and handling is not None and not assignment.handled_centrally:
        assignment.handled_centrally = True
        assignment.home_handler = handling.central_organisation or assignment.home_municipality
        assignment.home_unit = handling.central_unit
        assignment.save(update_fields=["handled_centrally", "home_handler", "home_unit"])
    audit(
        actor,
        AuditAction.CREATE,
        threat,
        controller=assignment.home_municipality.code,
        detail={"assignment": assignment.pk, "handled_centrally": assignment.handled_centrally},
    )
    return threat


@transaction.atomic
def children_task_create(*, actor: Any, assignment: Assignment, description: str) -> ChildrenTask:
    """Children appeared: an immediate task for both parties to settle responsibility."""
    _require_side(actor, assignment)
    if not description.strip():
        raise InvalidInput("description", _("Beskriv vad som har framkommit om barn."))
    return create_audited(
        actor,
        ChildrenTask,
        controller=assignment.home_municipality.code,
        assignment=assignment,
        description=description.strip(),
        created_at=timezone.now(),
        created_by=actor,
    )


@transaction.atomic
def children_task_close(*, actor: Any, task: ChildrenTask, resolution: str) -> ChildrenTask:
    _require_side(actor, task.assignment)
    if not resolution.strip():
        raise InvalidInput("resolution", _("Beskriv hur ansvaret för barnen har fördelats."))
    guard_text("resolution", resolution, confirmed=True)  # the page posts it without a form
    updated = ChildrenTask.objects.filter(pk=task.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=actor, resolution=resolution.strip()
    )
    if updated != 1:
        raise Conflict(_("Uppgiften är redan stängd."))
    task.refresh_from_db()
    audit(actor, AuditAction.CHANGE, task, controller=task.assignment.home_municipality.code)
    return task


@transaction.atomic
def consultation_record(
    *,
    actor: Any,
    assignment: Assignment,
    held_on: date,
    participants: str,
    notes: str = "",
    decisions: str = "",
) -> Consultation:
    _require_side(actor, assignment)
    if not participants.strip():
        raise InvalidInput("participants", _("Ange vilka som deltog i samrådet."))
    return _record(
        Consultation,
        actor=actor,
        assignment=assignment,
        held_on=held_on,
        participants=participants.strip(),
        notes=notes,
        decisions=decisions,
    )


# --- implementation plan -------------------------------------------------------------------


@transaction.atomic
def plan_decide(
    *, actor: Any, assignment: Assignment, decided_on: date, goals: str = ""
) -> ImplementationPlan:
    """The home municipality decides the plan after consultation with the receiving one."""
    _require_side(actor, assignment, rules.Side.HOME)
    if not assignment.consultations.exists():
        raise Conflict(
            _(
                "Genomförandeplanen beslutas efter samråd med den mottagande kommunen; "
                "registrera samrådet först."
            )
        )
    plan, _created = ImplementationPlan.objects.get_or_create(assignment=assignment)
    plan.decided_on = decided_on
    plan.decided_by = actor
    plan.goals = goals
    plan.save()
    audit(actor, AuditAction.CHANGE, plan, controller=assignment.home_municipality.code)
    return plan


@transaction.atomic
def plan_intervention_add(
    *,
    actor: Any,
    assignment: Assignment,
    kind: rules.InterventionKind,
    catalogue_item: CatalogueIntervention | None = None,
    description: str = "",
) -> PlannedIntervention:
    _require_side(actor, assignment, rules.Side.HOME)
    if assignment.state in (rules.State.DECLINED.value, rules.State.ENDED.value):
        raise Conflict(_("Uppdraget är avslutat; planen kan inte ändras."))
    if kind is rules.InterventionKind.CATALOGUE:
        if catalogue_item is None or catalogue_item.agreement_id != assignment.agreement_id:
            raise InvalidInput("catalogue_item", _("Välj en insats ur avtalets katalog."))
        if not catalogue_item.is_active:
            raise InvalidInput(
                "catalogue_item", _("Insatsen finns inte längre i avtalets katalog.")
            )
    else:
        catalogue_item = None
        if kind is rules.InterventionKind.OUTSIDE and not description.strip():
            raise InvalidInput(
                "description",
                _(
                    "Beskriv insatsen utanför katalogen (till exempel hemtjänst eller "
                    "försörjningsstöd)."
                ),
            )
    plan, _created = ImplementationPlan.objects.get_or_create(assignment=assignment)
    return create_audited(
        actor,
        PlannedIntervention,
        controller=assignment.home_municipality.code,
        plan=plan,
        kind=kind.value,
        catalogue_item=catalogue_item,
        description=description.strip(),
    )


@transaction.atomic
def intervention_decline_not_offered(
    *, actor: Any, intervention: PlannedIntervention, reason: str
) -> PlannedIntervention:
    """The receiving municipality offers only what it already offers others."""
    assignment = intervention.plan.assignment
    _require_side(actor, assignment, rules.Side.RECEIVING)
    if intervention.kind_enum is not rules.InterventionKind.CATALOGUE:
        raise InvalidInput(None, _("Bara insatser som den mottagande kommunen ska ge kan avböjas."))
    if not reason.strip():
        raise InvalidInput(
            "reason", _("Ange skälet, till exempel att kommunen inte erbjuder insatsen.")
        )
    guard_text("reason", reason, confirmed=True)  # the page posts it without a form
    updated = PlannedIntervention.objects.filter(
        pk=intervention.pk, status=InterventionStatus.PLANNED
    ).update(status=InterventionStatus.DECLINED_NOT_OFFERED, decline_reason=reason.strip())
    if updated != 1:
        raise Conflict(_("Insatsen har redan påbörjats eller avböjts."))
    intervention.refresh_from_db()
    audit(actor, AuditAction.CHANGE, intervention, controller=assignment.home_municipality.code)
    return intervention


@transaction.atomic
def intervention_set_status(
    *, actor: Any, intervention: PlannedIntervention, status: str
) -> PlannedIntervention:
    assignment = intervention.plan.assignment
    side = _require_side(actor, assignment)
    if side is not intervention.bearer:
        raise NotAllowed(_("Bara den part som ger insatsen ändrar dess status."))
    if status not in (
        InterventionStatus.PLANNED,
        InterventionStatus.ONGOING,
        InterventionStatus.ENDED,
    ):
        raise InvalidInput("status", _("Ogiltig status."))
    intervention.status = status
    intervention.save(update_fields=["status"])
    audit(actor, AuditAction.CHANGE, intervention, controller=assignment.home_municipality.code)
    return intervention


# --- cost ledger and reconciliation ----------------------------------------------------------


def _pair(assignment: Assignment) -> tuple[Organisation, Organisation]:
    a, b = assignment.home_municipality, assignment.receiving_municipality
    return (a, b) if a.code <= b.code else (b, a)


def locked_periods(agreement: Any, a: Organisation, b: Organisation) -> set[rules.Period]:
    codes = Reconciliation.objects.filter(
        agreement=agreement, party_a=a, party_b=b, locked_at__isnull=False
    ).values_list("period", flat=True)
    return {rules.Period.parse(code) for code in codes}


# How people write an amount: digits, thousands grouped by a space (ordinary, no-break
# or narrow no-break), a decimal comma or point. No exponent, no NaN, no Infinity.
_AMOUNT = re.compile(r"^[+\-\u2212]?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[,.]\d+)?$")


def parse_amount(value: Any) -> Decimal:
    """A SEK amount from user input: '100 000,50' or '12345.50'. Never a float, never '1e5'."""
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip()
        if not _AMOUNT.match(text):
            raise InvalidInput(
                "amount",
                _(
                    "Ange beloppet i kronor med siffror, till exempel 100 000,50 "
                    "(mellanslag mellan tusental, decimalkomma)."
                ),
            )
        digits = re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".").replace("\u2212", "-")
        try:
            amount = Decimal(digits)
        except InvalidOperation as error:  # pragma: no cover - the pattern admits only digits
            raise InvalidInput(
                "amount", _("Ange beloppet i kronor, till exempel 12 500,00.")
            ) from error
    if not amount.is_finite():
        raise InvalidInput("amount", _("Ange beloppet i kronor med högst två decimaler."))
    # Before quantize: a huge exponent (1e999999) makes quantize raise.
    if amount.copy_abs() >= Decimal("10000000000"):
        raise InvalidInput("amount", _("Beloppet är orimligt stort."))
    if amount != amount.quantize(rules.ORE):
        raise InvalidInput("amount", _("Ange beloppet i kronor med högst två decimaler."))
    if amount == 0:
        raise InvalidInput("amount", _("Beloppet kan inte vara noll."))
    return rules.to_sek(amount)


@transaction.atomic
def cost_book(
    *,
    actor: Any,
    assignment: Assignment,
    intervention: PlannedIntervention,
    incurred_on: date,
    amount: Decimal | str,
    document: File | None = None,
    note: str = "",
) -> CostEntry:
    """Book a cost: the receiving side for catalogue interventions, the home side for its own."""
    side = _require_side(actor, assignment)
    if intervention.plan.assignment_id != assignment.pk:
        raise InvalidInput("intervention", _("Insatsen hör inte till detta uppdrag."))
    if assignment.state not in AFTER_ACCEPTANCE:
        raise Conflict(_("Kostnader kan bokas först när uppdraget har accepterats."))
    error = rules.booking_error(kind=intervention.kind_enum, booked_by=side)
    if error:
        # The party chose an intervention the other party bears: the choice is wrong.
        raise InvalidInput("intervention", error)
    if intervention.status == InterventionStatus.DECLINED_NOT_OFFERED:
        raise Conflict(_("Insatsen är avböjd; inga kostnader kan bokas på den."))
    if incurred_on > today():
        raise InvalidInput("incurred_on", _("Datumet kan inte ligga i framtiden."))
    value = parse_amount(amount)
    a, b = _pair(assignment)
    # Lock the pair's reconciliations so an approval cannot slip in between.
    list(
        Reconciliation.objects.select_for_update().filter(
            agreement=assignment.agreement, party_a=a, party_b=b
        )
    )
    refusal = rules.booking_error_for_period(
        incurred_on, locked_periods(assignment.agreement, a, b)
    )
    if refusal:
        raise InvalidInput("incurred_on", refusal)
    period = rules.period_of(incurred_on)
    organisation = (
        assignment.home_municipality
        if side is rules.Side.HOME
        else assignment.receiving_municipality
    )
    entry = CostEntry(
        assignment=assignment,
        intervention=intervention,
        booked_by_side=side.value,
        booked_by_organisation=organisation,
        incurred_on=incurred_on,
        period=period.code,
        amount=value,
        note=note,
        booked_by=actor,
        booked_at=timezone.now(),
    )
    if document is not None:
        _check_document(document)
        entry.document = document  # type: ignore[assignment]
    entry.save()
    audit(
        actor,
        AuditAction.CREATE,
        entry,
        controller=assignment.home_municipality.code,
        detail={"amount": str(value), "period": period.code},
    )
    existing = Reconciliation.objects.filter(
        agreement=assignment.agreement,
        period=period.code,
        party_a=a,
        party_b=b,
        locked_at__isnull=True,
    ).first()
    if existing is not None:
        _recompute(existing)
    return entry


def carried_for(agreement: Any, period: str, carrier: Organisation, home: Organisation) -> Decimal:
    """What `carrier` carried for `home` in a period: its bookings as receiving municipality."""
    total = CostEntry.objects.filter(
        assignment__agreement=agreement,
        period=period,
        booked_by_side=rules.Side.RECEIVING,
        assignment__receiving_municipality=carrier,
        assignment__home_municipality=home,
    ).aggregate(total=Sum("amount"))["total"]
    return rules.to_sek(total or Decimal("0"))


def _figures(agreement: Any, period: str, a: Organisation, b: Organisation) -> rules.Reconciled:
    return rules.reconcile(
        party_a=a.code,
        party_b=b.code,
        a_for_b=carried_for(agreement, period, a, b),
        b_for_a=carried_for(agreement, period, b, a),
        threshold=terms_for(agreement).threshold,
    )


def _recompute(reconciliation: Reconciliation) -> Reconciliation:
    figures = _figures(
        reconciliation.agreement,
        reconciliation.period,
        reconciliation.party_a,
        reconciliation.party_b,
    )
    payer = None
    if figures.payer == reconciliation.party_a.code:
        payer = reconciliation.party_a
    elif figures.payer == reconciliation.party_b.code:
        payer = reconciliation.party_b
    changed = (
        reconciliation.a_for_b != figures.a_for_b
        or reconciliation.b_for_a != figures.b_for_a
        or reconciliation.threshold != figures.threshold
    )
    values: dict[str, Any] = {
        "a_for_b": figures.a_for_b,
        "b_for_a": figures.b_for_a,
        "threshold": figures.threshold,
        "deviation": figures.deviation,
        "equalisation": figures.equalisation,
        "payer": payer,
        "computed_at": timezone.now(),
    }
    if changed:  # figures moved: earlier approvals no longer cover them
        values.update(
            approved_a_at=None, approved_a_by=None, approved_b_at=None, approved_b_by=None
        )
    updated = Reconciliation.objects.filter(pk=reconciliation.pk, locked_at__isnull=True).update(
        **values
    )
    if updated != 1:
        raise Conflict(_("Avstämningen är redan godkänd av båda parter och låst."))
    reconciliation.refresh_from_db()
    return reconciliation


@transaction.atomic
def reconciliation_compute(
    *, actor: Any, agreement: Any, period: rules.Period, other_party: Organisation
) -> Reconciliation:
    """Compute (or, until locked, recompute) the actor's party's reconciliation with another."""
    own = _require_coordinator(actor)
    parties = access.party_codes(agreement)
    if own.code not in parties or other_party.code not in parties or own.pk == other_party.pk:
        raise NotAllowed(_("Avstämningen görs mellan två parter i avtalet."))
    a, b = (own, other_party) if own.code <= other_party.code else (other_party, own)
    try:
        with transaction.atomic():
            reconciliation, created = Reconciliation.objects.get_or_create(
                agreement=agreement,
                period=period.code,
                party_a=a,
                party_b=b,
                defaults={"computed_at": timezone.now()},
            )
    except IntegrityError:
        reconciliation, created = (
            Reconciliation.objects.get(
                agreement=agreement, period=period.code, party_a=a, party_b=b
            ),
            False,
        )
    if reconciliation.locked_at is not None:
        raise Conflict(
            _("Avstämningen för %(period)s är godkänd och låst; rättelser bokas på nästa period.")
            % {"period": period.label}
        )
    reconciliation = _recompute(reconciliation)
    audit(
        actor,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        reconciliation,
        controller=own.code,
        detail={
            "period": period.code,
            "a_for_b": str(reconciliation.a_for_b),
            "b_for_a": str(reconciliation.b_for_a),
            "equalisation": str(reconciliation.equalisation),
        },
    )
    return reconciliation


@transaction.atomic
def reconciliation_approve(*, actor: Any, reconciliation: Reconciliation) -> Reconciliation:
    """One party approves; when both have, the reconciliation is locked (exactly once)."""
    own = _require_coordinator(actor)
    now = timezone.now()
    period = reconciliation.period_obj
    if not period.has_ended(timezone.localdate(now)):
        raise Conflict(
            _(
                "Perioden %(period)s har inte tagit slut; avstämningen är preliminär och kan "
                "godkännas först efter den %(end)s."
            )
            % {"period": period.name, "end": period.end.isoformat()}
        )
    if own.pk == reconciliation.party_a_id:
        field = "a"
    elif own.pk == reconciliation.party_b_id:
        field = "b"
    else:
        raise NotAllowed(_("Bara de två parterna i avstämningen kan godkänna den."))
    updated = Reconciliation.objects.filter(
        pk=reconciliation.pk, locked_at__isnull=True, **{f"approved_{field}_at__isnull": True}
    ).update(**{f"approved_{field}_at": now, f"approved_{field}_by": actor})
    if updated != 1:
        reconciliation.refresh_from_db()
        if reconciliation.locked_at is not None:
            raise Conflict(_("Avstämningen är redan godkänd av båda parter och låst."))
        raise Conflict(_("Din kommun har redan godkänt avstämningen."))
    locked = Reconciliation.objects.filter(
        pk=reconciliation.pk,
        locked_at__isnull=True,
        approved_a_at__isnull=False,
        approved_b_at__isnull=False,
    ).update(locked_at=now)
    reconciliation.refresh_from_db()
    audit(
        actor,
        AuditAction.CHANGE,
        reconciliation,
        controller=own.code,
        detail={"approved_by_party": own.code, "locked": bool(locked)},
    )
    return reconciliation


# --- follow-up, lessons, catalogue, terms -----------------------------------------------------


@transaction.atomic
def followup_record(
    *,
    actor: Any,
    assignment: Assignment,
    held_on: date,
    participants: str = "",
    intervention_status: str = "",
    motivation: str = "",
    threat: str = "",
    next_step: str = "",
) -> FollowUp:
    """Follow-ups are led by the home municipality; the receiving one takes part."""
    _require_side(actor, assignment, rules.Side.HOME)
    if assignment.state not in AFTER_ACCEPTANCE:
        raise Conflict(_("Uppföljning görs när uppdraget har accepterats."))
    return _record(
        FollowUp,
        actor=actor,
        assignment=assignment,
        held_on=held_on,
        participants=participants,
        intervention_status=intervention_status,
        motivation=motivation,
        threat=threat,
        next_step=next_step,
    )


@transaction.atomic
def lesson_save(*, actor: Any, agreement: Any, text: str) -> EvaluationLesson:
    own = _require_party(
        actor, agreement, _("Bara parterna i avtalet skriver lärdomar till utvärderingen.")
    )
    if not text.strip():
        raise InvalidInput("text", _("Skriv era lärdomar."))
    lesson, created = EvaluationLesson.objects.update_or_create(
        agreement=agreement,
        party=own,
        defaults={"text": text.strip(), "updated_by": actor, "updated_at": timezone.now()},
    )
    audit(actor, AuditAction.CREATE if created else AuditAction.CHANGE, lesson, controller=own.code)
    return lesson


def _terms_change(
    actor: Any, agreement: Any, what: str, before: str, after: str, at: datetime
) -> None:
    TermsChange.objects.create(
        agreement=agreement,
        changed_at=at,
        changed_by=actor,
        changed_by_name=actor_label(actor),
        what=what,
        before=before,
        after=after,
    )


def _require_terms_keeper(actor: Any, agreement: Any) -> None:
    if not access.can_keep_terms(actor, agreement):
        raise NotAllowed(
            _("Bara avtalets administratörer ändrar pilottak, väsentlighetsgräns och katalog.")
        )


def _terms_controller(actor: Any, agreement: Any) -> str:
    """The audit entry is filed under the actor's own party, else the agreement's first."""
    own = municipality_of(actor.organisation) if actor.organisation_id else None
    codes = sorted(access.party_codes(agreement))
    if own is not None and own.code in codes:
        return own.code
    return codes[0] if codes else ""


def _shown(value: Any) -> str:
    """A term as the history shows it: a date, a number, or "–" for none."""
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        return f"{format_sek(value)} kr"
    return str(value)


@transaction.atomic
def agreement_terms_save(
    *,
    actor: Any,
    agreement: Any,
    pilot_max_sent: int | None,
    pilot_max_received: int | None,
    pilot_until: date | None,
    materiality_threshold: Decimal | str,
) -> Any:
    """The agreement's administrator sets its pilot caps and equalisation threshold.

    Each changed term is kept in the history (who, when, from → to). Empty caps mean no cap.
    """
    _require_terms_keeper(actor, agreement)
    text = str(materiality_threshold).strip()
    try:
        threshold = rules.ZERO if text in {"", "0", "0,00", "0.00"} else parse_amount(text)
    except InvalidInput as error:
        raise InvalidInput("materiality_threshold", str(error)) from error
    if threshold < 0:
        raise InvalidInput(
            "materiality_threshold", _("Väsentlighetsgränsen kan inte vara negativ.")
        )
    if pilot_until is not None and pilot_until < agreement.start_date:
        raise InvalidInput("pilot_until", _("Pilotperioden kan inte sluta före avtalets start."))
    agreement = type(agreement).objects.select_for_update().get(pk=agreement.pk)
    new = {
        "pilot_max_sent": pilot_max_sent,
        "pilot_max_received": pilot_max_received,
        "pilot_until": pilot_until,
        "materiality_threshold": threshold,
    }
    now = timezone.now()
    changed = []
    for field, value in new.items():
        before = getattr(agreement, field)
        if before == value:
            continue
        label = str(type(agreement)._meta.get_field(field).verbose_name)
        _terms_change(actor, agreement, label, _shown(before), _shown(value), now)
        setattr(agreement, field, value)
        changed.append(field)
    if changed:
        agreement.save(update_fields=changed)
        audit(
            actor,
            AuditAction.CHANGE,
            agreement,
            controller=_terms_controller(actor, agreement),
            detail={"terms": changed},
        )
    return agreement


def catalogue_code(name: str, taken: Collection[str]) -> str:
    """A code made from the intervention's name, unique within the agreement's catalogue."""
    base = slugify(name).replace("-", "_")[:50] or "insats"
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}_{number}"
    return code


@transaction.atomic
def catalogue_item_save(
    *,
    actor: Any,
    agreement: Any,
    name: str,
    item: CatalogueIntervention | None = None,
    is_active: bool = True,
) -> CatalogueIntervention:
    """Add an intervention to the catalogue (its code made from the name) or change one."""
    _require_terms_keeper(actor, agreement)
    name = name.strip()
    if not name:
        raise InvalidInput("name", _("Ange insatsens namn."))
    seed_catalogue(agreement)
    items = CatalogueIntervention.objects.select_for_update().filter(agreement=agreement)
    others = items.exclude(pk=item.pk) if item is not None else items
    if others.filter(name__iexact=name).exists():
        raise InvalidInput("name", _("Det finns redan en insats med det namnet i katalogen."))
    now = timezone.now()
    if item is None:
        item = CatalogueIntervention.objects.create(
            agreement=agreement,
            code=catalogue_code(name, set(items.values_list("code", flat=True))),
            name=name,
            is_active=is_active,
            order=items.count(),
        )
        _terms_change(actor, agreement, str(_("Insats i katalogen")), "–", name, now)
        action = AuditAction.CREATE
    else:
        if item.agreement_id != agreement.pk:
            raise InvalidInput("item", _("Insatsen hör inte till avtalets katalog."))
        before = f"{item.name}{'' if item.is_active else ' (' + _('inaktiv') + ')'}"
        after = f"{name}{'' if is_active else ' (' + _('inaktiv') + ')'}"
        item.name, item.is_active = name, is_active
        item.save(update_fields=["name", "is_active"])
        if before != after:
            _terms_change(actor, agreement, str(_("Insats i katalogen")), before, after, now)
        action = AuditAction.CHANGE
    audit(actor, action, item, controller=_terms_controller(actor, agreement))
    return item


def seed_catalogue_of_new_agreement(sender: Any, *, agreement: Any, **_signal: Any) -> None:
    """A new defector agreement starts from its type's catalogue (issue 19.1), not empty
    until its first assignment (receiver of `agreements.signals.agreement_created`)."""
    if agreement.type.code == AgreementTypeCode.DEFECTOR_SERVICES:
        seed_catalogue(agreement)


def seed_catalogue(agreement: Any) -> None:
    """Give an agreement the catalogue of § 6 unless it already has one (no actor: setup)."""
    if CatalogueIntervention.objects.filter(agreement=agreement).exists():
        return
    # The type's default catalogue (SPEC §5; the defector agreement's § 6).
    CatalogueIntervention.objects.bulk_create(
        CatalogueIntervention(agreement=agreement, code=code, name=name, order=index)
        for index, (code, name) in enumerate(rules.DEFAULT_CATALOGUE)
    )
