// Issue 3 benchmark: feed query vs plain PostGIS ST_DWithin on the same 1M posts, recall vs that exact query, and
// GET /api/feed throughput vs a raw node:http handler running the same SQL. Prints ratios from one run.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../api/src/config.ts';
import { createDb } from '../api/src/db/knex.ts';
import { feedCoverKeys, snapOrigin } from '../api/src/geo/h3.ts';
import { createPostRepository } from '../api/src/repositories/post.repository.ts';
import { fmt, median, percentile, report, verdict } from './stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const config = loadConfig();
const db = createDb(config.DATABASE_URL, 4);
const posts = createPostRepository(db);
const RADIUS = 1000;
const LIMIT = 50;
const ORIGINS = 400;

const total = Number((await db.raw('SELECT count(*) AS n FROM posts')).rows[0].n);
console.log(`\nFeed benchmark on ${total.toLocaleString('en')} posts (database ${new URL(config.DATABASE_URL).pathname.slice(1)})`);

// The fairest plain-PostGIS baseline gets its own geography index (bench database only).
await db.raw('CREATE INDEX IF NOT EXISTS posts_geog_bench ON posts USING gist ((geom::geography))');
// A bulk load leaves the visibility map unset, which turns index-only scans into heap fetches; autovacuum would
// get there on a live system, the bench gets there now.
await db.raw('VACUUM (ANALYZE) posts');

// Origins where people are: display centroids of random posts (deterministic sample).
await db.raw('SELECT setseed(0.42)');
const sample = (await db.raw(`SELECT ST_Y(geom) AS lat, ST_X(geom) AS lon FROM posts TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT ?`, [ORIGINS]))
  .rows as {
  lat: number;
  lon: number;
}[];
const origins = sample.map((p) => snapOrigin(p));

const scope = { viewerId: null, neighborCells7: [], regionIds: [] };

async function ours(o: (typeof origins)[number]) {
  return posts.feedPage(feedCoverKeys(o.cell, RADIUS), { limit: LIMIT, scope });
}

async function baseline(o: (typeof origins)[number]) {
  const res = await db.raw(
    `SELECT id, created_at FROM posts
      WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?)
        AND status = 'visible' AND deleted_at IS NULL AND audience = 'public'
      ORDER BY created_at DESC, id DESC LIMIT ?`,
    [o.centroid.lon, o.centroid.lat, RADIUS, LIMIT],
  );
  return res.rows as { id: string }[];
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  return [performance.now() - t0, out];
}

// warm both paths
for (const o of origins.slice(0, 50)) {
  await ours(o);
  await baseline(o);
}

const oursMs: number[] = [];
const baseMs: number[] = [];
let hits = 0;
let expected = 0;
for (let round = 0; round < 2; round++) {
  for (const [i, o] of origins.entries()) {
    // alternate which goes first so caches favour neither
    const first = (i + round) % 2 === 0;
    const [a, mine] = first ? await time(() => ours(o)) : [0, []];
    const [b, exact] = await time(() => baseline(o));
    const [c, mine2] = first ? [a, mine] : await time(() => ours(o));
    oursMs.push(first ? a : c);
    baseMs.push(b);
    if (round === 0) {
      const got = new Set((mine2 as { id: string }[]).map((r) => r.id));
      expected += exact.length;
      hits += exact.filter((r) => got.has(r.id)).length;
    }
  }
}

const recall = expected ? hits / expected : 1;
const ratio = median(oursMs) / median(baseMs);
console.log(`\nfeed query, radius ${RADIUS} m, newest ${LIMIT}, ${oursMs.length} queries each:`);
report([
  ['H3 cover + covering index', `median ${fmt(median(oursMs))}  p99 ${fmt(percentile(oursMs, 99))}`],
  ['ST_DWithin(geography) baseline', `median ${fmt(median(baseMs))}  p99 ${fmt(percentile(baseMs, 99))}`],
  ['ratio (median)', `${ratio.toFixed(3)}×  target ≤0.30×  ${verdict(ratio <= 0.3)}`],
  ['p99', `${fmt(percentile(oursMs, 99))}  target ≤6 ms  ${verdict(percentile(oursMs, 99) <= 6)}`],
  ['recall vs exact', `${(recall * 100).toFixed(2)}%  target ≥99.5%  ${verdict(recall >= 0.995)}`],
]);

// Endpoint throughput: the real app vs a bare handler, both in a child process.
const child = fork(path.join(here, 'feed-servers.ts'), [], { execArgv: ['--import', 'tsx'], env: process.env });
const ports = await new Promise<{ api: number; raw: number }>((resolve) => child.once('message', (m) => resolve(m as { api: number; raw: number })));
const paths = origins.slice(0, 100).map((o) => `/api/feed?lat=${o.centroid.lat}&lon=${o.centroid.lon}&radius=${RADIUS}&limit=20`);

async function load(port: number, seconds: number) {
  let n = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 8,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length]! }) }],
  });
  if (result.non2xx) throw new Error(`${result.non2xx} non-2xx responses on port ${port}`);
  return result.requests.average;
}

await load(ports.api, 3);
await load(ports.raw, 3);
const apiRps: number[] = [];
const rawRps: number[] = [];
for (let i = 0; i < 2; i++) {
  apiRps.push(await load(ports.api, 8));
  rawRps.push(await load(ports.raw, 8));
}
child.kill();
const apiAvg = apiRps.reduce((a, b) => a + b, 0) / apiRps.length;
const rawAvg = rawRps.reduce((a, b) => a + b, 0) / rawRps.length;
console.log(`\nGET /api/feed throughput (autocannon, 8 connections, loopback, 2×8 s each, alternating):`);
report([
  ['Express app (validation, sessions, limits, logging)', `${apiAvg.toFixed(0)} req/s`],
  ['raw node:http, same SQL', `${rawAvg.toFixed(0)} req/s`],
  ['ratio', `${(apiAvg / rawAvg).toFixed(3)}×  target ≥0.85×  ${verdict(apiAvg / rawAvg >= 0.85)}`],
]);

await db.destroy();
