#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a downloaded browser). Install it when it
# is missing and we are root; otherwise say loudly how to get it.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium package for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-liberation >/dev/null
  exit 0
fi
cat >&2 <<MSG
################################################################################
  The browser tests need Chromium at $CHROMIUM and it is not installed.
  Install it with:   sudo apt-get install chromium
  (or point CHROMIUM=/path/to/chromium at another build), then run make test again.
################################################################################
MSG
exit 1
