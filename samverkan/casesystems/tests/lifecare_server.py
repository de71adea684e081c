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
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from samverkan.casesystems.tests.swagger import Definition

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
    port: int = 0
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.definition.base_path}"

    def start(self) -> LifecareStandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                stand_in._handle(self, b"")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                stand_in._handle(self, self.rfile.read(length))

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        operation = self.definition.operation(handler.command, parts.path)
        status, answer = self._answer(handler, operation, query, body)
        try:
            shown = json.loads(body) if body else None
        except ValueError:
            shown = body
        self.seen.append(Seen(handler.command, parts.path, query, shown, status))
        data = json.dumps(answer).encode() if status == 200 else ERROR_TEXT[status].encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json" if status == 200 else "text/html")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(
        self,
        handler: BaseHTTPRequestHandler,
        operation: Any,
        query: dict[str, list[str]],
        body: bytes,
    ) -> tuple[int, Any]:
        if operation is None:
            self.problems.append(f"{handler.command} {handler.path}: no such operation")
            return 404, None
        problems = self.definition.request_problems(
            operation, query, handler.headers.get("Content-Type", ""), body
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
