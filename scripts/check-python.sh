#!/usr/bin/env bash
# Fails with a clear message unless the given Python is 3.11 or newer.
set -euo pipefail
python_cmd="${1:-python3}"
if ! command -v "$python_cmd" >/dev/null 2>&1; then
  echo "Samverkan needs Python 3.11 or newer, but '$python_cmd' was not found." >&2
  echo "Install it (Debian/Ubuntu: apt-get install python3 python3-venv) or run: make PYTHON=/path/to/python3.11 ..." >&2
  exit 1
fi
if ! "$python_cmd" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Samverkan needs Python 3.11 or newer; '$python_cmd' is $("$python_cmd" -V 2>&1)." >&2
  echo "Run: make PYTHON=/path/to/python3.11 ..." >&2
  exit 1
fi
if ! "$python_cmd" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "'$python_cmd' lacks the venv module (Debian/Ubuntu: apt-get install python3-venv)." >&2
  exit 1
fi
