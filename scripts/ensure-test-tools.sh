#!/usr/bin/env bash
# The test suite drives Debian's Chromium (never a downloaded browser), renders the
# letter packets with poppler's pdftoppm, and starts the production stack of deploy/ with
# supervisord, nginx, openssl and PostgreSQL's server binaries (tests/stack). Install what
# is missing when we are root; otherwise say loudly how to get it.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium fonts-liberation)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v supervisord >/dev/null || missing+=(supervisor)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
# The stack test starts its own PostgreSQL cluster (the server binaries, not a service).
command -v initdb >/dev/null || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
  || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's ${missing[*]} for the test suite…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
cat >&2 <<MSG
################################################################################
  The test suite needs these Debian packages and they are not installed:
      ${missing[*]}
  Install them with:   sudo apt-get install ${missing[*]}
  (or point CHROMIUM=/path/to/chromium at another Chromium build), then run make test again.
################################################################################
MSG
exit 1
