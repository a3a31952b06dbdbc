#!/usr/bin/env bash
# The main job: the bundled demo company, a real browser, real mail capture, a report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/journeytest demo "$@"
