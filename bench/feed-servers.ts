// Child process for the endpoint benchmark: serves GET /api/feed twice — through the real Express app, and through a
// bare node:http handler running the same SQL — so autocannon (in the parent) doesn't share their event loop.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/src/app.ts';
import { loadConfig } from '../api/src/config.ts';
import { createDb } from '../api/src/db/knex.ts';
import { feedCoverKeys, snapOrigin } from '../api/src/geo/h3.ts';
import { createLogger } from '../api/src/http/observability.ts';
import { createPostRepository } from '../api/src/repositories/post.repository.ts';
import { createReactionRepository } from '../api/src/repositories/reaction.repository.ts';
import { presentPost } from '../api/src/services/post.presenter.ts';

const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'silent',
  FEED_ORIGIN_MOVES_PER_10MIN: '100000000',
  RATE_LIMIT_WRITES_PER_MIN: '100000000',
});
const db = createDb(config.DATABASE_URL, 10);
const { app } = createApp({ config, db, logger: createLogger('silent') });
const posts = createPostRepository(db);
const reactions = createReactionRepository(db);

const raw = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const origin = snapOrigin({ lat: Number(url.searchParams.get('lat')), lon: Number(url.searchParams.get('lon')) });
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const keys = await posts.feedPage(feedCoverKeys(origin.cell, Number(url.searchParams.get('radius') ?? 1000)), {
    limit,
    scope: { viewerId: null, neighborCells7: [], regionIds: [] },
  });
  const rows = await posts.hydrate(keys.map((k) => k.id));
  const summaries = await reactions.summaries(
    rows.map((r) => r.id),
    null,
  );
  const items = rows.map((r) => presentPost(r, null, summaries.get(r.id), origin.centroid));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ items, nextCursor: null, origin }));
});

const api = app.listen(0, '127.0.0.1');
await new Promise((r) => api.once('listening', r));
raw.listen(0, '127.0.0.1');
await new Promise((r) => raw.once('listening', r));
process.send?.({ api: (api.address() as AddressInfo).port, raw: (raw.address() as AddressInfo).port });
process.on('disconnect', () => process.exit(0));
