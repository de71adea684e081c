"""The pure rules: the Standard Webhooks signature, back-off, pausing, safe receiver URLs."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook

from samverkan.webhooks import rules

PROD = {"allow_loopback_http": False, "public_only": True}
DEV = {"allow_loopback_http": True, "public_only": False}


def test_signature_reproduces_the_specifications_test_vector():
    assert (
        rules.signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            b'{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_a_new_secret_signs_what_the_reference_library_verifies():
    secret = rules.new_secret()
    assert secret.startswith("whsec_") and secret != rules.new_secret()
    body = '{"type":"report.accepted","data":{"status":"åtta"}}'.encode()
    stamp = int(datetime.now().timestamp())
    headers = rules.headers(secret, "msg_1", stamp, body)
    assert Webhook(secret).verify(body, headers)["data"]["status"] == "åtta"


def test_paused_only_after_enough_failures_over_long_enough():
    start = datetime(2026, 12, 1, 12, 0)
    later = start + timedelta(hours=13)
    rule = {"after_failures": 10, "after": timedelta(hours=12)}
    assert rules.should_pause(10, start, later, **rule)
    assert not rules.should_pause(9, start, later, **rule)  # a short burst of events
    assert not rules.should_pause(50, start, start + timedelta(hours=1), **rule)  # an outage
    assert not rules.should_pause(10, None, later, **rule)


@pytest.mark.parametrize(
    "url",
    [
        "http://polis.example/hook",  # no TLS
        "ftp://polis.example/hook",
        "https://10.1.2.3/hook",  # private
        "https://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://localhost/hook",
        "http://127.0.0.1:8080/hook",  # loopback http only where the setting allows it
        "https://user:pass@polis.example/hook",
        "https:///hook",
    ],
)
def test_production_refuses_unsafe_receivers(url):
    assert rules.url_problem(url, **PROD)


def test_production_takes_a_public_https_receiver():
    assert rules.url_problem("https://polis.example:8443/samverkan?x=1", **PROD) is None
    assert rules.url_problem("https://8.8.8.8/hook", **PROD) is None


def test_development_takes_plain_http_on_this_machine_only():
    assert rules.url_problem("http://127.0.0.1:8080/hook", **DEV) is None
    assert rules.url_problem("http://localhost/hook", **DEV) is None
    assert rules.url_problem("http://polis.example/hook", **DEV)
    assert rules.url_problem("http://10.0.0.5/hook", **DEV)


def test_a_name_that_resolves_inside_is_refused_in_production():
    assert rules.addresses_problem(["93.184.216.34"], public_only=True) is None
    assert rules.addresses_problem(["93.184.216.34", "10.0.0.1"], public_only=True)
    assert rules.addresses_problem(["fe80::1"], public_only=True)
    assert rules.addresses_problem([], public_only=False)  # does not resolve at all
    assert rules.addresses_problem(["127.0.0.1"], public_only=False) is None
