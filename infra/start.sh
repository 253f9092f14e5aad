#!/usr/bin/env bash
# `npm start`: everything on embedded defaults — PostgreSQL+PostGIS, Meilisearch, migrations, demo seed, web build,
# then one Node process serving the API and the web app.
source "$(dirname "$0")/lib.sh"
ensure_core
ensure_database "$DATABASE_URL"
cd "$ROOT"
npx tsx api/src/db/migrate.ts
npx tsx seeds/seed.ts --if-empty
# Rebuild the web app when it is missing or any of its sources changed since the last build.
if [ ! -f web/build/handler.js ] || [ -n "$(find web/src web/static web/svelte.config.js web/vite.config.ts -newer web/build/handler.js 2>/dev/null | head -1)" ]; then
  log "building the web app"
  npm run build -w web >&2
fi
export PORT="${PORT:-3000}"
# issue 13: email — mail from the demo (verification, password reset, digests) lands in the local sink's inbox
if [ -n "${MAIL_SINK_URL:-}" ]; then echo "  Dev inbox (all mail the app sends): ${MAIL_SINK_URL}/"; fi
exec npx tsx api/src/server.ts
