#!/usr/bin/env bash
# The whole test suite, after installing what it needs: lint, types, then every test.
# Extra arguments go to pytest: `./scripts/test.sh -m unit` runs the fast layer alone (no browser, no subprocess).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check journeytest tests bench
.venv/bin/ruff format --check journeytest tests bench
.venv/bin/mypy
exec .venv/bin/python -m pytest -n 2 "$@"
