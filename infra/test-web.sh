#!/usr/bin/env bash
# `npm run test:web -- [specs…]`: builds the web app and runs the browser tests (or the given spec files) against a
# server of their own on a scratch demo database, dropped afterwards.
source "$(dirname "$0")/lib.sh"
ensure_core
ensure_chromium
cd "$ROOT"
RUN_ID="dev_$(date +%s)_$$"
export E2E_DATABASE_URL; E2E_DATABASE_URL="$(pg_url_for "hexhood_e2e_${RUN_ID}")"
export MEILI_INDEX_PREFIX="test_${RUN_ID}_"
export NODE_ENV=test
cleanup() {
  drop_database "hexhood_e2e_${RUN_ID}"
  node infra/meili-drop-prefix.mjs "$MEILI_INDEX_PREFIX" >/dev/null 2>&1 || true
}
trap cleanup EXIT
ensure_database "$E2E_DATABASE_URL"
node infra/build.mjs --web
npx playwright test --config web/playwright.config.ts "$@"
