"""Demo agreements (issue 4 "Demo data" and issue 5). Idempotent: keyed by reference.

Organisations normally come from the registry's reference data; the few this
module needs are fetched with get_or_create by code so that it also works
on its own. People named here are fictional.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from django.core.files.base import ContentFile

from samverkan.accounts.models import User
from samverkan.agreements import services
from samverkan.agreements.models import Agreement, AgreementTypeCode, DecisionBody, PartyRole
from samverkan.core.calendar import STOCKHOLM
from samverkan.registry.demo import mobile_fiction, stockholm_fiction
from samverkan.registry.models import Organisation, OrganisationKind

STOCKHOLM_COUNTY = {
    "0114": "Upplands Väsby",
    "0115": "Vallentuna",
    "0117": "Österåker",
    "0120": "Värmdö",
    "0123": "Järfälla",
    "0125": "Ekerö",
    "0126": "Huddinge",
    "0127": "Botkyrka",
    "0128": "Salem",
    "0136": "Haninge",
    "0138": "Tyresö",
    "0139": "Upplands-Bro",
    "0140": "Nykvarn",
    "0160": "Täby",
    "0162": "Danderyd",
    "0163": "Sollentuna",
    "0180": "Stockholm",
    "0181": "Södertälje",
    "0182": "Nacka",
    "0183": "Sundbyberg",
    "0184": "Solna",
    "0186": "Lidingö",
    "0187": "Vaxholm",
    "0188": "Norrtälje",
    "0191": "Sigtuna",
    "0192": "Nynäshamn",
}
NO_AGREEMENT = {"0188"}
GOTHENBURG_COMMITTEES = {
    "1480-sn-nordost": "Socialnämnden Nordost",
    "1480-sn-centrum": "Socialnämnden Centrum",
    "1480-sn-sydvast": "Socialnämnden Sydväst",
    "1480-sn-hisingen": "Socialnämnden Hisingen",
}


def _municipality_name(code: str) -> str:
    name = STOCKHOLM_COUNTY.get(code, {"1480": "Göteborg", "1280": "Malmö"}.get(code, code))
    return f"{name}s stad" if code in {"0180", "1480", "1280"} else f"{name}s kommun"


def organisation(code: str) -> Organisation:
    """The registry's organisation, created minimally if the registry has not loaded yet."""
    if code in GOTHENBURG_COMMITTEES:
        parent = organisation("1480")
        found, _ = Organisation.objects.get_or_create(
            code=code,
            defaults={
                "name": GOTHENBURG_COMMITTEES[code],
                "kind": OrganisationKind.COMMITTEE,
                "parent": parent,
            },
        )
        return found
    if code in ("0180-jarva", "0180-spanga-tensta"):
        found, _ = Organisation.objects.get_or_create(
            code=code,
            defaults={
                "name": "Järva" if code == "0180-jarva" else "Spånga-Tensta",
                "kind": OrganisationKind.DISTRICT,
                "parent": organisation("0180"),
            },
        )
        return found
    if code == "polisen-roc":
        found, _ = Organisation.objects.get_or_create(
            code=code,
            defaults={"name": "Polisen – Regionalt operativt center", "kind": "police_unit"},
        )
        return found
    defaults = {
        "name": _municipality_name(code),
        "kind": OrganisationKind.MUNICIPALITY,
        "county_code": code[:2],
    }
    if code == "0180":
        defaults["org_number"] = "212000-0142"
    found, _ = Organisation.objects.get_or_create(code=code, defaults=defaults)
    return found


# Fictional organisation numbers for the demo's municipalities the registry ships none
# for: 212000-9NNC (NN the municipality code's last two digits, C the Luhn check digit),
# a series used only here, so that every demo agreement prints a complete party line.
def demo_org_number(code: str) -> str:
    digits = f"2120009{code[-2:]}"
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char) * (2 if position % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    check = (10 - total % 10) % 10
    return f"212000-9{code[-2:]}{check}"


def _with_org_number(found: Organisation) -> Organisation:
    if not found.org_number and found.kind == OrganisationKind.MUNICIPALITY:
        found.org_number = demo_org_number(found.code)
        found.save(update_fields=["org_number"])
    return found


def _ascii(text: str) -> str:
    table = str.maketrans("åäöÅÄÖé ", "aaoAAOe-")
    return text.translate(table).lower()


@lru_cache(maxsize=1)
def _demo_pdf_bytes() -> bytes:
    from weasyprint import HTML

    html = (
        '<html lang="sv"><body><h1>Demodokument</h1>'
        "<p>Påhittad handling i demonstrationsmiljön – ingen riktig handling.</p></body></html>"
    )
    return HTML(string=html).write_pdf() or b""


def _pdf(name: str) -> ContentFile:
    return ContentFile(_demo_pdf_bytes(), name=name)


def _single_entry(code: str) -> None:
    reference = f"SN-ROC-{code}"
    if Agreement.objects.filter(reference=reference).exists():
        return
    stockholm, other = _with_org_number(organisation("0180")), _with_org_number(organisation(code))
    sigtuna = code == "0191"
    agreement = services.agreement_create(
        actor=None,
        type_code=AgreementTypeCode.SINGLE_ENTRY,
        title=f"En ingång – {other.name}",
        reference=reference,
        organisations=[stockholm, other],
        roles=[PartyRole.PROVIDER, PartyRole.PRINCIPAL],
        start_date=date(2026, 12, 1) if sigtuna else date(2024, 2, 1),
        end_date=date(2026, 12, 31) if sigtuna else date(2024, 12, 31),
        renewal_months=12,
        max_renewals=None,
        notice_months=3,
    )
    hub_party, other_party = list(agreement.parties.order_by("id"))
    services.agreement_party_update(
        actor=None,
        party=hub_party,
        acting_body="Socialnämnden",
        signatory_name="Karin Exempelsson",
        signatory_title="Förvaltningschef, socialförvaltningen",
        contact_person="Kim Demosdotter, samordnare, Stockholms stads socialjour",
        contact_email="socialjouren.samordnare@stockholm.example",
        contact_phone=stockholm_fiction(90),
    )
    services.agreement_party_update(
        actor=None,
        party=other_party,
        acting_body="Socialnämnden",
        signatory_name="Per Demosson",
        signatory_title="Socialchef",
        contact_person="Alex Påhittsson, enhetschef, mottagningsenheten",
        contact_email=f"mottagningen@{_ascii(other.name.split()[0])}.example",
        contact_phone=mobile_fiction(5 + int(code[-2:]) % 90),
    )
    decided = date(2026, 10, 15) if sigtuna else date(2024, 1, 20)
    services.decision_record(
        actor=None,
        agreement=agreement,
        party=hub_party,
        body_kind=DecisionBody.DELEGATE,
        body_name="Förvaltningschef, socialförvaltningen (delegation från socialnämnden)",
        decided_on=decided,
        reference="Delegationsbeslut D-12",
        document=_pdf(f"beslut-0180-{code}.pdf"),
    )
    if code != "0192":
        services.decision_record(
            actor=None,
            agreement=agreement,
            party=other_party,
            body_kind=DecisionBody.POLITICAL_COMMITTEE,
            body_name=f"Socialnämnden, {other.name}",
            decided_on=decided,
            reference="§ 12",
            document=_pdf(f"beslut-{code}.pdf"),
        )
    if code == "0120":
        notice = services.notice_give(
            actor=None,
            agreement=agreement,
            party=other_party,
            given_on=date(2026, 3, 10),
            document=_pdf("uppsagning-0120.pdf"),
        )
        # Told on the day of the notice; ROC's demo user (if loaded) acknowledged the next
        # morning. The demo writes the past, so the day the system told ROC is set here.
        notice.notifications.update(created_at=datetime(2026, 3, 10, 14, 0, tzinfo=STOCKHOLM))
        roc_user = User.objects.filter(username="roc").first()
        for task in notice.notifications.all():
            services.notification_acknowledge(
                actor=roc_user,
                notification=task,
                at=datetime(2026, 3, 11, 9, 0, tzinfo=STOCKHOLM),
            )


DEFECTOR_REFERENCE = "AVH-2023-1"


def _defector_agreement() -> None:
    if Agreement.objects.filter(reference=DEFECTOR_REFERENCE).exists():
        return
    bodies = {
        "0180": ("Socialnämnden (centrala avhopparverksamheten, Enheten för hemlösa)", "§ 8"),
        # Source 03: signed by Spånga-Tensta stadsdelsnämnd, which merged into Järva on
        # 2023-07-01; the merger (registry.demo_changes, issue 10) moves the party to Järva.
        "0180-spanga-tensta": ("Spånga-Tensta stadsdelsnämnd", "§ 15"),
        "1480": ("Göteborgs Stad", "§ 3"),
        **{code: (name, "§ 21") for code, name in GOTHENBURG_COMMITTEES.items()},
        "1280": ("Arbetsmarknads- och socialnämnden", "§ 204"),
    }
    codes = list(bodies)
    agreement = services.agreement_create(
        actor=None,
        type_code=AgreementTypeCode.DEFECTOR_SERVICES,
        title="Avtal om samverkan för insatser till avhoppare – Stockholm, Göteborg och Malmö",
        reference=DEFECTOR_REFERENCE,
        organisations=[organisation(code) for code in codes],
        start_date=date(2023, 1, 1),
        end_date=date(2023, 12, 31),
        renewal_months=12,
        max_renewals=1,
        open_ended_after_renewals=True,
        notice_months=6,
        pilot_max_sent=1,
        pilot_max_received=1,
        materiality_threshold=Decimal("10000.00"),
    )
    for party in agreement.parties.select_related("organisation"):
        body, paragraph = bodies[party.organisation.code]
        services.agreement_party_update(
            actor=None,
            party=party,
            acting_body=body,
            signatory_name="Demo Undertecknare",
            signatory_title="Förvaltningschef"
            if "-" not in party.organisation.code
            else "Direktör",
            contact_person="Sam Exempel, samordnare avhopparverksamheten",
            contact_email=f"avhopp@{_ascii(party.organisation.code)}.example",
        )
        services.decision_record(
            actor=None,
            agreement=agreement,
            party=party,
            body_kind=DecisionBody.POLITICAL_COMMITTEE,
            body_name=body,
            decided_on=date(2022, 12, 15),
            reference=paragraph,
            document=_pdf(f"beslut-avhoppare-{party.organisation.code}.pdf"),
        )


def load_demo() -> None:
    organisation("polisen-roc")
    for code in STOCKHOLM_COUNTY:
        if code != "0180" and code not in NO_AGREEMENT:
            _single_entry(code)
    _defector_agreement()
