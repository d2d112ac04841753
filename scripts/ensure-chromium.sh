#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the browser tests; installs it when missing and we
# are root. Never downloads a browser of its own.
set -euo pipefail
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$chromium" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium (needed by the browser tests)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  [ -x "$chromium" ] && exit 0
fi
echo "error: no Chromium at $chromium. Install Debian's 'chromium' package (apt-get install chromium)" >&2
echo "       or point CHROMIUM_PATH at a Chromium binary." >&2
exit 1
