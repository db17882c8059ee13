#!/usr/bin/env bash
# Debian packages the browser fetch and its tests need: Chromium (Playwright drives it; its own
# browser download does not work here) and CJK fonts for readable screenshots of Chinese pages.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
