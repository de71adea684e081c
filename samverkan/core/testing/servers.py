"""Real server processes for the crash and system tests (issue 9.3, 9.4, 8.5).

`Server` runs `scripts/serve.sh` – the production server exactly as `make run`
starts it: gunicorn plus the periodic jobs (`run_periodic_jobs`) – in its own
process group on a free loopback port, so a test can kill the whole server
with SIGKILL at any moment and start it again. `production_env()` gives the
production settings for it; the client sends `X-Forwarded-Proto: https` as
the TLS-terminating proxy in front of gunicorn would.

Nothing here imports Django: the crash driver uses it before `django.setup()`.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[3]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def production_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a production instance on loopback (SECRET_KEY overridable)."""
    env = dict(os.environ)
    env.update(
        {
            "SAMVERKAN_ENV": "production",
            "SAMVERKAN_DEMO": "0",
            "DEBUG": "0",
            "SECRET_KEY": "system-test-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            # Several gunicorns share this machine: leave the default control
            # socket (~/.gunicorn/gunicorn.ctl) to whoever else runs one.
            "GUNICORN_CMD_ARGS": "--no-control-socket",
        }
    )
    env.update(extra or {})
    return env


def request_headers(port: int, token: str = "") -> dict[str, str]:
    headers = {
        "Host": f"{HOST}:{port}",
        # What the TLS-terminating proxy in front of gunicorn sends in production.
        "X-Forwarded-Proto": "https",
        "Accept": "application/json",
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Server:
    """`scripts/serve.sh VENV 127.0.0.1 PORT WORKERS` in its own process group."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        log: Path,
        workers: int = 2,
        port: int | None = None,
        venv: Path = ROOT / ".venv",
    ) -> None:
        self.env, self.log, self.workers, self.venv = env, log, workers, venv
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        log: IO[bytes] = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            ["bash", "scripts/serve.sh", str(self.venv), HOST, str(self.port), str(self.workers)],  # noqa: S607
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def kill(self) -> None:
        """SIGKILL to the whole process group: bash, gunicorn, its workers, the worker loop."""
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and group_alive(self.process.pid):
            time.sleep(0.05)

    def stop(self) -> None:
        """Gracefully (SIGTERM), as an operator would; SIGKILL whatever is left after 20 s."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and group_alive(self.process.pid):
                time.sleep(0.1)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        if group_alive(self.process.pid):
            os.killpg(self.process.pid, signal.SIGKILL)

    def wait_ready(self, timeout: float = 120.0) -> float:
        """Seconds until the server answers HTTP (any status)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited ({self.process.returncode}); see {self.log}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
                # Cheap and touches no table: without a token the API answers 401 at once.
                conn.request("GET", "/api/v1/reports/ready", headers=request_headers(self.port))
                conn.getresponse().read()
                conn.close()
                return time.monotonic() - started
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"server on port {self.port} did not come up; see {self.log}")
