#!/usr/bin/env bash
# The real-site corpus: start each app (or those named: trac, redmine, mailman) on 127.0.0.1, run its
# scenario through journeytest in a real browser, stop it, and print expected against actual.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python realsites/run.py "$@"
