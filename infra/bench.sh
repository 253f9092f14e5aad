#!/usr/bin/env bash
# `npm run bench`: loads 1M posts into a bench database of its own (once; reused while it has them), then runs
# every benchmark in bench/. Each prints ratios against a baseline measured in the same run.
source "$(dirname "$0")/lib.sh"
ensure_core
cd "$ROOT"
BENCH_POSTS="${BENCH_POSTS:-1000000}"
export DATABASE_URL; DATABASE_URL="$(pg_url_for "${BENCH_DB:-hexhood_bench}")"
export MEILI_INDEX_PREFIX="${MEILI_INDEX_PREFIX:-bench_}"
ensure_database "$DATABASE_URL"
have=$(psql "$DATABASE_URL" -Atqc "select count(*) from posts" 2>/dev/null || echo 0)
if [ "$have" -lt "$BENCH_POSTS" ]; then
  log "loading ${BENCH_POSTS} posts into the bench database"
  drop_database "${BENCH_DB:-hexhood_bench}"
  ensure_database "$DATABASE_URL"
  npx tsx seeds/seed.ts --posts "$BENCH_POSTS" --users 20000 --no-outbox
fi
for b in bench/*.bench.ts; do
  npx tsx "$b"
done
