#!/usr/bin/env bash
# Compiles the gettext catalogues in locale/ (needs GNU gettext's msgfmt).
set -euo pipefail
py="$1"
if ! command -v msgfmt >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing gettext (msgfmt) to compile the translations..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
  else
    echo "msgfmt (GNU gettext) is missing: install the 'gettext' package to build the English translation." >&2
    exit 1
  fi
fi
"$py" manage.py compilemessages --ignore=.venv --verbosity 0
