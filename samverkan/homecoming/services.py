"""Every write of a homecoming plan: one transaction, a right, an audit entry.

Social services of the responsible district (collaboration coordinators and
social workers, role `receiver`) create the plan, record the legal basis for
sharing, give actions to the parties, record the return and the follow-up.
Each party updates its own actions and may add its own contacts (`access`). Errors carry a
Swedish `message`; `InvalidInput.field` names the field.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of
from samverkan.core import errors
from samverkan.core.calendar import local_date
from samverkan.core.errors import InvalidInput, NotAllowed
from samverkan.core.identity import InvalidPersonId, parse_person_id
from samverkan.homecoming import access, rules
from samverkan.homecoming.access import current_basis, party_kind
from samverkan.homecoming.models import (
    ActionStatus,
    BasisChange,
    HomecomingAction,
    HomecomingContact,
    HomecomingFollowUp,
    HomecomingPlan,
    PlanStatus,
    RiskLevel,
    SharingBasis,
)
from samverkan.registry.models import Organisation, OrganisationKind

logger = logging.getLogger(__name__)


class NotFound(errors.NotFound):
    default_message = "Planen finns inte, eller så har du inte behörighet."


def _today() -> date:
    return local_date(timezone.now())


def _audit(actor: Any, action: str, record: Any, plan: HomecomingPlan, **detail: Any) -> None:
    audit_record_of(
        record,
        actor=actor,
        action=action,
        controller=plan.district.code,
        detail={"plan": plan.pk, **detail},
    )


def _plan_for_district(actor: Any, plan_id: int) -> HomecomingPlan:
    """The plan, locked, for social services of its district; 404 for anyone who cannot see it."""
    if not HomecomingPlan.objects.visible_to(actor).filter(pk=plan_id).exists():
        raise NotFound()
    plan = (
        HomecomingPlan.objects.select_for_update(of=("self",))
        .select_related("district")
        .get(pk=plan_id)
    )
    if not access.can_edit(actor, plan):
        raise NotAllowed("Bara socialtjänsten i det ansvariga stadsdelsområdet ändrar planen.")
    return plan


def _check_basis(basis: str, note: str, concrete_risk: str, birth_date: date, on: date) -> None:
    if basis not in SharingBasis.values:
        raise InvalidInput("sharing_basis", "Välj grund för vad som delas med polisen.")
    if basis == SharingBasis.CONSENT and not note.strip():
        raise InvalidInput(
            "basis_note",
            "Ange vem som har samtyckt, när och till vad (till exempel var det finns i akten).",
        )
    if basis == SharingBasis.OSL_10_18A:
        if not rules.under_age_limit(birth_date, on):
            raise InvalidInput(
                "sharing_basis",
                "10 kap. 18 a § OSL gäller bara den som inte har fyllt 21 år. Den unge har fyllt "
                "21: dela bara med samtycke.",
            )
        if not concrete_risk.strip():
            raise InvalidInput(
                "concrete_risk",
                "Beskriv den konkreta risken för fortsatt brottslighet som grundar utlämnandet "
                "enligt 10 kap. 18 a § OSL.",
            )


def _party_org(organisation: Organisation | None, kind: str, field: str, label: str) -> None:
    if organisation is not None and organisation.kind != kind:
        raise InvalidInput(field, f"Välj {label}.")


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    district: Organisation,
    police_unit: Organisation,
    person_id: str,
    name: str,
    sis_home: str,
    expected_release: date,
    risk_level: str,
    concrete_risk: str = "",
    risk_assessment: str = "",
    school: Organisation | None = None,
    sharing_basis: str = SharingBasis.NONE,
    basis_note: str = "",
) -> HomecomingPlan:
    """A homecoming plan for a young person in the district's responsibility placed at SiS."""
    if not access.is_social_services_for(actor, district.pk):
        raise NotAllowed("Bara socialtjänsten i det ansvariga stadsdelsområdet upprättar planen.")
    if district.kind not in (OrganisationKind.DISTRICT, OrganisationKind.MUNICIPALITY):
        raise InvalidInput("district", "Välj ett stadsdelsområde eller en kommun.")
    _party_org(police_unit, OrganisationKind.POLICE_UNIT, "police_unit", "en polisenhet")
    _party_org(school, OrganisationKind.SCHOOL, "school", "en skola")
    today = _today()
    try:
        person = parse_person_id(person_id, on=today)
    except InvalidPersonId as error:
        raise InvalidInput("person_id", error.message) from error
    if not name.strip():
        raise InvalidInput("name", "Ange den unges namn.")
    if not sis_home.strip():
        raise InvalidInput("sis_home", "Ange vilket SiS-hem den unge är placerad på.")
    if risk_level not in RiskLevel.values:
        raise InvalidInput("risk_level", "Välj risknivå.")
    _check_basis(sharing_basis, basis_note, concrete_risk, person.birth_date, today)
    plan = HomecomingPlan.objects.create(
        district=district,
        police_unit=police_unit,
        school=school,
        person_id=person.number,
        birth_date=person.birth_date,
        name=name.strip(),
        sis_home=sis_home.strip(),
        expected_release=expected_release,
        risk_level=risk_level,
        concrete_risk=concrete_risk.strip(),
        risk_assessment=risk_assessment.strip(),
        sharing_basis=sharing_basis,
        basis_recorded_on=today if sharing_basis != SharingBasis.NONE else None,
        basis_note=basis_note.strip(),
        created_by=actor if isinstance(actor, User) else None,
    )
    _audit(actor, AuditAction.CREATE, plan, plan, basis=sharing_basis)
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan_id: int,
    expected_release: date,
    risk_level: str,
    concrete_risk: str,
    risk_assessment: str,
    sis_home: str,
) -> HomecomingPlan:
    plan = _plan_for_district(actor, plan_id)
    if risk_level not in RiskLevel.values:
        raise InvalidInput("risk_level", "Välj risknivå.")
    if not sis_home.strip():
        raise InvalidInput("sis_home", "Ange vilket SiS-hem den unge är placerad på.")
    if plan.sharing_basis == SharingBasis.OSL_10_18A and not concrete_risk.strip():
        raise InvalidInput(
            "concrete_risk",
            "Planen delas med polisen enligt 10 kap. 18 a § OSL: den konkreta "
            "risken måste stå kvar.",
        )
    plan.expected_release = expected_release
    plan.risk_level = risk_level
    plan.concrete_risk = concrete_risk.strip()
    plan.risk_assessment = risk_assessment.strip()
    plan.sis_home = sis_home.strip()
    plan.save()
    _audit(actor, AuditAction.CHANGE, plan, plan)
    return plan


@transaction.atomic
def basis_record(
    *,
    actor: Any,
    plan_id: int,
    sharing_basis: str,
    basis_note: str = "",
    concrete_risk: str = "",
    confirm_police_loss: bool = False,
) -> HomecomingPlan:
    """Record (or withdraw) the basis for sharing with the police; access follows at once.

    A change that takes part of the plan out of the police's view is made only once the
    worker has seen what disappears (`confirm_police_loss`); the police party is told.
    """
    plan = _plan_for_district(actor, plan_id)
    risk = concrete_risk.strip() or plan.concrete_risk
    today = _today()
    _check_basis(sharing_basis, basis_note, risk, plan.birth_date, today)
    previous = plan.sharing_basis
    lost = rules.lost_sections(
        rules.Party.POLICE,
        current_basis(plan, today),
        rules.effective_basis(sharing_basis, plan.birth_date, today),
    )
    if lost and not confirm_police_loss:
        raise InvalidInput("confirm_police_loss", police_loss_warning(plan, lost))
    plan.sharing_basis = sharing_basis
    plan.basis_note = basis_note.strip()
    plan.concrete_risk = risk
    plan.basis_recorded_on = today if sharing_basis != SharingBasis.NONE else None
    plan.save()
    if previous != sharing_basis:
        change = BasisChange.objects.create(
            plan=plan,
            previous=previous,
            new=sharing_basis,
            lost_to_police=[str(section) for section in lost],
            changed_by=actor if isinstance(actor, User) else None,
        )
        if lost:
            transaction.on_commit(lambda: _mail_police_about(change))
    _audit(actor, AuditAction.CHANGE, plan, plan, basis=sharing_basis, previous_basis=previous)
    return plan


def police_loss_warning(plan: HomecomingPlan, lost: list[rules.Section]) -> str:
    """What the police will no longer see, with their actions that leave their view."""
    text = f"Med den nya grunden ser polisen inte längre {rules.listed(lost)}."
    actions = plan.actions.exclude(status=ActionStatus.CANCELLED)
    if rules.Section.OWN_ACTIONS in lost:
        gone = [a.text[:60] for a in actions.filter(party_id=plan.police_unit_id)]
        if gone:
            text += " Polisens egna åtgärder försvinner ur deras vy: " + "; ".join(gone) + "."
    elif rules.Section.ALL_ACTIONS in lost:
        others = actions.exclude(party_id=plan.police_unit_id).count()
        if others:
            text += f" Polisen ser inte längre de andra parternas {others} åtgärder."
    return text + " Polisen får besked om ändringen. Bekräfta för att spara."


def _mail_police_about(change: BasisChange) -> None:
    """No personal data in the mail: the plan's reference and what is no longer shared."""
    plan = change.plan
    recipients = access.police_recipients(plan)
    if not recipients:
        return
    sections = [rules.Section(code) for code in change.lost_to_police]
    try:
        send_mail(
            subject=f"Samverkan: ändrad grund för delning i hemtagningsplan {plan.reference}",
            message=(
                f"{plan.district.name} har ändrat grunden för vad som delas med polisen i "
                f"hemtagningsplan {plan.reference}. Ni ser inte längre {rules.listed(sections)}. "
                "Logga in i Samverkan för att se vad som fortfarande delas."
            ),
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:  # noqa: BLE001 - the change is recorded; the start page still tells them
        logger.exception("basis change mail for plan %s failed", plan.pk)


@transaction.atomic
def action_add(
    *,
    actor: Any,
    plan_id: int,
    party: Organisation,
    text: str,
    owner_name: str,
    due_date: date,
) -> HomecomingAction:
    """Social services give an agreed action to a party of the plan."""
    plan = _plan_for_district(actor, plan_id)
    kind = party_kind(plan, party.pk)
    if kind is None:
        raise InvalidInput("party", "Välj en av planens parter.")
    if not rules.party_may_have_actions(kind, current_basis(plan)):
        raise InvalidInput(
            "party",
            "Registrera först samtycke eller grund enligt 10 kap. 18 a § OSL: utan grund delas "
            "inget med polisen."
            if kind == rules.Party.POLICE
            else "Skolan får åtgärder i planen bara med den unges samtycke.",
        )
    if not text.strip():
        raise InvalidInput("text", "Beskriv åtgärden.")
    if not owner_name.strip():
        raise InvalidInput("owner_name", "Ange vem som ansvarar.")
    action = HomecomingAction.objects.create(
        plan=plan, party=party, text=text.strip(), owner_name=owner_name.strip(), due_date=due_date
    )
    _audit(actor, AuditAction.CREATE, action, plan, party=party.code)
    return action


@transaction.atomic
def action_update(
    *, actor: Any, action_id: int, status: str, note: str = "", completed_on: date | None = None
) -> HomecomingAction:
    if not access.actions_visible_to(actor).filter(pk=action_id).exists():
        raise NotFound("Åtgärden finns inte, eller så har du inte behörighet.")
    action = (
        HomecomingAction.objects.select_for_update(of=("self",))
        .select_related("plan__district")
        .get(pk=action_id)
    )
    if not access.can_update_action(actor, action.plan, action):
        raise NotAllowed("Bara den ansvariga parten uppdaterar sin åtgärd.")
    if status not in ActionStatus.values:
        raise InvalidInput("status", "Välj status.")
    action.status = status
    action.completed_on = (completed_on or _today()) if status == ActionStatus.DONE else None
    if note.strip():
        action.note = note.strip()
    action.save()
    _audit(actor, AuditAction.CHANGE, action, action.plan, status=status)
    return action


@transaction.atomic
def contact_add(
    *, actor: Any, plan_id: int, organisation: Organisation, name: str, title: str, phone: str = ""
) -> HomecomingContact:
    """Social services add anyone's contact; another party adds its own."""
    plan = access.visible_to(actor).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    if party_kind(plan, organisation.pk) is None:
        raise InvalidInput("organisation", "Välj en av planens parter.")
    if not access.can_add_contact_for(actor, plan, organisation.pk):
        raise NotAllowed("Du kan bara lägga till kontakter för din egen organisation.")
    if not name.strip() or not title.strip():
        raise InvalidInput("name", "Ange namn och funktion.")
    contact = HomecomingContact.objects.create(
        plan=plan,
        organisation=organisation,
        name=name.strip(),
        title=title.strip(),
        phone=phone.strip(),
    )
    _audit(actor, AuditAction.CREATE, contact, plan)
    return contact


@transaction.atomic
def return_record(*, actor: Any, plan_id: int, released_on: date) -> HomecomingPlan:
    """The young person came home: the plan moves to follow-up."""
    plan = _plan_for_district(actor, plan_id)
    if released_on > _today():
        raise InvalidInput("released_on", "Dagen för hemkomsten kan inte ligga i framtiden.")
    plan.released_on = released_on
    plan.status = PlanStatus.RETURNED
    plan.save()
    _audit(actor, AuditAction.CHANGE, plan, plan, released_on=released_on)
    return plan


@transaction.atomic
def follow_up_add(*, actor: Any, plan_id: int, held_on: date, text: str) -> HomecomingFollowUp:
    plan = _plan_for_district(actor, plan_id)
    if plan.released_on is None:
        raise InvalidInput("text", "Registrera först att den unge har kommit hem.")
    if held_on < plan.released_on:
        raise InvalidInput("held_on", "Uppföljningen kan inte vara före hemkomsten.")
    if not text.strip():
        raise InvalidInput("text", "Skriv uppföljningen.")
    follow_up = HomecomingFollowUp.objects.create(
        plan=plan, held_on=held_on, text=text.strip(), author=actor
    )
    _audit(actor, AuditAction.CREATE, follow_up, plan)
    return follow_up


@transaction.atomic
def plan_close(*, actor: Any, plan_id: int) -> HomecomingPlan:
    plan = _plan_for_district(actor, plan_id)
    plan.status = PlanStatus.CLOSED
    plan.save()
    _audit(actor, AuditAction.CHANGE, plan, plan, status=PlanStatus.CLOSED)
    return plan
