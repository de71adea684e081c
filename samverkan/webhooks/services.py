"""Webhook endpoints and deliveries: register, queue, send with back-off, pause (issue 21.1).

* `endpoint_register` / `endpoint_delete` / `endpoint_resume` / `endpoint_pause`: a
  police system (API) or an administrator (admin); audited.
* `deliveries_queue`: intake's announcement listener (see `declarations`), called
  inside the transaction of the change it announces: the delivery row commits, or
  rolls back, with the change, so a crash loses nothing and announces nothing false.
  The body is what the status API shows for the report then — nothing more.
* `deliveries_send_due`: the job's round (`manage.py deliver_webhooks`).
  Each delivery is claimed with a conditional update (two workers never send it at
  once; a worker that dies mid-send leaves it to be retried after the lease), sent
  outside any transaction, and every attempt is logged. Failures are retried with
  exponential back-off; an endpoint failing every attempt for long is paused and its
  contact mailed.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from samverkan.accounts.models import ApiClient
from samverkan.audit.models import AuditAction
from samverkan.audit.services import audit_record_of
from samverkan.core import outbox
from samverkan.core.calendar import api_instant, local_datetime
from samverkan.core.errors import InvalidInput, NotAllowed, NotFound
from samverkan.intake.announcements import EVENT_TYPES, Announcement
from samverkan.intake.selectors import report_status_for_client
from samverkan.webhooks import access, rules
from samverkan.webhooks.models import (
    DeliveryAttempt,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)

logger = logging.getLogger(__name__)

# What of a receiver's answer is read (and dropped): enough to finish the exchange.
READ_LIMIT = 64 * 1024


class EndpointNotFound(NotFound):
    default_message = "Webhooken finns inte."


# --- endpoints ---------------------------------------------------------------------------


def check_url(url: str) -> str:
    """The receiver URL as kept, or `InvalidInput` on `url` (the form checks it too)."""
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        message = "Ange en giltig adress, t.ex. https://polis.example/hook."
        raise InvalidInput("url", message) from error
    problem = rules.url_problem(
        url,
        allow_loopback_http=settings.WEBHOOK_ALLOW_LOOPBACK_HTTP,
        public_only=settings.WEBHOOK_PUBLIC_TARGETS_ONLY,
    )
    if problem:
        raise InvalidInput("url", problem)
    return url


def _check_events(events: list[str] | None) -> list[str]:
    if events is None:
        return list(EVENT_TYPES)
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        raise InvalidInput("events", f"Okända händelser: {', '.join(unknown)}.")
    if not events:
        raise InvalidInput("events", "Välj minst en händelse.")
    return [e for e in EVENT_TYPES if e in events]


def _audit(endpoint: WebhookEndpoint, actor: Any, action: str, **detail: Any) -> None:
    """The entry under the police organisation whose system the endpoint serves."""
    audit_record_of(
        endpoint,
        actor=actor,
        action=action,
        controller=endpoint.client.organisation.code,
        detail=detail,
    )


def endpoint_register(
    *,
    actor: Any,
    client: ApiClient,
    url: str,
    contact_email: str,
    events: list[str] | None = None,
) -> tuple[WebhookEndpoint, str]:
    """Register a receiver for `client`'s reports; returns it and its secret (shown once).

    A police system registers for itself; an administrator for any client.
    """
    if not access.can_register_for(actor, client):
        raise NotAllowed("Bara API-klienten själv eller en administratör registrerar webhooks.")
    url = check_url(url)
    try:
        validate_email(contact_email.strip())
    except ValidationError as error:
        raise InvalidInput("contact_email", "Ange en giltig e-postadress.") from error
    secret = rules.new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            client=client,
            url=url,
            events=_check_events(events),
            secret=secret,
            contact_email=contact_email.strip(),
        )
        _audit(endpoint, actor, AuditAction.CREATE, url=url, events=endpoint.events)
    return endpoint, secret


def _endpoint_for(actor: Any, endpoint_id: int, *, lock: bool = False) -> WebhookEndpoint:
    endpoints = access.endpoints_visible_to(actor)
    if lock:
        endpoints = endpoints.select_for_update(of=("self",))
    endpoint = endpoints.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise EndpointNotFound()
    return endpoint


def endpoint_get(*, actor: Any, endpoint_id: int) -> WebhookEndpoint:
    return _endpoint_for(actor, endpoint_id)


def endpoint_delete(*, actor: Any, endpoint_id: int) -> None:
    """Remove a receiver; its queued deliveries and their log go with it."""
    with transaction.atomic():
        endpoint = _endpoint_for(actor, endpoint_id, lock=True)
        _audit(endpoint, actor, AuditAction.DELETE, url=endpoint.url)
        endpoint.delete()


def endpoint_resume(
    *, actor: Any, endpoint_id: int, now: datetime | None = None
) -> WebhookEndpoint:
    """Send again: the held deliveries go at once, the failure count starts over."""
    now = now or timezone.now()
    with transaction.atomic():
        endpoint = _endpoint_for(actor, endpoint_id, lock=True)
        endpoint.paused_at = None
        endpoint.consecutive_failures = 0
        endpoint.failing_since = None
        endpoint.save(update_fields=["paused_at", "consecutive_failures", "failing_since"])
        endpoint.deliveries.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=now)
        _audit(endpoint, actor, AuditAction.CHANGE, resumed=True)
    return endpoint


def endpoint_pause(*, actor: Any, endpoint_id: int, now: datetime | None = None) -> WebhookEndpoint:
    """Hold the deliveries (they stay queued) until the endpoint is resumed."""
    with transaction.atomic():
        endpoint = _endpoint_for(actor, endpoint_id, lock=True)
        if endpoint.paused_at is None:
            endpoint.paused_at = now or timezone.now()
            endpoint.save(update_fields=["paused_at"])
            _audit(endpoint, actor, AuditAction.CHANGE, paused=True)
    return endpoint


def deliveries_of(*, actor: Any, endpoint_id: int, limit: int = 100) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries with every attempt (newest first)."""
    endpoint = _endpoint_for(actor, endpoint_id)
    return list(
        endpoint.deliveries.prefetch_related("attempts").order_by("-created_at", "-pk")[:limit]
    )


# --- queueing (in the announcing change's transaction) -------------------------------------


def _body(announcement: Announcement, client: ApiClient) -> str:
    """The event as sent: the report's status exactly as `GET /api/v1/reports/{id}` shows it
    to this client; an information request only by id, kind and times (its question is
    fetched with `GET /api/v1/reports/information-requests`)."""
    data: dict[str, Any] = report_status_for_client(
        client=client, report_id=announcement.report_id
    ).as_json()
    if announcement.information_request_id is not None:
        from samverkan.intake.models import InformationRequest

        request = InformationRequest.objects.get(pk=announcement.information_request_id)
        data["information_request"] = {
            "id": request.pk,
            "kind": request.kind,
            "sent_at": api_instant(request.sent_at),
            "answered_at": api_instant(request.answered_at) if request.answered_at else None,
        }
    payload = {
        "type": announcement.event_type,
        "timestamp": api_instant(announcement.at),
        "data": data,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _has_endpoints(client_id: int) -> bool:
    """Whether the client has any endpoint: one indexed probe by key, no ORM.

    Nearly every announcement is for a client without webhooks, and it is made in the
    intake's transaction; the ORM's look-up of the endpoints with their client cost a
    sixth of an API intake's CPU (issue 20.2, benchmarks/README.md). Read, like that
    look-up, in the announcing transaction: an endpoint registered before it commits
    gets the event.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {WebhookEndpoint._meta.db_table} WHERE client_id = %s LIMIT 1",  # noqa: S608
            [client_id],
        )
        return cursor.fetchone() is not None


def deliveries_queue(announcement: Announcement) -> list[WebhookDelivery]:
    """Queue the announced event for each of the client's endpoints that follows it.

    Runs inside the caller's transaction. A change announced twice (the same key) is
    queued once per endpoint.
    """
    if not _has_endpoints(announcement.client_id):
        return []
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.select_related("client").filter(
            client_id=announcement.client_id, client__is_active=True
        )
        if announcement.event_type in endpoint.events
    ]
    if not endpoints:
        return []
    body = _body(announcement, endpoints[0].client)
    now = timezone.now()
    deliveries = [
        WebhookDelivery(
            endpoint=endpoint,
            message_id=f"msg_{uuid.uuid4().hex}",
            event_type=announcement.event_type,
            source_key=announcement.key,
            body=body,
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    ]
    # A conflict is the same change announced again: keep the first, never a second.
    return WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)


# --- sending (the worker) ------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptResult:
    status_code: int | None
    duration_ms: int
    error: str

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to a second DNS answer (rebinding)."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()  # certificate and host name verified
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return []
    return [str(info[4][0]) for info in infos]


def _post(url: str, headers: dict[str, str], body: bytes) -> AttemptResult:
    """POST once; never follows a redirect (a 3xx is a failure, logged as such)."""
    started = time.monotonic()

    def result(status_code: int | None, error: str = "") -> AttemptResult:
        elapsed = int((time.monotonic() - started) * 1000)
        return AttemptResult(status_code, elapsed, error[:300])

    parts = urlsplit(url)
    https = parts.scheme == "https"
    try:
        port = parts.port or (443 if https else 80)
    except ValueError:
        return result(None, "Ogiltigt portnummer i adressen.")
    host = parts.hostname or ""
    addresses = _resolve(host, port)
    problem = rules.addresses_problem(
        addresses, public_only=settings.WEBHOOK_PUBLIC_TARGETS_ONLY
    ) or rules.url_problem(
        url,
        allow_loopback_http=settings.WEBHOOK_ALLOW_LOOPBACK_HTTP,
        public_only=settings.WEBHOOK_PUBLIC_TARGETS_ONLY,
    )
    if problem:
        return result(None, problem)
    kind = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = kind(host, port, address=addresses[0], timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(READ_LIMIT)
        status = response.status
    except (OSError, ValueError, http.client.HTTPException) as error:
        return result(None, f"{type(error).__name__}: {error}")
    finally:
        connection.close()
    return result(status, "" if 200 <= status < 300 else f"HTTP {status}")


def deliveries_send_due(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Send every delivery whose time has come, of endpoints not paused; returns their ids.

    Safe to run in several processes at once and as often as you like.
    """
    now = now or timezone.now()
    sendable = WebhookDelivery.objects.filter(
        endpoint__paused_at__isnull=True,
        endpoint__client__is_active=True,  # a revoked client's system gets nothing
    )
    sent = []
    for pk in outbox.claimed_due(sendable, now, limit):
        delivery = WebhookDelivery.objects.select_related("endpoint", "endpoint__client").get(pk=pk)
        endpoint = delivery.endpoint
        body = delivery.body.encode()
        # A fresh timestamp and signature for every attempt; the same webhook-id.
        timestamp = int(time.time())
        outcome = _post(
            endpoint.url, rules.headers(endpoint.secret, delivery.message_id, timestamp, body), body
        )
        if _record(delivery, outcome, now):
            # After the commit: the pause stands even if the mail cannot be sent.
            _mail_paused(delivery.endpoint, outcome.error)
        sent.append(pk)
    return sent


def _record(delivery: WebhookDelivery, outcome: AttemptResult, now: datetime) -> bool:
    """Log the attempt and schedule what follows; True when it paused the endpoint."""
    endpoint = delivery.endpoint
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            at=now,
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
        )
        attempts = delivery.attempt_count + 1
        if outcome.succeeded:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                attempt_count=attempts,
                status=DeliveryStatus.SUCCEEDED,
                delivered_at=now,
                next_attempt_at=None,
            )
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                consecutive_failures=0, failing_since=None
            )
            return False
        next_attempt = outbox.next_attempt_after_failure(
            attempts,
            now,
            max_attempts=settings.WEBHOOK_MAX_ATTEMPTS,
            base_seconds=settings.WEBHOOK_RETRY_BASE_SECONDS,
            max_seconds=settings.WEBHOOK_RETRY_MAX_SECONDS,
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempt_count=attempts,
            status=DeliveryStatus.PENDING if next_attempt else DeliveryStatus.FAILED,
            next_attempt_at=next_attempt,
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
            failing_since=now
        )
        endpoint.refresh_from_db(fields=["consecutive_failures", "failing_since", "paused_at"])
        if endpoint.paused_at is not None or not rules.should_pause(
            endpoint.consecutive_failures,
            endpoint.failing_since,
            now,
            after_failures=settings.WEBHOOK_PAUSE_AFTER_FAILURES,
            after=timedelta(hours=settings.WEBHOOK_PAUSE_AFTER_HOURS),
        ):
            return False
        paused = WebhookEndpoint.objects.filter(pk=endpoint.pk, paused_at__isnull=True).update(
            paused_at=now
        )
        if paused:
            _audit(
                endpoint,
                None,
                AuditAction.CHANGE,
                paused=True,
                consecutive_failures=endpoint.consecutive_failures,
            )
        return bool(paused)


def deliveries_prune(*, now: datetime | None = None) -> int:
    """Remove finished deliveries (and their attempts) older than WEBHOOK_LOG_DAYS.

    The log is for running the connection, not a record of the report (the report's
    own history is that): it is kept a month, then goes. Returns how many went.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WEBHOOK_LOG_DAYS)
    old = WebhookDelivery.objects.filter(created_at__lt=cutoff).exclude(
        status=DeliveryStatus.PENDING
    )
    deleted, by_model = old.delete()
    return by_model.get(WebhookDelivery._meta.label, 0)


def _mail_paused(endpoint: WebhookEndpoint, last_error: str) -> None:
    """Tell the police system's contact; no personal data, only the endpoint and the failure."""
    since = local_datetime(endpoint.failing_since or timezone.now())
    try:
        send_mail(
            subject="Samverkan: er webhook är pausad efter upprepade fel",
            message=(
                f"Samverkan har pausat webhooken {endpoint.url} för API-klienten "
                f"{endpoint.client.name}: {endpoint.consecutive_failures} leveranser i rad har "
                f"misslyckats sedan {since:%Y-%m-%d %H:%M}. "
                f"Senaste fel: {last_error or 'okänt'}.\n\n"
                "Inga händelser går förlorade: de väntar i kö och skickas när webhooken "
                f"återupptas (POST /api/v1/webhooks/{endpoint.pk}/resume med API-nyckeln, "
                "eller be Samverkans administratör). Leveransloggen finns på "
                f"GET /api/v1/webhooks/{endpoint.pk}/deliveries."
            ),
            from_email=None,
            recipient_list=[endpoint.contact_email],
        )
    except Exception:  # noqa: BLE001 - a mail failure must not undo the pause
        logger.exception("pause mail for webhook %s failed", endpoint.pk)
