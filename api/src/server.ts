import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createDb } from './db/knex.ts';
import { migrateLatest } from './db/migrate.ts';
import { createSearchIndexer } from './search/indexer.ts';

const config = loadConfig();
const db = createDb(config.DATABASE_URL, config.DB_POOL_MAX);
await migrateLatest(db);

async function loadWeb(): Promise<RequestHandler | undefined> {
  const dir = config.WEB_BUILD_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/build');
  const handlerFile = path.join(dir, 'handler.js');
  if (!existsSync(handlerFile)) return undefined;
  // adapter-node reads ORIGIN once, at import; without it SvelteKit assumes https and refuses form posts over http.
  process.env.ORIGIN ??= config.PUBLIC_ORIGIN ?? `http://${config.HOST}:${config.PORT}`;
  const mod = (await import(pathToFileURL(handlerFile).href)) as { handler: RequestHandler };
  return mod.handler;
}

const web = await loadWeb();
const { app, logger, search } = createApp({ config, db, web });

// The relay starts at once: a missing search index is rebuilt in the background (search answers 503 until it is in
// place), and while Meilisearch is down writes queue in the outbox.
const indexer = config.SEARCH_RELAY
  ? createSearchIndexer(db, search, logger, { databaseUrl: config.DATABASE_URL, reconcileIntervalMs: config.SEARCH_RECONCILE_SECONDS * 1000 })
  : undefined;
await indexer?.start();

const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST}:${port}`;
  logger.info({ url, web: Boolean(web) }, 'hexhood listening');
  console.log(`\n  Hexhood is running: ${url}/  (API docs: ${url}/api/docs)\n`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  // Stop accepting, let in-flight requests finish (idle keep-alive sockets are closed now), then release resources.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await closed;
  await indexer?.stop();
  await db.destroy();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
