// Issue 4 benchmark: freshness — how long after create() returns (the post committed) it can be found in search, with
// the outbox relay running as in the API process, on the bench index of 200k posts. Each written id is polled for.
import { createLogger } from '../api/src/http/observability.ts';
import { createSearchIndexer } from '../api/src/search/indexer.ts';
import { createPostsIndex } from '../api/src/search/posts.index.ts';
import { benchApp, samplePosts, scratchArea } from './bench-setup.ts';
import { ensureBenchIndex } from './search-index.ts';
import { fmt, median, percentile, report, verdict } from './stats.ts';

const POSTS = 600;
// a busy hour of a whole city, well above what one city writes on average
const RATE_PER_S = 10;
const POLL_MS = 50;

const { config, db, services, search: conn } = benchApp(6);
const index = createPostsIndex(conn);
const { docs } = await ensureBenchIndex(db, conn, index);
const samples = await samplePosts(db, POSTS);
const scratch = await scratchArea(db);
const firstBatch = ((await conn.client.batches.getBatches({ limit: 1 })).results[0]?.uid ?? -1) + 1;
// The reconciler stays off: against an index holding a 200k slice it would "repair" the other 800k posts.
const indexer = createSearchIndexer(db, conn, createLogger('silent'), { databaseUrl: config.DATABASE_URL, reconcileIntervalMs: 0 });

const pending = new Map<string, number>(); // id → when create() returned, i.e. after its commit
const latency: number[] = [];
const created: string[] = [];
let writing = true;

/** One search per round for everything still pending; a hit means the post is searchable. */
async function poll(): Promise<void> {
  while (writing || pending.size) {
    const ids = [...pending.keys()];
    if (ids.length) {
      const res = await conn.client.index(index.uid).search<{ id: number }>('', {
        filter: `id IN [${ids.join(', ')}]`, // ids of rows we just inserted: integers
        attributesToRetrieve: ['id'],
        limit: ids.length,
      });
      const now = performance.now();
      for (const { id } of res.hits) {
        const at = pending.get(String(id));
        if (at !== undefined) latency.push(now - at);
        pending.delete(String(id));
      }
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

let lost = 0;
try {
  await indexer.start();
  const poller = poll();
  const started = performance.now();
  for (const [i, { viewer, input }] of samples.entries()) {
    const due = started + (i * 1000) / RATE_PER_S;
    if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
    const post = await services.posts.create(viewer, input, 8);
    pending.set(post.id, performance.now());
    created.push(post.id);
  }
  const deadline = performance.now() + 30_000;
  while (pending.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  lost = pending.size;
  writing = false;
  pending.clear();
  await poller;
} finally {
  writing = false;
  await indexer.stop();
  // the index keeps exactly its slice; posts, rollups and outbox go back to what the seed made
  await index.apply([], created.map(Number)).catch((e: unknown) => console.error('could not remove the bench posts from the index:', e));
  await scratch.undo(created);
}

// What Meilisearch itself spent: the batches it ran for the bench index during the run.
const batches = (await conn.client.batches.getBatches({ indexUids: [index.uid], from: undefined, limit: 1000 })).results.filter(
  (b) => b.uid >= firstBatch && b.stats.types.documentAdditionOrUpdate,
);
const seconds = (iso: string | null | undefined) => Number(/PT([\d.]+)S/.exec(iso ?? '')?.[1] ?? Number.NaN) * 1000;
const batchMs = batches.map((b) => seconds(b.duration));
const [p95, p99] = [percentile(latency, 95), percentile(latency, 99)];
console.log(
  `\nfreshness: ${POSTS} posts through the service at ${RATE_PER_S}/s into an index of ${docs.toLocaleString('en')}, relay running, ` +
    `each id polled every ${POLL_MS} ms:`,
);
report([
  ['post → searchable', `median ${fmt(median(latency))}  p95 ${fmt(p95)}  p99 ${fmt(p99)}  max ${fmt(Math.max(...latency))}`],
  [
    'Meilisearch indexing batches',
    `${batches.length}, ${(POSTS / Math.max(batches.length, 1)).toFixed(1)} posts each, took median ${fmt(median(batchMs))}  p95 ${fmt(percentile(batchMs, 95))}`,
  ],
  ['not searchable after 30 s', String(lost)],
  ['p95 / p99', `targets ≤2 s / ≤5 s  ${verdict(p95 <= 2000 && p99 <= 5000 && lost === 0 && latency.length >= 500)}`],
]);

await db.destroy();
