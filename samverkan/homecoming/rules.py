"""What each party of a homecoming plan may see, by the recorded legal basis. Pure functions.

The district (social services, the controller) sees the whole plan. The police
see only what the recorded basis for sharing allows, and the school only with
consent (10 kap. 18 a § OSL permits disclosure to the police, not to a school):

| section                                  | district | police:  | police:  | school:  |
|                                          |          | consent  | 18 a §   | consent  |
|------------------------------------------|----------|----------|----------|----------|
| identity: name, personnummer, age        | yes      | yes      | yes      | yes      |
| release: expected release, day home      | yes      | yes      | yes      | yes      |
| concrete risk of continued crime + level | yes      | yes      | yes      | no       |
| placement: which SiS home                | yes      | yes      | no       | no       |
| social services' full risk assessment    | yes      | yes      | no       | no       |
| the party's own actions                  | yes      | yes      | yes      | yes      |
| every party's actions                    | yes      | yes      | no       | yes      |
| contacts                                 | yes      | yes      | yes      | yes      |
| follow-up after the return               | yes      | yes      | no       | no       |
| documentation of the basis (basis note)  | yes      | no       | no       | no       |

With no basis recorded the police and the school see nothing: the plan does not
exist for them (404), and no action can be given to them. 10 kap. 18 a § OSL
covers a person under 21 with a concrete risk of continued crime: the basis
needs the concrete risk written down, and it lapses on the day the young person
turns 21 (`effective_basis`), when the police lose access unless there is consent.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

from django.db.models import Q

from samverkan.core.identity import age_on

OSL_AGE_LIMIT = 21
BASIS_NONE = "none"
BASIS_CONSENT = "consent"
BASIS_OSL = "osl_10_18a"


class Party(StrEnum):
    DISTRICT = "district"
    POLICE = "police"
    SCHOOL = "school"


class Section(StrEnum):
    IDENTITY = "identity"
    RELEASE = "release"
    CONCRETE_RISK = "concrete_risk"
    PLACEMENT = "placement"
    RISK_ASSESSMENT = "risk_assessment"
    OWN_ACTIONS = "own_actions"
    ALL_ACTIONS = "all_actions"
    CONTACTS = "contacts"
    FOLLOW_UP = "follow_up"
    BASIS_NOTE = "basis_note"


ALL_SECTIONS = frozenset(Section)

# What each section shows, as the help text and the warnings name it (in table order).
SECTION_TEXTS = {
    Section.IDENTITY: "den unges namn, personnummer och ålder, ansvarigt stadsdelsområde, "
    "polisen och skolan",
    Section.RELEASE: "beräknad utskrivning och dagen för hemkomsten",
    Section.CONCRETE_RISK: "den konkreta risken för fortsatt brottslighet och risknivån",
    Section.PLACEMENT: "vilket SiS-hem den unge är placerad på",
    Section.RISK_ASSESSMENT: "socialtjänstens riskbedömning",
    Section.OWN_ACTIONS: "sina egna åtgärder",
    Section.ALL_ACTIONS: "de andra parternas åtgärder",
    Section.CONTACTS: "kontakterna",
    Section.FOLLOW_UP: "uppföljningen efter hemkomsten",
    Section.BASIS_NOTE: "dokumentationen av grunden",
}
_POLICE = {
    BASIS_CONSENT: ALL_SECTIONS - {Section.BASIS_NOTE},
    BASIS_OSL: frozenset(
        {
            Section.IDENTITY,
            Section.RELEASE,
            Section.CONCRETE_RISK,
            Section.OWN_ACTIONS,
            Section.CONTACTS,
        }
    ),
}
_SCHOOL = {
    BASIS_CONSENT: frozenset(
        {
            Section.IDENTITY,
            Section.RELEASE,
            Section.OWN_ACTIONS,
            Section.ALL_ACTIONS,
            Section.CONTACTS,
        }
    ),
}


def twenty_one_cutoff(day: date) -> date:
    """The latest birth date of someone who is 21 or older on `day` (per `age_on`)."""
    year = day.year - OSL_AGE_LIMIT
    last = calendar.monthrange(year, day.month)[1]
    cutoff = date(year, day.month, min(day.day, last))
    # On the last day of February in a common year, those born on 29 February turn a year older.
    if day.month == 2 and day.day == calendar.monthrange(day.year, 2)[1] and last == 29:
        cutoff = date(year, 2, 29)
    return cutoff


def under_age_limit(birth_date: date, day: date) -> bool:
    return age_on(birth_date, day) < OSL_AGE_LIMIT


def effective_basis(basis: str, birth_date: date, day: date) -> str:
    """The basis as it holds on `day`: 18 a § lapses when the young person turns 21."""
    if basis == BASIS_OSL and not under_age_limit(birth_date, day):
        return BASIS_NONE
    return basis


def sections_for(party: Party, basis: str) -> frozenset[Section]:
    """What `party` sees of a plan whose effective basis is `basis` (empty: nothing at all)."""
    if party == Party.DISTRICT:
        return ALL_SECTIONS
    if party == Party.POLICE:
        return _POLICE.get(basis, frozenset())
    return _SCHOOL.get(basis, frozenset())


def party_may_have_actions(party: Party, basis: str) -> bool:
    return Section.OWN_ACTIONS in sections_for(party, basis)


def police_may_see_q(today: date | None = None) -> Q:
    """The queryset form of "sections_for(POLICE, effective_basis(...)) is not empty"."""
    from django.utils import timezone

    from samverkan.core.calendar import local_date

    day = today or local_date(timezone.now())
    return Q(sharing_basis=BASIS_CONSENT) | Q(
        sharing_basis=BASIS_OSL, birth_date__gt=twenty_one_cutoff(day)
    )


def school_may_see_q() -> Q:
    return Q(sharing_basis=BASIS_CONSENT)


def lost_sections(party: Party, before: str, after: str) -> list[Section]:
    """What `party` sees under the effective basis `before` and no longer under `after`."""
    remaining = sections_for(party, after)
    return [section for section in Section if section in sections_for(party, before) - remaining]


def listed(sections: list[Section], conjunction: str = "och") -> str:
    """ "a; b och c" of the sections' texts (semicolons: a text may hold commas)."""
    texts = [SECTION_TEXTS[section] for section in sections]
    if len(texts) < 2:
        return "".join(texts)
    return f"{'; '.join(texts[:-1])} {conjunction} {texts[-1]}"


def police_view_text(basis: str) -> str:
    """What the police see of a plan under `basis`, and what not: generated from the table
    above, so the help text cannot drift from what the pages show."""
    seen = [section for section in Section if section in sections_for(Party.POLICE, basis)]
    if not seen:
        return "polisen ser ingenting av planen"
    hidden = [section for section in Section if section not in seen]
    text = f"polisen ser {listed(seen)}"
    return f"{text} – inte {listed(hidden, 'eller')}" if hidden else text


def basis_help_text() -> str:
    return (
        f"Samtycke: {police_view_text(BASIS_CONSENT)}. "
        f"10 kap. 18 a § OSL (under 21 år, konkret risk): {police_view_text(BASIS_OSL)}. "
        "Utan grund ser polisen ingenting."
    )
