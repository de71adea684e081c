"""Project-wide pytest configuration and the persona fixtures every app's tests use.

Personas are the demo users (`samverkan.accounts.demo`), so tests and the demo
tell the same story. Each persona fixture needs the database (it enables it
itself) and the registry's organisations, which the `registry_demo` fixture
provides.

Organisations
    The registry demo (``samverkan.registry.demo.load_demo()``, when that module
    exists) is loaded ONCE per test session into the test database, so every
    test sees the demo organisations and units (loading it per test costs ~2 s).
    ``registry_demo`` – returns them, reloading only if a transactional test
    emptied the database, and makes sure the organisations the personas need exist
    (get_or_create by code: 0180 Stockholm, its districts farsta and
    norra-innerstaden, 0182 Nacka, 0184 Solna, 1480 Göteborg, 1280 Malmö,
    polisen-roc, polisen-bops). Returns a ``dict`` code → Organisation.

Personas (each a ``User`` with its roles and a confirmed TOTP device "demo")
    ``hub_worker``                 socialjour, hub_worker, 0180 (Socialjouren)
    ``nacka_receiver``             nacka, receiver, 0182
    ``solna_receiver``             solna, receiver, 0184
    ``roc_operator``               roc, police_operator, polisen-roc
    ``agreement_admin``            avtal, agreement_admin, 0180
    ``nacka_agreement_admin``      avtal-nacka, agreement_admin, 0182
    ``analyst``                    analytiker, analyst, 0180
    ``auditor``                    granskare, auditor, 0182
    ``defector_coordinator``       avhopp, defector_coordinator, 0180
    ``gothenburg_defector_coordinator``  avhopp-gbg, defector_coordinator, 1480
    ``collaboration_coordinator``  farsta, collaboration_coordinator, 0180-farsta
    ``farsta_receiver``            farsta-mottagning, receiver, 0180-farsta
    ``school_staff``               skola, school_staff, 0180-norra-innerstaden
    ``admin_user``                 admin, administrator, is_staff + is_superuser, no organisation

API clients
    ``roc_api_client``         (ApiClient, token) – the ROC demo client (token DEMO_API_TOKEN)
    ``other_police_api_client`` (ApiClient, token) – a client of polisen-bops
    ``api_client_for``         function ``(organisation_or_code, name="Testklient")
                               -> (ApiClient, token)``; send the token as
                               ``client.get(url, headers={"Authorization": f"Bearer {token}"})``.

Logged-in browsers (django.test.Client)
    ``logged_in_client``  function ``(user) -> Client``: a new client, signed in
                          AND second-factor verified (the middleware would log out
                          anyone else). Gives the user a confirmed TOTP device if
                          it has none.
    ``login``             function ``(client, user) -> client``: the same for a
                          client you already have (e.g. pytest-django's ``client``).
    ``admin_client``      pytest-django's fixture, overridden: a client logged in and
                          verified as ``admin_user``.

Example::

    def test_nacka_cannot_see_solna_report(logged_in_client, nacka_receiver, solna_report):
        response = logged_in_client(nacka_receiver).get(solna_report.get_absolute_url())
        assert response.status_code == 404

Browser tests: ``browser`` and ``page`` (samverkan.core.testing.browser) are
registered here for every app; do not import them into a conftest or test module.

Mail: ``smtp_server`` (samverkan.core.testing.smtp) starts a real SMTP server
(aiosmtpd) on 127.0.0.1 and points Django's SMTP backend at it; its ``received``
lists what arrived. ``assert_swedish_and_well_encoded`` and
``assert_no_personal_data`` from that module check a received mail.

Also: passwords use a fast hasher in tests, and static files are served
without the collectstatic manifest, so tests need no `collectstatic` first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from samverkan.core.testing.baseline import load_registry_demo, restore_baseline_data

# The browser fixtures (`browser`, `page`) are registered once, here: importing
# them into several conftests or test modules makes several session-scoped
# Playwright instances, and the second one fails ("Sync API inside the asyncio
# loop") when browser tests of two apps run in one session. `smtp_server`
# (samverkan.core.testing.smtp) is the real SMTP server on loopback for the mail tests.
pytest_plugins = ["samverkan.core.testing.browser", "samverkan.core.testing.smtp"]


@pytest.fixture(autouse=True)
def _baseline_data(request: pytest.FixtureRequest) -> None:
    """Transactional tests (live server, browser) start from the migrated data too.

    pytest-django runs them after all other tests, so only they can find the
    database flushed by the one before.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in (
        request.fixturenames
    )
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    restore_baseline_data()


@pytest.fixture(autouse=True, scope="session")
def _agreement_pdfs_rendered_once() -> Any:
    """Each distinct agreement document is rendered to PDF once per test process.

    The demo's agreements are decided, and so frozen as PDFs, in every test that
    loads them: WeasyPrint made up two thirds of the demo's 9 s. The same HTML
    gives the same PDF, so a test still gets the real PDF of what it rendered.
    """
    from samverkan.agreements import documents

    render = documents.html_to_pdf
    rendered: dict[str, bytes] = {}

    def once(html: str) -> bytes:
        if html not in rendered:
            rendered[html] = render(html)
        return rendered[html]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "html_to_pdf", once)
        yield


@pytest.fixture(autouse=True)
def _fast_tests(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _loads_the_single_entry_demo(item: pytest.Item) -> bool:
    """Whether the database set-up the test gets is intake's, which adds the demo agreements.

    Asked of the fixture manager, not the test's own fixtures: a test marked
    `django_db` only asks for its set-up when it runs.
    """
    definitions = item.session._fixturemanager.getfixturedefs("django_db_setup", item)
    if not definitions:
        return False
    return definitions[-1].func.__module__ == "samverkan.intake.tests.conftest"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Intake's session set-up (also used by casesystems and webhooks) adds the demo
    # agreements to the session's database for good; tests that make agreements of
    # their own (agreements') must run before it, whatever order the paths were given in.
    items.sort(key=_loads_the_single_entry_demo)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Load the registry demo once into the test database (every test sees it)."""
    with django_db_blocker.unblock():
        load_registry_demo()


@pytest.fixture
def registry_demo(db: None) -> dict[str, Any]:
    """The registry demo data plus the organisations personas need: code -> Organisation.

    Loaded once per test session (see `django_db_setup`); loaded again here only
    when a transactional test has emptied the database.
    """
    return load_registry_demo()


def _persona(username: str) -> Any:
    from samverkan.accounts.demo import ensure_demo_user

    return ensure_demo_user(username)


@pytest.fixture
def hub_worker(registry_demo: dict[str, Any]) -> Any:
    return _persona("socialjour")


@pytest.fixture
def nacka_receiver(registry_demo: dict[str, Any]) -> Any:
    return _persona("nacka")


@pytest.fixture
def solna_receiver(registry_demo: dict[str, Any]) -> Any:
    return _persona("solna")


@pytest.fixture
def roc_operator(registry_demo: dict[str, Any]) -> Any:
    return _persona("roc")


@pytest.fixture
def agreement_admin(registry_demo: dict[str, Any]) -> Any:
    return _persona("avtal")


@pytest.fixture
def nacka_agreement_admin(registry_demo: dict[str, Any]) -> Any:
    return _persona("avtal-nacka")


@pytest.fixture
def analyst(registry_demo: dict[str, Any]) -> Any:
    return _persona("analytiker")


@pytest.fixture
def auditor(registry_demo: dict[str, Any]) -> Any:
    return _persona("granskare")


@pytest.fixture
def defector_coordinator(registry_demo: dict[str, Any]) -> Any:
    return _persona("avhopp")


@pytest.fixture
def gothenburg_defector_coordinator(registry_demo: dict[str, Any]) -> Any:
    return _persona("avhopp-gbg")


@pytest.fixture
def collaboration_coordinator(registry_demo: dict[str, Any]) -> Any:
    return _persona("farsta")


@pytest.fixture
def farsta_receiver(registry_demo: dict[str, Any]) -> Any:
    return _persona("farsta-mottagning")


@pytest.fixture
def school_staff(registry_demo: dict[str, Any]) -> Any:
    return _persona("skola")


@pytest.fixture
def admin_user(registry_demo: dict[str, Any]) -> Any:
    """The system administrator (overrides pytest-django's ``admin_user``)."""
    return _persona("admin")


@pytest.fixture
def api_client_for(registry_demo: dict[str, Any]) -> Callable[..., tuple[Any, str]]:
    from samverkan.accounts.api_auth import api_client_create
    from samverkan.registry.models import Organisation

    def make(organisation: Any, name: str = "Testklient") -> tuple[Any, str]:
        if isinstance(organisation, str):
            organisation = Organisation.objects.get(code=organisation)
        return api_client_create(organisation=organisation, name=name)

    return make


@pytest.fixture
def roc_api_client(registry_demo: dict[str, Any]) -> tuple[Any, str]:
    from samverkan.accounts.demo import ensure_demo_api_client

    return ensure_demo_api_client()


@pytest.fixture
def other_police_api_client(api_client_for: Callable[..., tuple[Any, str]]) -> tuple[Any, str]:
    return api_client_for("polisen-bops", name="BOPS testsystem")


def verify_second_factor(client: Any, user: Any) -> Any:
    """Sign `client` in as `user` with a verified TOTP device, as the real log-in would."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def admin_client(logged_in_client: Callable[[Any], Any], admin_user: Any) -> Any:
    """pytest-django's ``admin_client``, but past the second factor (ours is ``admin``)."""
    return logged_in_client(admin_user)


@pytest.fixture
def login(db: None) -> Callable[[Any, Any], Any]:
    return verify_second_factor


@pytest.fixture
def logged_in_client(db: None) -> Callable[[Any], Any]:
    from django.test import Client

    def make(user: Any) -> Any:
        return verify_second_factor(Client(), user)

    return make
