#!/usr/bin/env bash
# `npm test`: brings up the same infra as `npm start`, then runs every suite against a database and index names
# of this run's own, and ends with one line: "N passed, N failed[, N skipped]".
source "$(dirname "$0")/lib.sh"
ensure_core
ensure_chromium
cd "$ROOT"

RUN_ID="$(date +%s)_$$"
export HEXHOOD_RUN_ID="$RUN_ID"
export DATABASE_URL; DATABASE_URL="$(pg_url_for "hexhood_test_${RUN_ID}")"
export E2E_DATABASE_URL; E2E_DATABASE_URL="$(pg_url_for "hexhood_e2e_${RUN_ID}")"
export MEILI_INDEX_PREFIX="test_${RUN_ID}_"
export NODE_ENV=test

cleanup() {
  drop_database "hexhood_test_${RUN_ID}"
  drop_database "hexhood_e2e_${RUN_ID}"
  node infra/meili-drop-prefix.mjs "$MEILI_INDEX_PREFIX" >/dev/null 2>&1 || true
}
trap cleanup EXIT

ensure_database "$DATABASE_URL"
ensure_database "$E2E_DATABASE_URL"
node infra/run-tests.mjs
