"""Demo users, their second factor and a demo API client (idempotent).

Runs after `samverkan.registry.demo.load_demo()`, which creates the
organisations by code. Every demo user has the same password
(`DEMO_PASSWORD`) and a confirmed TOTP device named "demo" with a random key
of its own instance, so its current six-digit code is known only to the
server, which shows it on the log-in page of a demo instance (never in
production: the log-in view only shows it when `settings.DEMO` is true, and
settings refuse demo mode in production).

A demo user is recognised by its user name (`DEMO_USERNAMES`) together with
its e-mail address under `DEMO_EMAIL_DOMAIN`, a domain that cannot exist
(RFC 2606 `.invalid`): an administrator's real user named "nacka" is not a
demo user, and `setup_demo` refuses to run beside it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q, QuerySet
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from samverkan.accounts.api_auth import hash_token
from samverkan.accounts.models import ApiClient, Role, RoleCode, User
from samverkan.registry.models import Organisation

DEMO_PASSWORD = "Demo-Samverkan-2026"
# Public on purpose: it is printed with the demo log-ins. A demo instance only.
DEMO_API_TOKEN = "svk_demo-roc-Ej4hemlig-bara-for-demonstration"
DEMO_API_CLIENT_NAME = "ROC demo-integration"
DEMO_API_CLIENT_ORGANISATION = "polisen-roc"
DEMO_DEVICE_NAME = "demo"
DEMO_EMAIL_DOMAIN = "demo.samverkan.invalid"


@dataclass(frozen=True)
class DemoUserSpec:
    username: str
    first_name: str
    last_name: str
    organisation_code: str | None
    roles: tuple[str, ...]
    superuser: bool = False


DEMO_USERS: tuple[DemoUserSpec, ...] = (
    DemoUserSpec("socialjour", "Sara", "Lindqvist", "0180", (RoleCode.HUB_WORKER,)),
    DemoUserSpec("nacka", "Nils", "Bergendahl", "0182", (RoleCode.RECEIVER,)),
    DemoUserSpec("solna", "Sofia", "Ekström", "0184", (RoleCode.RECEIVER,)),
    DemoUserSpec("roc", "Rikard", "Holmgren", "polisen-roc", (RoleCode.POLICE_OPERATOR,)),
    DemoUserSpec("avtal", "Anna", "Vikander", "0180", (RoleCode.AGREEMENT_ADMIN,)),
    DemoUserSpec("avtal-nacka", "Axel", "Strandberg", "0182", (RoleCode.AGREEMENT_ADMIN,)),
    DemoUserSpec("analytiker", "Amira", "Dahlén", "0180", (RoleCode.ANALYST,)),
    DemoUserSpec("granskare", "Gustav", "Lundmark", "0182", (RoleCode.AUDITOR,)),
    DemoUserSpec("avhopp", "Hanna", "Falkenberg", "0180", (RoleCode.DEFECTOR_COORDINATOR,)),
    DemoUserSpec("avhopp-gbg", "Jonas", "Strömgren", "1480", (RoleCode.DEFECTOR_COORDINATOR,)),
    DemoUserSpec(
        "farsta", "Fatima", "Nordling", "0180-farsta", (RoleCode.COLLABORATION_COORDINATOR,)
    ),
    DemoUserSpec("farsta-mottagning", "Maja", "Rosenqvist", "0180-farsta", (RoleCode.RECEIVER,)),
    # The local police area's youth coordinator: a party of Farsta's forums, owner of
    # the police activities in its action plan and of homecoming-plan actions.
    DemoUserSpec(
        "polis-farsta",
        "Peter",
        "Almgren",
        "polisen-lpo-farsta",
        (RoleCode.COLLABORATION_COORDINATOR,),
    ),
    # A later issue moves the school staff member to a school unit.
    DemoUserSpec("skola", "Karin", "Björkman", "0180-norra-innerstaden", (RoleCode.SCHOOL_STAFF,)),
    # The system operator belongs to no organisation: it sees no personal data.
    DemoUserSpec("admin", "Adam", "Eldh", None, (RoleCode.ADMINISTRATOR,), superuser=True),
)
DEMO_USERNAMES = tuple(spec.username for spec in DEMO_USERS)


def legacy_demo_totp_key(username: str) -> str:
    """The key earlier versions derived from the user name: anyone could compute its codes.

    Kept only to recognise and replace such a key in a database set up before.
    """
    return hashlib.sha1(
        f"samverkan-demo-totp:{username}".encode(), usedforsecurity=False
    ).hexdigest()


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def non_demo_users() -> QuerySet[User]:
    """Users that are not demo users: a real instance's people, whom the demo must not touch."""
    demo = Q()
    for username in DEMO_USERNAMES:
        demo |= Q(username=username, email=demo_email(username))
    return User.objects.exclude(demo)


def current_code(device: TOTPDevice) -> str:
    """The six-digit code the device shows right now (for demo log-in and tests)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(code).zfill(device.digits)


def ensure_roles() -> None:
    """Every RoleCode exists as a Role row (the data migration does it too)."""
    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)


def _spec(username: str) -> DemoUserSpec:
    for spec in DEMO_USERS:
        if spec.username == username:
            return spec
    raise KeyError(f"no demo user named {username!r}")


def ensure_demo_user(username: str, *, password_hash: str | None = None) -> User:
    """Create or restore one demo user with roles and a confirmed "demo" TOTP device."""
    spec = _spec(username)
    organisation = None
    if spec.organisation_code is not None:
        try:
            organisation = Organisation.objects.get(code=spec.organisation_code)
        except Organisation.DoesNotExist as error:
            raise Organisation.DoesNotExist(
                f"demo user {username!r} needs organisation {spec.organisation_code!r}; "
                "load the registry demo first"
            ) from error
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": demo_email(spec.username),
                "organisation": organisation,
                "is_staff": spec.superuser,
                "is_superuser": spec.superuser,
                "password": password_hash or make_password(DEMO_PASSWORD),
            },
        )
        if not created:
            user.organisation = organisation
            user.is_active = True
            user.is_staff = spec.superuser
            user.is_superuser = spec.superuser
            user.save(update_fields=["organisation", "is_active", "is_staff", "is_superuser"])
        ensure_roles()
        user.roles.add(*Role.objects.filter(code__in=[str(code) for code in spec.roles]))
        _ensure_demo_device(user)
    return user


def _ensure_demo_device(user: User) -> None:
    """A confirmed "demo" device with a random key; one derived from the name is replaced."""
    device, created = TOTPDevice.objects.get_or_create(
        user=user, name=DEMO_DEVICE_NAME, defaults={"key": random_hex(20), "confirmed": True}
    )
    if not created and (device.key == legacy_demo_totp_key(user.username) or not device.confirmed):
        device.key = random_hex(20)
        device.confirmed = True
        device.save(update_fields=["key", "confirmed"])


def ensure_demo_api_client() -> tuple[ApiClient, str]:
    """The ROC demo API client, whose token is DEMO_API_TOKEN (stored hashed)."""
    organisation = Organisation.objects.get(code=DEMO_API_CLIENT_ORGANISATION)
    client, _created = ApiClient.objects.update_or_create(
        organisation=organisation,
        name=DEMO_API_CLIENT_NAME,
        defaults={
            "token_prefix": DEMO_API_TOKEN[:12],
            "token_hash": hash_token(DEMO_API_TOKEN),
            "is_active": True,
        },
    )
    return client, DEMO_API_TOKEN


def load_demo() -> None:
    """Roles, the demo users and the ROC demo API client. Safe to run again."""
    ensure_roles()
    # One hash for all: the password is public and the same for every demo user.
    password_hash = make_password(DEMO_PASSWORD)
    for spec in DEMO_USERS:
        ensure_demo_user(spec.username, password_hash=password_hash)
    ensure_demo_api_client()


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    organisation: str
    roles: str
    code: str


def demo_logins() -> list[DemoLogin]:
    """The demo log-ins with each user's current code, for the log-in page and the console."""
    devices = {
        device.user_id: device
        for device in TOTPDevice.objects.filter(
            user__username__in=DEMO_USERNAMES, name=DEMO_DEVICE_NAME, confirmed=True
        )
    }
    users = {
        user.username: user
        for user in User.objects.filter(username__in=DEMO_USERNAMES, is_active=True)
        .select_related("organisation")
        .prefetch_related("roles")
    }
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None or user.pk not in devices:
            continue
        rows.append(
            DemoLogin(
                username=username,
                full_name=user.get_full_name(),
                organisation=user.organisation.name if user.organisation else "–",
                roles=", ".join(str(role) for role in user.roles.all()),
                code=current_code(devices[user.pk]),
            )
        )
    return rows
