#!/usr/bin/env bash
# `bash infra/lighthouse.sh [label] [runs]`: Lighthouse (desktop preset) on the board, `runs` times (default 3), against
# a production server (NODE_ENV=production, web/build) on a scratch demo database that is dropped afterwards — the
# same start as the browser tests' server (web/playwright.config.ts). Prints each run and the medians; the reports go
# to web/e2e/.artifacts/lighthouse/. Lighthouse itself lives outside the repo (see web/e2e/lighthouse.mjs).
# Rebuilds web/build for production (a later `npm run test:web` rebuilds it for its own NODE_ENV=test).
# LH_PATH (default /) picks the page. Not part of `npm test`: the figures depend on the machine's load.
source "$(dirname "$0")/lib.sh"
ensure_core
ensure_chromium
cd "$ROOT"
LABEL="${1:-run}"
RUNS="${2:-3}"
RUN_ID="lh_$(date +%s)_$$"
DB_NAME="hexhood_lh_${RUN_ID}"
LH_DATABASE_URL="$(pg_url_for "$DB_NAME")"
export MEILI_INDEX_PREFIX="test_${RUN_ID}_"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  drop_database "$DB_NAME"
  node infra/meili-drop-prefix.mjs "$MEILI_INDEX_PREFIX" >/dev/null 2>&1 || true
}
trap cleanup EXIT
ensure_database "$LH_DATABASE_URL"
# always a production build: `npm run test:web` builds with NODE_ENV=test (a different, larger bundle), and
# infra/build.mjs would keep that build as fresh
NODE_ENV=production npm run build -w web >/dev/null
DATABASE_URL="$LH_DATABASE_URL" npx tsx seeds/seed.ts --if-empty
# the index is built before the server starts, so its outbox relay has nothing left to do while Lighthouse measures
DATABASE_URL="$LH_DATABASE_URL" npx tsx api/src/search/reindex.ts
PORT="$(free_port)"
mkdir -p web/e2e/.artifacts
# tsx itself (not npx): SERVER_PID is the process cleanup stops, and tsx passes the signal on to the server
DATABASE_URL="$LH_DATABASE_URL" NODE_ENV=production PORT="$PORT" HOST=127.0.0.1 ORIGIN="http://127.0.0.1:${PORT}" LOG_LEVEL=warn \
  SESSION_SECRET="lighthouse-$(node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("hex"))')" \
  node_modules/.bin/tsx api/src/server.ts >web/e2e/.artifacts/lighthouse-server.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 240); do curl -fsS -m 2 "http://127.0.0.1:${PORT}/health" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS -m 2 "http://127.0.0.1:${PORT}/health" >/dev/null || { log "server did not start; see web/e2e/.artifacts/lighthouse-server.log"; exit 1; }
# one warm-up request: the first page render compiles the server's modules, which is not what a visitor measures
curl -fsS -o /dev/null "http://127.0.0.1:${PORT}${LH_PATH:-/}"
log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
node web/e2e/lighthouse.mjs --url "http://127.0.0.1:${PORT}${LH_PATH:-/}" --runs "$RUNS" --label "$LABEL"
