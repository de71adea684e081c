"""A police system's webhook receiver on 127.0.0.1, as a real one would be built.

It verifies every delivery with the Standard Webhooks reference library
(`standardwebhooks`, not our own signing code) and answers with the status codes
it is told to, one per request (then 200). `stop()` takes it off the network
(connection refused) and `start()` brings it back on the same port.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from samverkan.core.testing.loopback_http import Answer, LoopbackHttp, Request


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    answered: int

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str = ""
    answers: list[int] = field(default_factory=list)  # the next requests' statuses
    received: list[Received] = field(default_factory=list)
    _http: LoopbackHttp | None = None

    @property
    def url(self) -> str:
        assert self._http is not None
        return self._http.url("/samverkan/hook")

    def start(self) -> Receiver:
        self._http = (self._http or LoopbackHttp(self._answer)).start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.stop()

    def _answer(self, request: Request) -> Answer:
        try:
            Webhook(self.secret).verify(request.body, request.headers)
            verified = True
        except WebhookVerificationError:
            verified = False
        status = self.answers.pop(0) if self.answers else 200
        if not verified:
            status = 401
        self.received.append(Received(request.headers, request.body, verified, status))
        return Answer(status)

    def delivered(self) -> list[Received]:
        """What arrived, was verified and was answered 2xx (the receiver took it)."""
        return [r for r in self.received if r.verified and 200 <= r.answered < 300]
