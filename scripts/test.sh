#!/usr/bin/env bash
# Sets up and runs the whole test suite: lint, architecture, unit, services (SQLite and PostgreSQL), UI, e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if url=$(bash scripts/start-postgres.sh); then
  export JLEXAM_TEST_PG_URL="$url" JLEXAM_REQUIRE_PG=1
else
  echo "test: PostgreSQL could not be started here; PostgreSQL tests will be skipped" >&2
fi
export QT_QPA_PLATFORM=offscreen

.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/pytest -n 2 "$@"
