"""Two production servers and two workers on one PostgreSQL (issue 9.4 and 8.5).

System tests: they start real processes – `scripts/serve.sh` twice (gunicorn
with production settings plus its periodic jobs, so two servers and two escalation
workers), extra `escalate_handovers` and django-tasks `db_worker` processes –
against the test database (transactional tests: what a test writes is
committed), and talk HTTP to them from many threads released at once.
Marked `system`: `make test` leaves them out, `make system-test` (run by
`make crash-test` and CI) runs them on a throw-away PostgreSQL.

Web personas are signed in as the real log-in leaves them (password and TOTP
verified): a session row with the user and the verified device, made here
against the same database, and a CSRF cookie sent back as the header. The
answer a person sees is the flash message of the redirect, decoded from the
`messages` cookie.
"""

from __future__ import annotations

import http.client
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from samverkan.core.testing.servers import (
    HOST,
    ROOT,
    Server,
    production_env,
    request_headers,
)

pytestmark = [
    pytest.mark.system,
    # Committed at once, so the servers see it; the tables are emptied after each test.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="system tests run on PostgreSQL only"
    ),
]

RACERS = 50
ARTIFACTS = ROOT / "test-artifacts" / "system"


# --- processes and data ---------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _env(**extra: str) -> dict[str, str]:
    # The servers must share our SECRET_KEY: they read the sessions made here.
    return production_env(
        {"DATABASE_URL": _database_url(), "SECRET_KEY": settings.SECRET_KEY, **extra}
    )


def _load_demo(*modules: str) -> None:
    """Demo data sets by module (as `setup_demo` loads them), committed."""
    from importlib import import_module

    from django.db import transaction

    for name in modules:
        with transaction.atomic():
            import_module(f"samverkan.{name}.demo").load_demo()


@pytest.fixture(autouse=True)
def _demo_users_and_agreements(transactional_db: None) -> None:
    """The demo personas, the ROC API client and the single-entry agreements."""
    _load_demo("accounts", "agreements")


@pytest.fixture(scope="module")
def servers(django_db_setup: None) -> Iterator[list[Server]]:
    """Two production servers (3 gunicorn workers each), each with its escalation worker."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = _env(ESCALATION_INTERVAL="1")
    pair = [Server(env=env, log=ARTIFACTS / f"server-{n}.log", workers=3) for n in (1, 2)]
    for server in pair:
        server.log.write_bytes(b"")
        server.start()
    try:
        for server in pair:
            server.wait_ready()
        yield pair
    finally:
        for server in pair:
            server.stop()


def _manage_process(name: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
    log = (ARTIFACTS / f"{name}.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=ROOT,
        env=_env(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return process


def _stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _register(reference: str, home: str = "0182") -> Any:
    """A fresh eligible report from the ROC demo API client (found in Solna)."""
    from samverkan.accounts.demo import ensure_demo_api_client
    from samverkan.intake.models import SourceChannel
    from samverkan.intake.services import ReportInput, report_register

    client, _ = ensure_demo_api_client()
    data = ReportInput(
        person_id="201205152380",
        birth_date=None,
        found_in="0184",
        home_municipality=home,
        home_district=None,
        gang_related=True,
        reporting_officer_name="System Testsson",
        narrative="Systemtest.",
        police_reference=reference,
        source_channel=SourceChannel.POLICE_API,
    )
    return report_register(actor=client, data=data).report


def _user(username: str, *, like: str = "") -> Any:
    """A demo user, or (with `like`) a second person with the same organisation and roles."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverkan.accounts.demo import ensure_demo_user
    from samverkan.accounts.models import User

    if not like:
        return ensure_demo_user(username)
    model = ensure_demo_user(like)
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": "Andra",
            "last_name": model.last_name,
            "organisation": model.organisation,
        },
    )
    user.roles.set(model.roles.all())
    TOTPDevice.objects.get_or_create(user=user, name="system", defaults={"confirmed": True})
    return user


# --- web sessions and HTTP ------------------------------------------------------------


@dataclass(frozen=True)
class WebSession:
    """The cookies of a person who has logged in with password and TOTP."""

    sessionid: str
    csrftoken: str


def _sign_in(user: Any) -> WebSession:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    assert device is not None
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    assert store.session_key is not None
    return WebSession(store.session_key, get_random_string(32))


@dataclass
class Answer:
    status: int
    location: str
    messages: list[tuple[str, str]]  # (level tag, text) of the flash messages
    body: bytes

    @property
    def succeeded(self) -> bool:
        return any(tag == "success" for tag, _ in self.messages)

    @property
    def refused(self) -> bool:
        return any(tag == "error" for tag, _ in self.messages)


def _flash_messages(response: http.client.HTTPResponse) -> list[tuple[str, str]]:
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    found: list[tuple[str, str]] = []
    for header in response.msg.get_all("Set-Cookie") or []:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        if "messages" in cookie and cookie["messages"].value:
            storage = CookieStorage(HttpRequest())
            decoded = storage._decode(cookie["messages"].value) or []  # type: ignore[attr-defined]
            found += [(m.level_tag, str(m.message)) for m in decoded]
    return found


@dataclass(frozen=True)
class Call:
    server: Server
    path: str
    form: dict[str, str] | None = None  # a web form POST (with a session)
    session: WebSession | None = None
    json_body: bytes | None = None  # an API POST (with the demo token)


def _send(call: Call, conn: http.client.HTTPConnection) -> Answer:
    from samverkan.accounts.demo import DEMO_API_TOKEN

    port = call.server.port
    if call.json_body is not None:
        headers = {**request_headers(port, DEMO_API_TOKEN), "Content-Type": "application/json"}
        body = call.json_body
    else:
        assert call.session is not None
        origin = f"https://{HOST}:{port}"
        headers = {
            **request_headers(port),
            "Accept": "text/html",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={call.session.sessionid}; csrftoken={call.session.csrftoken}",
            "X-CSRFToken": call.session.csrftoken,
            "Origin": origin,
            "Referer": origin + call.path,
        }
        body = urlencode(call.form or {}).encode()
    conn.request("POST", call.path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return Answer(
        response.status, response.getheader("Location") or "", _flash_messages(response), data
    )


def race(calls: list[Call]) -> list[Answer]:
    """Send every call at once: each thread connects first, then all are released together."""
    barrier = threading.Barrier(len(calls))
    answers: list[Answer | BaseException | None] = [None] * len(calls)

    def run(index: int, call: Call) -> None:
        try:
            conn = http.client.HTTPConnection(HOST, call.server.port, timeout=120)
            conn.connect()
            barrier.wait(timeout=60)
            answers[index] = _send(call, conn)
            conn.close()
        except BaseException as error:  # noqa: BLE001 - asserted below
            answers[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    failures = [a for a in answers if not isinstance(a, Answer)]
    assert not failures, failures[:3]
    return [a for a in answers if isinstance(a, Answer)]


def _spread(servers: list[Server], n: int) -> list[Server]:
    return [servers[i % len(servers)] for i in range(n)]


# --- 9.4: fifty at once, exactly one wins -----------------------------------------------


def test_fifty_acceptances_of_one_handover_across_two_servers_one_wins(servers):
    from samverkan.audit.models import AuditEntry
    from samverkan.intake.models import ConcernReport, Handover

    report = _register("SYS-ACCEPT-1")
    receivers = [_user("nacka"), _user("nacka-system", like="nacka")]
    path = reverse("intake:receiver_accept", args=[report.pk])
    calls = [
        Call(server, path, form={}, session=_sign_in(receivers[i % 2]))
        for i, server in enumerate(_spread(servers, RACERS))
    ]

    answers = race(calls)

    assert {a.status for a in answers} == {302}, Counter(a.status for a in answers)
    winners = [a for a in answers if a.succeeded]
    losers = [a for a in answers if a.refused]
    assert len(winners) == 1, [a.messages for a in answers]
    assert len(losers) == RACERS - 1
    assert {text for a in losers for _, text in a.messages} == {
        "Överlämningen är redan mottagen (eller avvisad) av någon annan."
    }
    report = ConcernReport.objects.get(pk=report.pk)
    assert report.accepted_at is not None and report.accepted_by in receivers
    assert report.events.filter(kind="accepted").count() == 1
    assert report.handovers.get().outcome == Handover.Outcome.ACCEPTED
    accepted_entries = AuditEntry.objects.filter(
        record_type="intake.ConcernReport", record_id=str(report.pk), action="handover"
    )
    assert accepted_entries.count() == 1


def test_fifty_approvals_of_one_reconciliation_across_two_servers_one_wins_per_party(
    servers,
):
    from samverkan.audit.models import AuditEntry
    from samverkan.defectors.models import Reconciliation

    _load_demo("defectors")
    reconciliation = Reconciliation.objects.get(period="2023-H2", locked_at__isnull=True)
    assert reconciliation.approved_a_at is None and reconciliation.approved_b_at is None
    path = reverse("defectors:reconciliation_approve", args=[reconciliation.pk])
    before = AuditEntry.objects.filter(
        record_type="defectors.Reconciliation", record_id=str(reconciliation.pk)
    ).count()

    # Stockholm approves 50 times at once, then Gothenburg (whose approval locks it).
    refusals = {
        "avhopp": "Din kommun har redan godkänt avstämningen.",
        "avhopp-gbg": "Avstämningen är redan godkänd av båda parter och låst.",
    }
    for username, refusal in refusals.items():
        user = _user(username)
        calls = [
            Call(server, path, form={}, session=_sign_in(user))
            for server in _spread(servers, RACERS)
        ]
        answers = race(calls)
        assert {a.status for a in answers} == {302}, Counter(a.status for a in answers)
        assert sum(a.succeeded for a in answers) == 1, [a.messages for a in answers]
        assert sum(a.refused for a in answers) == RACERS - 1
        assert {text for a in answers if a.refused for _, text in a.messages} == {refusal}

    reconciliation.refresh_from_db()
    assert reconciliation.approved_a_at and reconciliation.approved_b_at
    assert reconciliation.locked_at is not None
    after = AuditEntry.objects.filter(
        record_type="defectors.Reconciliation", record_id=str(reconciliation.pk)
    )
    assert after.count() == before + 2
    assert sum(e.detail.get("locked") is True for e in after.order_by("-id")[:2]) == 1


def test_escalation_job_in_two_workers_notifies_once(servers):
    from samverkan.intake.models import ConcernReport, Escalation

    reports = [_register(f"SYS-ESC-{n}") for n in range(20)]
    ids = [r.pk for r in reports]
    # Both workers escalate anything not accepted at once (threshold 0 minutes).
    workers = [
        _manage_process(
            f"escalation-worker-{n}",
            "escalate_handovers",
            "--loop",
            "--interval",
            "0.2",
            HANDOVER_ESCALATION_MINUTES="0",
        )
        for n in (1, 2)
    ]
    try:
        _wait_for(
            lambda: (
                ConcernReport.objects.filter(pk__in=ids, escalated_at__isnull=False).count()
                == len(ids)
            ),
            timeout=120,
            what="both workers to escalate the reports",
        )
        time.sleep(2)  # several more rounds of both workers: nobody is notified again
    finally:
        _stop(*workers)

    outputs = [(ARTIFACTS / f"escalation-worker-{n}.log").read_text() for n in (1, 2)]
    per_report = Counter(
        Escalation.objects.filter(report_id__in=ids).values_list("report", flat=True)
    )
    assert all(per_report[pk] == 1 for pk in ids), per_report
    for pk in ids:
        mails = sum(output.count(f"(anmälan nr {pk})") for output in outputs)
        assert mails == 1, f"report {pk}: {mails} notification mails"
    # Whatever else either worker (or the servers' own) escalated, it escalated once.
    twice = Escalation.objects.values("report").annotate(n=Count("id")).filter(n__gt=1)
    assert not twice.exists(), list(twice)


# --- 8.5: two servers and two workers, no job twice, no lost write ---------------------------


def test_two_servers_and_two_workers_no_job_twice_no_lost_write(servers):
    from django_tasks_db.models import DBTaskResult

    from samverkan.audit.models import AuditEntry
    from samverkan.audit.verify import verify_chain
    from samverkan.core.tests.system_jobs import JOB_RECORD_TYPE, record_job
    from samverkan.intake.models import Clarification, ConcernReport

    jobs = 60
    for number in range(jobs):
        record_job.enqueue(number)
    workers = [
        _manage_process(f"task-worker-{n}", "db_worker", "--interval", "0.1", "--no-startup-delay")
        for n in (1, 2)
    ]
    try:
        # Meanwhile, writes through both servers at once: reports posted by the
        # police system and the hub's clarifications logged on one report.
        report = _register("SYS-CLARIFY-1")
        hub = [_user("socialjour"), _user("socialjour-system", like="socialjour")]
        clarify = reverse("intake:hub_clarify", args=[report.pk])
        posts = 100
        calls = [
            Call(
                server,
                "/api/v1/reports",
                json_body=_report_json(f"SYS-LOAD-{n:04d}"),
            )
            for n, server in enumerate(_spread(servers, posts))
        ] + [
            Call(
                server,
                clarify,
                form={"contact": f"ROC-operatör {n}", "added": f"Tillägg nummer {n}."},
                session=_sign_in(hub[n % 2]),
            )
            for n, server in enumerate(_spread(servers, RACERS))
        ]
        answers = race(calls)
        _wait_for(
            lambda: (
                DBTaskResult.objects.filter(task_path__endswith="record_job")
                .exclude(status__in=["SUCCESSFUL", "FAILED"])
                .count()
                == 0
            ),
            timeout=180,
            what="the task workers to finish the jobs",
        )
    finally:
        _stop(*workers)

    api, web = answers[:posts], answers[posts:]
    assert Counter(a.status for a in api) == {201: posts}, Counter(a.status for a in api)
    assert all(a.status == 302 and a.succeeded for a in web), [a.messages for a in web][:3]
    stored = ConcernReport.objects.filter(police_reference__startswith="SYS-LOAD-")
    assert stored.count() == posts
    assert Clarification.objects.filter(report=report).count() == RACERS
    audited = AuditEntry.objects.filter(record_type="intake.ConcernReport")
    assert (
        audited.filter(action="create", record_id__in=[str(r.pk) for r in stored]).count() == posts
    )
    assert audited.filter(action="change", record_id=str(report.pk)).count() == RACERS

    results = DBTaskResult.objects.filter(task_path__endswith="record_job")
    assert Counter(results.values_list("status", flat=True)) == {"SUCCESSFUL": jobs}
    done = Counter(
        AuditEntry.objects.filter(record_type=JOB_RECORD_TYPE).values_list("record_id", flat=True)
    )
    assert done == {str(n): 1 for n in range(jobs)}, "a job was done twice or not at all"
    by_worker = Counter(tuple(r) for r in results.values_list("worker_ids", flat=True))
    assert all(len(ids) == 1 for ids in by_worker), by_worker  # each job claimed once
    chain = verify_chain()
    assert chain.ok, chain


def _report_json(reference: str) -> bytes:
    import json

    return json.dumps(
        {
            "person_id": None,
            "birth_date": "2011-03-04",
            "found_in": "0184",
            "home_municipality": "0182",
            "home_district": None,
            "gang_related": True,
            "police_reference": reference,
            "reporting_officer": {"name": "System Testsson", "unit": "ROC", "phone": ""},
            "narrative": "Systemtest under last.",
        }
    ).encode()
