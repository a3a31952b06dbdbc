#!/usr/bin/env bash
# Installs what journeytest needs on a fresh Debian/Ubuntu machine, then stops.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=()
# A browser: Playwright's own build if it is installed, else Debian's Chromium
# (Playwright's download is not reachable on every machine).
if ! ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-* >/dev/null 2>&1 \
   && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null \
   && ! command -v google-chrome >/dev/null; then
  packages+=(chromium)
fi
command -v python3 >/dev/null || packages+=(python3)
# A real IMAP server for the mail-capture tests (the tests start their own, on loopback).
[ -x /usr/sbin/dovecot ] || packages+=(dovecot-imapd)
# PHP, for the tests that send mail the way PHP sites do (mail() through sendmail_path).
command -v php >/dev/null || packages+=(php-cli)
python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)

if [ ${#packages[@]} -gt 0 ]; then
  echo "journeytest setup: installing ${packages[*]} with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.journeytest-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi
