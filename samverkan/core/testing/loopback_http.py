"""An HTTP server on 127.0.0.1 for a test's stand-in of another system.

The webhook receiver of a police system and the Lifecare installation are both
played by one: each request is handed to the stand-in's `answer` on the
server's thread. `stop()` takes it off the network (connection refused) and
`start()` brings it back on the same port.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    content_type: str = ""


class LoopbackHttp:
    def __init__(self, answer: Callable[[Request], Answer]) -> None:
        self.answer = answer
        self.port = 0  # a free one at the first start, the same one after
        self._server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def start(self) -> LoopbackHttp:
        answer = self.answer

        class Handler(BaseHTTPRequestHandler):
            def _respond(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {name.lower(): value for name, value in self.headers.items()}
                given = answer(Request(self.command, self.path, headers, body))
                self.send_response(given.status)
                if given.content_type:
                    self.send_header("Content-Type", given.content_type)
                self.send_header("Content-Length", str(len(given.body)))
                self.end_headers()
                self.wfile.write(given.body)

            do_GET = do_POST = _respond  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((HOST, self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
