"""A stand-in for a Lifecare installation on 127.0.0.1, built from its published definition.

Every request is checked against `lifecare-fc-api.json` (`swagger.Definition`); a
request that does not fit is answered `400 Bad Request` and its problems kept in
`problems`, so a test fails on them. A wrong `domain` or `key` is answered
`401 Authentication failed`; an unknown path `404 Not Found`; and `answers` makes it
answer the next requests with a given status (e.g. 500 `Internal Server error`, as
the API describes its errors). Otherwise it answers as the definition describes:
`POST /apifc/v1/Actualisations` a new id (int32), `GET …/Proposals` code lists —
each answer is itself checked against the definition before it is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from samverkan.casesystems.tests.swagger import Definition
from samverkan.core.testing.loopback_http import Answer, LoopbackHttp, Request

DOMAIN = "nacka-ifo"
KEY = "lc-test-nyckel-0182"
ERROR_TEXT = {
    400: "Bad Request",
    401: "Authentication failed",
    404: "Not Found",
    500: "Internal Server error",
    503: "Service Unavailable",
}
PROPOSAL = {
    "ActualisationTypes": [
        {
            "Id": 3,
            "Name": "Anmälan barn och unga",
            "SpecifyTypeMandatory": False,
            "WorkingStatus": False,
            "Reasons": [{"Id": 31, "Name": "Oro för barn"}, {"Id": 32, "Name": "Kriminalitet"}],
            "FromWho": [{"Id": 7, "Name": "Polis"}],
            "InvestigationTypes": [],
            "ServiceTypes": [],
        }
    ],
    "SpecifyTypes": [],
    "WorkingStatus": [],
    "Organizations": [{"Id": 12, "UnitId": "BOU-MOTT", "Name": "Barn och unga, mottagning"}],
    "Investigations": [],
    "Services": [],
    "AttachmentTypes": [],
}


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    answered: int


@dataclass
class LifecareStandIn:
    definition: Definition = field(default_factory=Definition)
    answers: list[int] = field(default_factory=list)  # statuses for the next requests
    seen: list[Seen] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    next_id: int = 98765
    _http: LoopbackHttp | None = None

    @property
    def base_url(self) -> str:
        assert self._http is not None
        return self._http.url(self.definition.base_path)

    def start(self) -> LifecareStandIn:
        self._http = (self._http or LoopbackHttp(self._handle)).start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.stop()

    def _handle(self, request: Request) -> Answer:
        parts = urlsplit(request.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        operation = self.definition.operation(request.method, parts.path)
        status, answer = self._answer(request, operation, query)
        try:
            shown = json.loads(request.body) if request.body else None
        except ValueError:
            shown = request.body
        self.seen.append(Seen(request.method, parts.path, query, shown, status))
        if status == 200:
            return Answer(status, json.dumps(answer).encode(), "application/json")
        return Answer(status, ERROR_TEXT[status].encode(), "text/html")

    def _answer(
        self, request: Request, operation: Any, query: dict[str, list[str]]
    ) -> tuple[int, Any]:
        if operation is None:
            self.problems.append(f"{request.method} {request.path}: no such operation")
            return 404, None
        problems = self.definition.request_problems(
            operation, query, request.headers.get("content-type", ""), request.body
        )
        if problems:
            self.problems += [f"{operation.operation_id}: {p}" for p in problems]
            return 400, None
        if query.get("domain") != [DOMAIN] or query.get("key") != [KEY]:
            return 401, None
        if self.answers:
            return self.answers.pop(0), None
        if operation.operation_id == "Aktualiserings_PostAktualisering":
            answer: Any = self.next_id
            self.next_id += 1
        else:
            answer = PROPOSAL
        invalid = self.definition.response_problems(operation, 200, answer)
        assert not invalid, invalid  # the stand-in answers only as the definition describes
        return 200, answer
