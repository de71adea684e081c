"""Pure rules for defector assignments (*uppdrag avseende avhoppare*), SPEC §5.

Everything here works on plain values: no database, no clock. Amounts are
`Decimal` SEK with two decimals (öre); a float never enters.

Reconciliation semantics (*kostnadsavstämning*), per period and pair of parties A, B:

- ``a_for_b`` is what A carried for B: the costs A booked as the receiving
  municipality on assignments where B is the home municipality; ``b_for_a``
  the other way round.
- The equal split is half the total: ``(a_for_b + b_for_a) / 2``.
- The deviation is how far each party is from the equal split:
  ``|a_for_b - b_for_a| / 2``, rounded half-up to whole öre.
- The materiality threshold is an absolute amount in SEK set on the
  agreement. Equalisation (*utjämning*) is due only when the deviation is
  **strictly greater** than the threshold; a deviation equal to the
  threshold is not material. A threshold of 0 equalises any deviation.
- When due, the party that carried less pays the other the deviation. After
  equalisation both carry the same to the öre when the total is a whole
  even number of öre, otherwise they differ by exactly one öre (the odd öre
  cannot be split); the total is preserved exactly.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ORE = Decimal("0.01")
ZERO = Decimal("0.00")


def to_sek(value: Decimal | int | str) -> Decimal:
    """An exact SEK amount with two decimals. Floats are refused."""
    if isinstance(value, float):
        raise TypeError("SEK amounts must never be floats")
    return Decimal(value).quantize(ORE, rounding=ROUND_HALF_UP)


NBSP = "\u00a0"


def format_sek(value: Decimal | int | str | None) -> str:
    """Swedish: "57 640,99" (no-break spaces between thousands, a decimal comma)."""
    if value is None or value == "":
        return ""
    amount = to_sek(Decimal(str(value)))
    sign = "−" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + NBSP.join(groups) + "," + fraction


# --- Sides and states ----------------------------------------------------------


class Side(enum.StrEnum):
    HOME = "home"
    RECEIVING = "receiving"


class State(enum.StrEnum):
    DRAFT = "draft"
    CONSULTATION = "consultation"
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ACTIVE = "active"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


STATE_LABELS: dict[State, Promise] = {
    State.DRAFT: _("Utkast"),
    State.CONSULTATION: _("Samråd"),
    State.REQUESTED: _("Begärt"),
    State.ACCEPTED: _("Accepterat"),
    State.DECLINED: _("Avböjt"),
    State.ACTIVE: _("Pågående"),
    State.ENDED: _("Avslutat"),
    State.WITHDRAWN: _("Återkallat"),
}

# (from, to) -> the side entitled to make the transition, and whether a reason is required.
TRANSITIONS: dict[tuple[State, State], tuple[Side, bool]] = {
    (State.DRAFT, State.CONSULTATION): (Side.HOME, False),
    (State.CONSULTATION, State.REQUESTED): (Side.HOME, False),
    (State.REQUESTED, State.ACCEPTED): (Side.RECEIVING, False),
    (State.REQUESTED, State.DECLINED): (Side.RECEIVING, True),
    (State.ACCEPTED, State.ACTIVE): (Side.HOME, False),
    (State.ACTIVE, State.ENDED): (Side.HOME, True),
    # Before the request the home municipality may drop its own plan, saying why;
    # after it, only what the agreement allows (decline, end).
    (State.DRAFT, State.WITHDRAWN): (Side.HOME, True),
    (State.CONSULTATION, State.WITHDRAWN): (Side.HOME, True),
}

# States in which a draft's text may still be changed by the home municipality.
EDITABLE_STATES = frozenset({State.DRAFT})

# The receiving municipality sees an assignment once it is asked: from the request on.
# Drafts, consultations and what was withdrawn before a request stay the home side's own.
SHOWN_TO_RECEIVING = frozenset(
    {State.REQUESTED, State.ACCEPTED, State.DECLINED, State.ACTIVE, State.ENDED}
)

# States in which an assignment counts as sent/received (for balance and pilot caps).
COUNTED_STATES = frozenset({State.REQUESTED, State.ACCEPTED, State.ACTIVE, State.ENDED})


def transition_error(
    *, current: State, target: State, side: Side | None, reason: str = ""
) -> str | None:
    """None when `side` may move an assignment from `current` to `target`, else why not."""
    rule = TRANSITIONS.get((current, target))
    if rule is None:
        return str(
            _("Uppdraget kan inte gå från ”%(current)s” till ”%(target)s”.")
            % {"current": STATE_LABELS[current], "target": STATE_LABELS[target]}
        )
    entitled, needs_reason = rule
    if side != entitled:
        if entitled is Side.HOME:
            return str(_("Endast hemkommunen får göra detta."))
        return str(_("Endast den mottagande kommunen får göra detta."))
    if needs_reason and not reason.strip():
        return str(_("Ange ett skäl."))
    return None


# --- Preconditions ---------------------------------------------------------------


class PreconditionKind(enum.StrEnum):
    """The agreement's preconditions for an assignment, in the order the agreement gives them."""

    CRIMINAL_ENVIRONMENT = "criminal_environment"
    THREAT = "threat"
    INTERVENTIONS_SUITABLE = "interventions_suitable"
    MOTIVATED = "motivated"
    POLICE_CONSULTATION_HOME = "police_consultation_home"
    POLICE_CONSULTATION_RECEIVING = "police_consultation_receiving"
    LEGAL_BASIS = "legal_basis"
    HOME_DECISION = "home_decision"
    TEMPORARY_HOUSING = "temporary_housing"
    NO_CHILDREN = "no_children"


# The preconditions that count only with their document attached (the consent or other
# legal basis, and the home municipality's own decision on support).
DOCUMENT_REQUIRED = frozenset({PreconditionKind.LEGAL_BASIS, PreconditionKind.HOME_DECISION})


PRECONDITION_LABELS: dict[PreconditionKind, Promise] = {
    PreconditionKind.CRIMINAL_ENVIRONMENT: _(
        "Personen ingår i en kriminell grupp eller finns i en kriminell destruktiv miljö"
    ),
    PreconditionKind.THREAT: _("Det finns en latent eller konkret hotbild"),
    PreconditionKind.INTERVENTIONS_SUITABLE: _(
        "Insatser i den mottagande kommunen bedöms vara möjliga och lämpliga"
    ),
    PreconditionKind.MOTIVATED: _("Personen är motiverad till förändring"),
    PreconditionKind.POLICE_CONSULTATION_HOME: _("Samråd med Polisen i hemkommunen är gjort"),
    PreconditionKind.POLICE_CONSULTATION_RECEIVING: _(
        "Samråd med Polisen i den mottagande kommunen är gjort"
    ),
    PreconditionKind.LEGAL_BASIS: _(
        "Samtycke eller annan laglig grund för att lämna ut uppgifter är dokumenterad"
    ),
    PreconditionKind.HOME_DECISION: _(
        "Hemkommunen har fattat eget beslut om stöd till personen enligt socialtjänstlagen"
    ),
    PreconditionKind.TEMPORARY_HOUSING: _("Hemkommunen ansvarar för det tillfälliga boendet"),
    PreconditionKind.NO_CHILDREN: _("Personen har inget ansvar för barn"),
}

PRECONDITION_MISSING: dict[PreconditionKind, Promise] = {
    PreconditionKind.CRIMINAL_ENVIRONMENT: _(
        "Bekräfta att personen ingår i en kriminell grupp eller finns i en kriminell "
        "destruktiv miljö."
    ),
    PreconditionKind.THREAT: _("Bekräfta att det finns en latent eller konkret hotbild."),
    PreconditionKind.INTERVENTIONS_SUITABLE: _(
        "Bekräfta att insatser i den mottagande kommunen bedöms vara möjliga och lämpliga."
    ),
    PreconditionKind.MOTIVATED: _("Bekräfta att personen är motiverad till förändring."),
    PreconditionKind.POLICE_CONSULTATION_HOME: _(
        "Registrera samrådet med Polisen i hemkommunen (datum och polisenhet)."
    ),
    PreconditionKind.POLICE_CONSULTATION_RECEIVING: _(
        "Registrera samrådet med Polisen i den mottagande kommunen (datum och polisenhet)."
    ),
    PreconditionKind.LEGAL_BASIS: _(
        "Registrera samtycke eller annan laglig grund för utlämnandet, med dokument."
    ),
    PreconditionKind.HOME_DECISION: _(
        "Registrera hemkommunens eget beslut om stöd till personen, med beslutet som dokument."
    ),
    PreconditionKind.TEMPORARY_HOUSING: _(
        "Bekräfta att hemkommunen ansvarar för det tillfälliga boendet."
    ),
    PreconditionKind.NO_CHILDREN: _("Bekräfta att personen inte har ansvar för barn."),
}


class LegalBasis(enum.StrEnum):
    CONSENT = "consent"
    SECRECY_EXCEPTION = "secrecy_exception"
    OTHER = "other"


LEGAL_BASIS_LABELS: dict[LegalBasis, Promise] = {
    LegalBasis.CONSENT: _("Samtycke från den enskilde"),
    LegalBasis.SECRECY_EXCEPTION: _("Sekretessbrytande bestämmelse"),
    LegalBasis.OTHER: _("Annan laglig grund"),
}


@dataclass(frozen=True)
class Confirmation:
    """One recorded precondition, as the rules see it."""

    kind: PreconditionKind
    confirmed_on: date | None
    confirmed_by: str
    police_unit: str = ""
    legal_basis: str = ""
    has_document: bool = False


@dataclass(frozen=True)
class Missing:
    kind: PreconditionKind
    message: str


def is_complete(confirmation: Confirmation) -> bool:
    if confirmation.confirmed_on is None or not confirmation.confirmed_by.strip():
        return False
    if confirmation.kind in (
        PreconditionKind.POLICE_CONSULTATION_HOME,
        PreconditionKind.POLICE_CONSULTATION_RECEIVING,
    ):
        return bool(confirmation.police_unit.strip())
    if confirmation.kind is PreconditionKind.LEGAL_BASIS:
        return bool(confirmation.legal_basis) and confirmation.has_document
    if confirmation.kind in DOCUMENT_REQUIRED:
        return confirmation.has_document
    return True


def missing_preconditions(
    confirmations: Iterable[Confirmation], *, children_known: bool = False
) -> list[Missing]:
    """The preconditions still missing before the request may be sent, in the agreement's order.

    A confirmation counts only when it has a date, who confirmed it and its
    kind's particulars (police unit for police consultations; which legal
    basis and its document for the disclosure). Known children always block:
    responsibility must be settled first.
    """
    complete = {c.kind for c in confirmations if is_complete(c)}
    missing = [
        Missing(kind, str(PRECONDITION_MISSING[kind]))
        for kind in PreconditionKind
        if kind not in complete
    ]
    if children_known and PreconditionKind.NO_CHILDREN in complete:
        missing.append(
            Missing(
                PreconditionKind.NO_CHILDREN,
                str(
                    _(
                        "Barn har aktualiserats: klargör ansvarsfördelningen enligt "
                        "socialtjänstlagen innan uppdraget begärs."
                    )
                ),
            )
        )
    return missing


# --- Handling unit ---------------------------------------------------------------


class ThreatLevel(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class HandlingRule:
    """Per municipality: send high-threat relocation cases to a central unit (Stockholm)."""

    central_for_high_threat_relocation: bool


def handled_centrally(
    *, rule: HandlingRule | None, threat: ThreatLevel | None, relocation_needed: bool
) -> bool:
    """True when the case goes to the central defector unit instead of a district."""
    return bool(
        rule is not None
        and rule.central_for_high_threat_relocation
        and threat is ThreatLevel.HIGH
        and relocation_needed
    )


# --- Catalogue rule --------------------------------------------------------------


class InterventionKind(enum.StrEnum):
    CATALOGUE = "catalogue"  # from the agreement's catalogue: the receiving municipality's
    OUTSIDE = "outside"  # outside the catalogue (home help, income support): the home's
    HOUSING = "housing"  # the temporary housing: always the home municipality's


DEFAULT_CATALOGUE: list[tuple[str, str]] = [
    ("crisis_support", "Krisstöd"),
    ("motivational_talks", "Motivationssamtal"),
    ("sig_guide", "Praktiskt stöd från SIG-lots"),
    ("contact_person", "Kontaktperson"),
    ("housing_support", "Boendestöd"),
    ("addiction_treatment", "Missbruksbehandling"),
    ("budget_debt_counselling", "Budget- och skuldrådgivning"),
    ("outpatient_treatment", "Öppenvårdsbehandling"),
    ("kriminalitet_som_livsstil", "Påverkansprogrammet Kriminalitet som livsstil"),
    ("psychiatry_contact", "Kontakt med psykiatrin"),
    ("work_programme", "Arbetsinriktade insatser (t.ex. KRAMI)"),
]

CATALOGUE_RULE_EXPLAINED = _(
    "Den mottagande kommunen verkställer och bekostar bara insatser ur avtalets katalog. "
    "Insatser utanför katalogen (till exempel hemtjänst och försörjningsstöd) och det "
    "tillfälliga boendet är alltid hemkommunens och kan aldrig bokas på den mottagande "
    "kommunen. Den mottagande kommunen erbjuder bara det den redan erbjuder andra."
)


def bearer_of(kind: InterventionKind) -> Side:
    """Which side carries out and pays an intervention of this kind."""
    return Side.RECEIVING if kind is InterventionKind.CATALOGUE else Side.HOME


def booking_error(*, kind: InterventionKind, booked_by: Side) -> str | None:
    """None when `booked_by` may book a cost for this intervention, else the Swedish reason."""
    if bearer_of(kind) is booked_by:
        return None
    if kind is InterventionKind.HOUSING:
        return str(
            _(
                "Det tillfälliga boendet är hemkommunens ansvar och kan aldrig bokas på den "
                "mottagande kommunen."
            )
        )
    if kind is InterventionKind.OUTSIDE:
        return str(
            _(
                "Insatsen ingår inte i avtalets katalog (till exempel hemtjänst eller "
                "försörjningsstöd). Den är hemkommunens och kan aldrig bokas på den "
                "mottagande kommunen."
            )
        )
    return str(
        _("Insatser ur avtalets katalog bekostas av den mottagande kommunen och bokas av den.")
    )


# --- Periods ---------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A six-month reconciliation period: the first or second half of a year."""

    year: int
    half: int  # 1: January–June, 2: July–December

    @property
    def code(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        months = _("januari–juni") if self.half == 1 else _("juli–december")
        return f"{months} {self.year}"

    @property
    def name(self) -> str:
        """How people name it: "2023 första halvåret"."""
        half = _("första halvåret") if self.half == 1 else _("andra halvåret")
        return f"{self.year} {half}"

    def has_ended(self, today: date) -> bool:
        """Only a finished half-year is reconciled for good (approved and locked)."""
        return today > self.end

    def next(self) -> Period:
        return Period(self.year, 2) if self.half == 1 else Period(self.year + 1, 1)

    def __str__(self) -> str:
        return self.code

    @classmethod
    def parse(cls, code: str) -> Period:
        try:
            year_text, half_text = code.split("-H")
            period = cls(int(year_text), int(half_text))
        except ValueError as error:
            raise ValueError(f"not a period code: {code!r}") from error
        if period.half not in (1, 2) or not 2000 <= period.year <= 2200:
            raise ValueError(f"not a period code: {code!r}")
        return period


def period_of(day: date) -> Period:
    return Period(day.year, 1 if day.month <= 6 else 2)


def booking_error_for_period(day: date, locked: Collection[Period]) -> str | None:
    """None when a cost dated `day` may be booked, else why not: its period is locked.

    An approved reconciliation is final; a cost dated in it would change figures both
    parties have signed, so it is refused, naming the period.
    """
    period = period_of(day)
    if period not in locked:
        return None
    return str(
        _(
            "Perioden %(period)s är avstämd och låst; en kostnad daterad %(day)s kan inte "
            "bokas. Kontakta motparten om en rättelse behövs."
        )
        % {"period": period.name, "day": day.isoformat()}
    )


# --- Reconciliation --------------------------------------------------------------


@dataclass(frozen=True)
class Reconciled:
    party_a: str
    party_b: str
    a_for_b: Decimal
    b_for_a: Decimal
    total: Decimal
    equal_share: Decimal
    deviation: Decimal
    threshold: Decimal
    material: bool
    equalisation: Decimal  # 0.00 when not material
    payer: str | None  # who pays the equalisation
    payee: str | None

    @property
    def a_carries_after(self) -> Decimal:
        if self.payer == self.party_a:
            return self.a_for_b + self.equalisation
        if self.payer == self.party_b:
            return self.a_for_b - self.equalisation
        return self.a_for_b

    @property
    def b_carries_after(self) -> Decimal:
        return self.total - self.a_carries_after


def reconcile(
    *, party_a: str, party_b: str, a_for_b: Decimal, b_for_a: Decimal, threshold: Decimal
) -> Reconciled:
    """Compare the costs two parties carried for each other in one period (see module doc)."""
    if party_a == party_b:
        raise ValueError("a reconciliation is between two different parties")
    a = to_sek(a_for_b)
    b = to_sek(b_for_a)
    limit = to_sek(threshold)
    if a < 0 or b < 0 or limit < 0:
        raise ValueError("amounts and threshold must not be negative")
    total = a + b
    deviation = (abs(a - b) / 2).quantize(ORE, rounding=ROUND_HALF_UP)
    material = deviation > limit
    payer = payee = None
    equalisation = ZERO
    if material:
        equalisation = deviation
        payer, payee = (party_b, party_a) if a > b else (party_a, party_b)
    return Reconciled(
        party_a=party_a,
        party_b=party_b,
        a_for_b=a,
        b_for_a=b,
        total=total,
        equal_share=(total / 2).quantize(ORE, rounding=ROUND_HALF_UP),
        deviation=deviation,
        threshold=limit,
        material=material,
        equalisation=equalisation,
        payer=payer,
        payee=payee,
    )


def ordered_pair(first: str, second: str) -> tuple[str, str]:
    """A pair of parties in one canonical order, so a period has one reconciliation per pair."""
    return (first, second) if first <= second else (second, first)


# --- Balance and pilot caps --------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    sent: int = 0
    received: int = 0


def balance(pairs: Iterable[tuple[str, str]], parties: Iterable[str] = ()) -> dict[str, Counts]:
    """Assignments sent and received per party, from (home, receiving) pairs."""
    sent: Counter[str] = Counter()
    received: Counter[str] = Counter()
    for home, receiving in pairs:
        sent[home] += 1
        received[receiving] += 1
    names = sorted(set(parties) | set(sent) | set(received))
    return {name: Counts(sent[name], received[name]) for name in names}


@dataclass(frozen=True)
class PilotCaps:
    enabled: bool
    max_sent: int = 1
    max_received: int = 1
    starts: date | None = None
    ends: date | None = None  # inclusive; None: for as long as the agreement runs

    def applies_on(self, day: date) -> bool:
        if not self.enabled:
            return False
        if self.starts is not None and day < self.starts:
            return False
        return not (self.ends is not None and day > self.ends)


@dataclass(frozen=True)
class CapCheck:
    ok: bool
    messages: list[str] = field(default_factory=list)


def pilot_cap_check(
    *,
    caps: PilotCaps,
    on: date,
    home_name: str,
    home_sent: int,
    receiving_name: str,
    receiving_received: int,
) -> CapCheck:
    """Would one more assignment from home to receiving stay within the pilot caps on `on`?

    `home_sent` and `receiving_received` count the assignments already sent or
    received during the pilot term (not counting the one being checked).
    """
    if not caps.applies_on(on):
        return CapCheck(True)
    messages = []
    if home_sent + 1 > caps.max_sent:
        messages.append(
            str(
                _(
                    "%(party)s har redan skickat %(count)s uppdrag under pilottiden; "
                    "avtalet tillåter högst %(max)s."
                )
                % {"party": home_name, "count": home_sent, "max": caps.max_sent}
            )
        )
    if receiving_received + 1 > caps.max_received:
        messages.append(
            str(
                _(
                    "%(party)s har redan tagit emot %(count)s uppdrag under pilottiden; "
                    "avtalet tillåter högst %(max)s."
                )
                % {"party": receiving_name, "count": receiving_received, "max": caps.max_received}
            )
        )
    return CapCheck(not messages, messages)
