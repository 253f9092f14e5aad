import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { createApp } from './app.ts';
import { isOwnAddress, loadConfig } from './config.ts';
import { createDb } from './db/knex.ts';
import { migrateLatest } from './db/migrate.ts';
import { createLogger, createMetricsServer } from './http/observability.ts';
import { createSearchIndexer } from './search/indexer.ts';
import { createSearchConnection, deriveScopedKeys, ensureScopedKeys } from './search/meili.client.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const db = createDb(config.DATABASE_URL, config.DB_POOL_MAX);
await migrateLatest(db);
// --- issue 12: the base map (vector tiles) and the street gazetteer are reference data every deployment needs, and
// production never seeds: load them when missing (a couple of seconds, once per database).
{
  const { seedBasemap } = await import('../../seeds/basemap.seed.ts');
  const loaded = await seedBasemap(db);
  if (loaded.features || loaded.addresses) logger.info(loaded, 'base map and street gazetteer loaded');
}

async function loadWeb(): Promise<RequestHandler | undefined> {
  // dist/api/src → dist/web/build in the compiled build (infra/build.mjs puts it there); api/src → web/build in dev
  const dir = config.WEB_BUILD_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/build');
  const handlerFile = path.join(dir, 'handler.js');
  if (!existsSync(handlerFile)) return undefined;
  // adapter-node reads ORIGIN once, at import; without it SvelteKit assumes https and refuses form posts over http.
  process.env.ORIGIN ??= config.PUBLIC_ORIGIN ?? `http://${config.HOST}:${config.PORT}`;
  const mod = (await import(pathToFileURL(handlerFile).href)) as { handler: RequestHandler };
  return mod.handler;
}

let stopping = false;
const KEY_CHECK_MS = 10_000;
const RELEASE_TIMEOUT_MS = 3000;

// Meilisearch keys: requests search with a search-only key, the relay and reconciler write with an indexing key. Both
// are given, or derived from the master key and created in Meilisearch (retried in the background while it is down).
const masterKey = config.MEILI_SEARCH_KEY ? undefined : config.MEILI_MASTER_KEY;
const keys = config.MEILI_SEARCH_KEY
  ? { search: config.MEILI_SEARCH_KEY, indexing: config.MEILI_INDEXING_KEY, writer: config.MEILI_WRITER_KEY }
  : masterKey
    ? deriveScopedKeys(masterKey, config.MEILI_INDEX_PREFIX)
    : { search: undefined, indexing: undefined, writer: undefined }; // a development Meilisearch without a master key
async function ensureKeys(): Promise<boolean> {
  if (!masterKey) return true;
  try {
    await ensureScopedKeys(config.MEILI_URL, masterKey, config.MEILI_INDEX_PREFIX);
    return true;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'could not create the Meilisearch keys yet; retrying');
    return false;
  }
}
// Kept in place while running, too: a Meilisearch that lost its data comes back without our keys, and the relay's
// index repair needs them (it cannot re-create them itself with scoped keys).
void (async () => {
  for (let ok = await ensureKeys(); !stopping; ok = await ensureKeys()) {
    await new Promise((r) => setTimeout(r, ok ? KEY_CHECK_MS : 5000).unref());
  }
})();

const web = await loadWeb();
const search = createSearchConnection(config.MEILI_URL, keys.search, config.MEILI_INDEX_PREFIX);
const { app, metrics, live, notificationWorker, mailWorker, digestJob } = createApp({ config, db, web, logger, search });
await notificationWorker.start(config.DATABASE_URL, config.LIVE_POLL_SECONDS * 1000);
// issue 13: email — the mail outbox is sent in the background (LISTEN + poll); digests are looked at every 15 minutes
await mailWorker.start(config.DATABASE_URL);
digestJob.start();

// The relay starts at once: a missing search index is rebuilt in the background (search answers 503 until it is in
// place), and while Meilisearch is down writes queue in the outbox.
const indexer = config.SEARCH_RELAY
  ? createSearchIndexer(db, createSearchConnection(config.MEILI_URL, keys.indexing, config.MEILI_INDEX_PREFIX, keys.writer), logger, {
      databaseUrl: config.DATABASE_URL,
      reconcileIntervalMs: config.SEARCH_RECONCILE_SECONDS * 1000,
    })
  : undefined;
await indexer?.start();

// Requests in progress when shutdown began; shutdown waits for exactly these.
let draining: Set<ServerResponse> | undefined;
let finishDrain: () => void = () => {};
const active = new Set<ServerResponse>();

/** The web tier's own server-side calls to the API: from this host, carrying the visitor's address. */
function isInternalCall(req: IncomingMessage): boolean {
  return req.headers['x-forwarded-for'] !== undefined && isOwnAddress(req.socket.remoteAddress ?? '');
}

const server = createServer((req, res) => {
  if (draining) {
    res.setHeader('Connection', 'close');
    // Pages still rendering call the API over loopback; everything else new is refused, so the drain ends.
    if (!isInternalCall(req)) {
      res.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': '1' });
      res.end(
        JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'The server is restarting; try again shortly.' }),
      );
      return;
    }
  }
  active.add(res);
  res.once('close', () => {
    active.delete(res);
    if (draining?.delete(res) && draining.size === 0) finishDrain();
  });
  app(req, res);
});

server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST}:${port}`;
  logger.info({ url, web: Boolean(web) }, 'hexhood listening');
  console.log(`\n  Hexhood is running: ${url}/  (API docs: ${url}/api/docs)\n`);
});

const metricsServer = config.METRICS_PORT === undefined ? undefined : createMetricsServer(metrics);
metricsServer?.listen(config.METRICS_PORT, config.METRICS_HOST, () => {
  const address = metricsServer.address();
  const port = typeof address === 'object' && address ? address.port : config.METRICS_PORT;
  logger.info({ url: `http://${config.METRICS_HOST}:${port}/metrics` }, 'metrics listening');
});

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, inFlight: active.size }, 'shutting down');
  // A safety net only: a request stuck past this is cut off, and the exit code says so.
  const force = setTimeout(() => {
    logger.error({ inFlight: active.size }, 'shutdown timed out; closing remaining connections');
    server.closeAllConnections();
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
  force.unref();

  // 1. Answer what is in flight, each with Connection: close so its client does not send more on that socket. Kept-alive
  // sockets stay open meanwhile: a request arriving on one is refused with a 503 and Connection: close, which a client
  // can act on, where closing the socket under a request it is already sending would be a reset.
  const drained = new Promise<void>((resolve) => (finishDrain = resolve));
  draining = new Set(active);
  // live streams never finish by themselves: end them (clients resume elsewhere with Last-Event-ID)
  await live.stop();
  for (const res of draining) if (!res.headersSent) res.setHeader('Connection', 'close');
  if (draining.size === 0) finishDrain();
  await drained;

  // 2. Stop listening and close the sockets left (idle ones now; busy internal calls as they finish).
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  metricsServer?.close();
  metricsServer?.closeAllConnections();
  await closed;
  clearTimeout(force);

  // 3. Release the relay and the pool. A relay batch waiting on Meilisearch is not worth holding the exit for: its
  // outbox rows stay unsent and the next start sends them.
  const released = (async () => {
    await indexer?.stop();
    await notificationWorker.stop();
    await digestJob.stop(); // issue 13: email
    await mailWorker.stop();
    await db.destroy();
  })();
  const inTime = await Promise.race([released.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), RELEASE_TIMEOUT_MS).unref())]);
  if (!inTime) logger.warn('search relay still busy; exiting anyway (its outbox rows are retried on the next start)');
  logger.info('shut down cleanly');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
