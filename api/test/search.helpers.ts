import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app.ts';
import { createDb, type Db } from '../src/db/knex.ts';
import { cellToBigint, polygonCells, type LatLon } from '../src/geo/h3.ts';
import { createLogger } from '../src/http/observability.ts';
import { createSearchConnection, type SearchConnection } from '../src/search/meili.client.ts';
import { createSearchIndexer } from '../src/search/indexer.ts';
import type { RelayOptions } from '../src/search/outbox.relay.ts';
import { offsetMeters, testConfig } from './helpers.ts';

// Fixtures for the search, trends and heat-map tests: an app whose search connection, relay and reconciler the test
// drives by hand, plus small regions drawn around a point.

export const silentLogger = createLogger('silent');

export function makeSearchTestApp(
  options: {
    meiliUrl?: string;
    meiliKey?: string;
    indexPrefix?: string;
    relay?: Partial<RelayOptions>;
    listen?: boolean;
    reconcileIntervalMs?: number;
  } = {},
) {
  const config = testConfig({ ARGON2_MEMORY_KIB: '1024' });
  const db = createDb(config.DATABASE_URL, 6);
  const conn: SearchConnection = createSearchConnection(
    options.meiliUrl ?? config.MEILI_URL,
    options.meiliKey ?? config.MEILI_MASTER_KEY,
    options.indexPrefix ?? config.MEILI_INDEX_PREFIX,
  );
  const { app, repositories } = createApp({ config, db, logger: silentLogger, search: conn });
  // the indexer as the server builds it, driven by hand unless a test starts it (listening only when asked)
  const indexer = createSearchIndexer(db, conn, silentLogger, {
    databaseUrl: options.listen ? config.DATABASE_URL : undefined,
    reconcileIntervalMs: options.reconcileIntervalMs ?? 0,
    relay: { pollMs: 100, healthProbeMs: 200, ...options.relay },
    // a loaded 2-core machine can take longer than production's 10 s; a test should wait rather than back off
    taskTimeoutMs: 60_000,
  });
  const { index, relay, reconciler } = indexer;
  return { app, db, conn, index, indexer, relay, reconciler, config, repositories, close: () => db.destroy() };
}

/** Polls until check() holds or the deadline passes (no timing thresholds, only a generous upper bound). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, deadlineMs = 20_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A word no other post in the shared test database contains. */
export function uniqueWord(prefix = 'zq'): string {
  return `${prefix}${randomBytes(4)
    .toString('hex')
    .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]!)}`;
}

export interface TestRegion {
  id: string;
  slug: string;
  neighborhoodId: string;
  neighborhoodSlug: string;
}

/**
 * A district with one neighbourhood: a square of `halfSideM` around a point, with households and its res-8 cover, the
 * way the seed builds Berlin's.
 */
export async function createRegionAround(db: Db, centre: LatLon, halfSideM: number, households: number): Promise<TestRegion> {
  const sw = offsetMeters(centre, -halfSideM, -halfSideM);
  const ne = offsetMeters(centre, halfSideM, halfSideM);
  const ring = [
    [sw.lon, sw.lat],
    [ne.lon, sw.lat],
    [ne.lon, ne.lat],
    [sw.lon, ne.lat],
    [sw.lon, sw.lat],
  ];
  const geometry = { type: 'MultiPolygon', coordinates: [[ring]] };
  const tag = randomBytes(4).toString('hex');
  const insert = async (slug: string, kind: string, parentId: string | null) => {
    const res = await db.raw<{ rows: { id: string }[] }>(
      `INSERT INTO regions (parent_id, slug, name, kind, population, households, area_m2, geom)
       VALUES (?, ?, ?, ?, ?, ?, ST_Area(ST_GeomFromGeoJSON(?)::geography), ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)) RETURNING id`,
      [parentId, slug, `Test ${slug}`, kind, Math.round(households * 1.8), households, JSON.stringify(geometry), JSON.stringify(geometry)],
    );
    return res.rows[0]!.id;
  };
  const districtSlug = `district-${tag}`;
  const neighborhoodSlug = `kiez-${tag}`;
  const id = await insert(districtSlug, 'district', null);
  const neighborhoodId = await insert(neighborhoodSlug, 'neighborhood', id);
  const cells = polygonCells({ type: 'Polygon', coordinates: [ring] }, 8, 'overlapping').map((c) => cellToBigint(c).toString());
  await db.raw(`INSERT INTO region_cells (region_id, h3_8) SELECT r, c FROM unnest(?::bigint[]) c CROSS JOIN unnest(?::bigint[]) r`, [
    cells,
    [id, neighborhoodId],
  ]);
  return { id, slug: districtSlug, neighborhoodId, neighborhoodSlug };
}

export type SearchTestApp = ReturnType<typeof makeSearchTestApp>;

export function searchUrl(params: Record<string, string | number>): string {
  return `/api/search?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;
}

export async function searchIds(app: SearchTestApp['app'], params: Record<string, string | number>, agent?: ReturnType<typeof request.agent>) {
  const res = await (agent ?? request(app)).get(searchUrl(params)).expect(200);
  return (res.body.items as { id: string }[]).map((i) => i.id);
}

/**
 * Drains the shared outbox until nothing is left to send: what earlier test files left behind, and whatever waits for
 * the index to be built first (a run's first drain finds no index and rebuilds it; the relay sends nothing meanwhile).
 */
export async function drainAll(t: Pick<SearchTestApp, 'relay' | 'db'>): Promise<void> {
  await eventually(
    async () => {
      await t.relay.drainOnce();
      const pending = await t
        .db('outbox')
        .whereNull('done_at')
        .where('entity', 'post')
        .where('next_attempt_at', '<=', t.db.fn.now())
        .count<{ n: string }[]>('* as n');
      return Number(pending[0]!.n) === 0;
    },
    'the outbox to drain',
    120_000,
  );
}
