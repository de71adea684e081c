#!/usr/bin/env bash
# Installs the test OpenID provider for the OIDC browser tests (issue 21.4):
# panva's certified `oidc-provider` from npm, pinned in
# tests/oidc-provider/package-lock.json, with `npm ci` (exactly the lock file).
#
# Needs Node.js >= 20.12 and npm. As root with apt-get, installs Debian's
# `nodejs` and `npm` when they are missing. Never fails the build by itself:
# the OIDC browser tests decide (they skip with the reason, or fail when
# SAMVERKAN_REQUIRE_BROWSER=1, as in CI). Does nothing when the installed
# packages already match the lock file.
set -uo pipefail

DIR="$(cd "$(dirname "$0")/.." && pwd)/tests/oidc-provider"
LOCK="$DIR/package-lock.json"
STAMP="$DIR/node_modules/.samverkan-installed-lock.json"

say_missing() {
  echo "!!! $1: the OIDC browser tests will be SKIPPED (and FAIL when SAMVERKAN_REQUIRE_BROWSER=1)." >&2
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Node.js and npm (Debian packages) for the test OpenID provider..."
    apt_opts=(-o DPkg::Lock::Timeout=600 -qq)
    apt-get "${apt_opts[@]}" update \
      && DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y \
        --no-install-recommends nodejs npm >/dev/null
  fi
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say_missing "Node.js or npm is missing (install Debian's nodejs and npm)"
  exit 0
fi
# oidc-provider 9 uses crypto.hash (Node 20.12, 21.7).
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 12) ? 0 : 1)'; then
  say_missing "Node.js $(node --version) is too old for oidc-provider (needs >= 20.12)"
  exit 0
fi

if cmp -s "$LOCK" "$STAMP"; then
  exit 0
fi
echo "Installing the test OpenID provider (npm ci in tests/oidc-provider)..."
if (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  cp "$LOCK" "$STAMP"
else
  say_missing "npm ci in $DIR failed"
fi
exit 0
