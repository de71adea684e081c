#!/usr/bin/env bash
# Makes sure the browser tests can run: Debian's Chromium at /usr/bin/chromium.
#
# Playwright's own browser download is not used (it needs a CDN that CI cannot
# reach, and Debian's package gets security updates). axe-core is vendored in
# samverkan/core/tests/browser/vendor/ and needs nothing here.
#
# As root with apt-get: installs the `chromium` package when it is missing.
# Otherwise it only reports; the browser tests then skip with a clear message.
# Never fails the build by itself: the tests decide (they run whenever Chromium
# is there, which in CI it always is because CI runs as root).
set -uo pipefail

CHROMIUM="${SAMVERKAN_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium (Debian package 'chromium') for the browser tests..."
  # Wait for another apt/dpkg run instead of failing on its lock.
  apt_opts=(-o DPkg::Lock::Timeout=600 -qq)
  if apt-get "${apt_opts[@]}" update \
    && DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y \
      --no-install-recommends chromium fonts-dejavu-core >/dev/null; then
    echo "Chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
  fi
  echo "!!! Could not install Chromium with apt-get: the browser tests will be SKIPPED." >&2
  exit 0
fi

echo "!!! Chromium is missing at $CHROMIUM and cannot be installed here (needs root and apt-get)." >&2
echo "!!! Install it (Debian: apt-get install chromium) or the browser tests will be SKIPPED." >&2
exit 0
