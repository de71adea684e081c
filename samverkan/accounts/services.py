"""State changes of accounts: a completed log-in (recorded in the access log)."""

from __future__ import annotations

from django.contrib.auth import login as auth_login
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device

from samverkan.accounts.models import User
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of


def user_login(
    *,
    request: HttpRequest,
    user: User,
    method: str,
    device: Device | None = None,
    backend: str | None = None,
) -> None:
    """Sign the user in (with the verified device, if any) and log it in the access log.

    `method` says how the person proved who they are: "totp", "enrolment" or "oidc".
    """
    with transaction.atomic():
        auth_login(request, user, backend=backend)
        if device is not None:
            otp_login(request, device)
        audit_record_of(
            user,
            actor=user,
            action=AuditAction.LOGIN,
            controller=user.organisation.code if user.organisation else "",
            detail={"method": method},
        )


def user_login_refused(*, user: User, method: str, reason: str, detail: dict | None = None) -> None:
    """Record in the access log that a known person's log-in was refused (no session).

    For a log-in the person got through but that is not good enough here, such as an
    identity provider's too weak assurance level; wrong passwords are counted by axes.
    """
    audit_record_of(
        user,
        actor=user,
        action=AuditAction.REFUSED,
        controller=user.organisation.code if user.organisation else "",
        reason=reason,
        detail={"method": method, **(detail or {})},
    )
