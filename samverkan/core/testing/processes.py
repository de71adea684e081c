"""This project's own Python in a fresh interpreter, for tests that must see a process start.

Settings are read once per interpreter: what a server does at start (refuse an unknown
environment, pass the deploy check, back up and restore) shows only in a new one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def run_python(
    args: list[str], env: dict[str, str], *, timeout: int
) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with `args` in the project's folder under exactly `env`.

    The output comes back as text whatever the exit status: the caller judges it.
    """
    return subprocess.run(  # noqa: S603 - our own interpreter on our own code
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
