// Shared set-up for the benchmarks that write (insight, freshness, search): the real services on the bench database, timing
// helpers, and undoing what a run wrote, so every run measures the same million seeded posts.
import type { z } from 'zod';
import { createApp } from '../api/src/app.ts';
import { loadConfig } from '../api/src/config.ts';
import { CreatePostBody } from '../api/src/contract/post.schema.ts';
import { createDb, type Db } from '../api/src/db/knex.ts';
import { createLogger } from '../api/src/http/observability.ts';
import { createRollupRepository } from '../api/src/repositories/rollup.repository.ts';
import type { Viewer } from '../api/src/http/route.ts';

export function benchConfig() {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    // a stray run must never write into the dev or test search index
    MEILI_INDEX_PREFIX: process.env.MEILI_INDEX_PREFIX || 'bench_',
    FEED_ORIGIN_MOVES_PER_10MIN: '100000000',
    RATE_LIMIT_WRITES_PER_MIN: '100000000',
  });
  const database = new URL(config.DATABASE_URL).pathname.slice(1);
  if (!database.startsWith('hexhood_bench')) {
    throw new Error(`these benchmarks write posts: run them on the bench database (npm run bench), not "${database}"`);
  }
  return { config, database };
}

export function benchApp(poolMax = 4) {
  const { config, database } = benchConfig();
  const db = createDb(config.DATABASE_URL, poolMax);
  const { services, search } = createApp({ config, db, logger: createLogger('silent') });
  return { config, database, db, services, search };
}

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  return [performance.now() - t0, out];
}

/**
 * Runs each variant n times, round-robin, rotating which goes first every round so none always finds the caches
 * another warmed (or pays for warming them). Returns each variant's times in ms, in the order given.
 */
export async function interleaved(n: number, variants: ((i: number) => Promise<unknown>)[]): Promise<number[][]> {
  const times = variants.map((): number[] => []);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < variants.length; k++) {
      const v = (i + k) % variants.length;
      times[v]!.push((await timed(() => variants[v]!(i)))[0]);
    }
  }
  return times;
}

/** Real posts to replay: where and what people wrote, by whom (a deterministic sample of the seeded posts). */
export interface SamplePost {
  viewer: Viewer;
  input: z.output<typeof CreatePostBody>;
}

interface SampleRow {
  author_id: string;
  handle: string;
  kind: string;
  title: string;
  body: string;
  tags: string[];
  audience: string;
  lat: number;
  lon: number;
  precision: number;
  event_starts_at: Date | null;
  poll_options: string[] | null;
  sale_price_cents: number | null;
}

export async function samplePosts(db: Db, n: number): Promise<SamplePost[]> {
  const res = await db.raw<{ rows: SampleRow[] }>(
    `SELECT p.author_id, u.handle, p.kind, p.title, p.body, p.tags, p.audience, p.lat, p.lon, p.precision,
            p.event_starts_at, p.poll_options, p.sale_price_cents
       FROM posts p TABLESAMPLE SYSTEM (1) REPEATABLE (11) JOIN users u ON u.id = p.author_id
      WHERE p.status = 'visible' AND p.deleted_at IS NULL
      LIMIT ?`,
    [n],
  );
  return res.rows.map((r) => ({
    viewer: { id: r.author_id, handle: r.handle, homeCell: null, isAdmin: false },
    // through the request schema, as the route would
    input: CreatePostBody.parse({
      kind: r.kind,
      title: r.title,
      body: r.body,
      tags: r.tags,
      audience: r.audience,
      location: { lat: r.lat, lon: r.lon },
      precision: r.precision,
      ...(r.event_starts_at ? { eventStartsAt: r.event_starts_at.toISOString() } : {}),
      ...(r.poll_options ? { pollOptions: r.poll_options } : {}),
      ...(r.sale_price_cents !== null ? { salePriceCents: r.sale_price_cents } : {}),
    }),
  }));
}

/**
 * Remembers where posts and outbox ids stood, and later removes everything written since: rollup counts of the posts
 * that went through the service first (so trends and heat maps are exactly what the seed built), then the rows.
 */
export async function scratchArea(db: Db) {
  const maxId = async (table: 'posts' | 'outbox') => String((await db.raw(`SELECT coalesce(max(id), 0) AS id FROM ${table}`)).rows[0].id);
  const posts = await maxId('posts');
  const outbox = await maxId('outbox');
  return {
    firstPostId: String(BigInt(posts) + 1n),
    async undo(countedPostIds: string[]): Promise<string[]> {
      const rollups = createRollupRepository(db);
      for (const id of countedPostIds) await rollups.removePost(id);
      const gone = await db.raw<{ rows: { id: string }[] }>('DELETE FROM posts WHERE id > ? RETURNING id', [posts]);
      await db.raw('DELETE FROM outbox WHERE id > ?', [outbox]);
      return gone.rows.map((r) => r.id);
    },
  };
}
