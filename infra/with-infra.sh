#!/usr/bin/env bash
# Runs a command with PostgreSQL+PostGIS and Meilisearch up and the app database migrated.
source "$(dirname "$0")/lib.sh"
ensure_core
ensure_database "$DATABASE_URL"
cd "$ROOT"
exec npx "$@"
