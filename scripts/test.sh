#!/usr/bin/env bash
# The whole test suite, after installing what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check journeytest tests bench
exec .venv/bin/python -m pytest -n 2 "$@"
