#!/usr/bin/env bash
# `npm run test:api -- [files…]`: the API's integration tests (or just the given files) against a scratch database
# and index prefix of their own, dropped afterwards. For working on one area without running every suite.
source "$(dirname "$0")/lib.sh"
ensure_core
cd "$ROOT"
RUN_ID="dev_$(date +%s)_$$"
export DATABASE_URL; DATABASE_URL="$(pg_url_for "hexhood_test_${RUN_ID}")"
export MEILI_INDEX_PREFIX="test_${RUN_ID}_"
export NODE_ENV=test
cleanup() {
  drop_database "hexhood_test_${RUN_ID}"
  node infra/meili-drop-prefix.mjs "$MEILI_INDEX_PREFIX" >/dev/null 2>&1 || true
}
trap cleanup EXIT
ensure_database "$DATABASE_URL"
npx vitest run --config api/vitest.config.ts "$@"
