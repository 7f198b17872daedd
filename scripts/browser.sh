#!/usr/bin/env bash
# Makes a headless browser ready for the dashboard test: Debian's chromium (installed with apt-get when
# /usr/bin/chromium is missing) and npm's playwright-core in tests/Browser/node_modules (ignored by git), as locked by
# tests/Browser/package-lock.json. Safe to run again: it does nothing when both are there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  echo "browser: installing chromium" >&2
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get install -y chromium >&2 || { $sudo_cmd apt-get update >&2 && $sudo_cmd apt-get install -y chromium >&2; }
fi

if [ ! -d "$root/tests/Browser/node_modules/playwright-core" ]; then
  echo "browser: installing playwright-core" >&2
  (cd "$root/tests/Browser" && npm ci --no-audit --no-fund >&2)
fi
