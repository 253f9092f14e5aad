// Issue 12 benchmark: vector tiles of the base map. Street tiles (z14–16 over central Berlin) built by PostGIS
// (ST_AsMVT), straight from the repository and through the HTTP endpoint (cold and warm cache), against baselines
// measured in the same run on the same tiles: a bare round trip (SELECT 1) and the naive alternative, the tile's
// streets as GeoJSON (ST_AsGeoJSON of everything in the tile's box, unclipped, unsimplified).
// Read-only: runs on any migrated database (loads the base map when it is missing), e.g.
//   DATABASE_URL=postgres://…/hexhood npx tsx bench/tiles.bench.ts
import type { AddressInfo } from 'node:net';
import { seedBasemap } from '../seeds/basemap.seed.ts';
import { createApp } from '../api/src/app.ts';
import { loadConfig } from '../api/src/config.ts';
import { createDb } from '../api/src/db/knex.ts';
import { createLogger } from '../api/src/http/observability.ts';
import { createBasemapRepository } from '../api/src/repositories/basemap.repository.ts';
import { fmt, median, percentile, report, verdict } from './stats.ts';

const TARGET_P95_MS = 20;
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', MEILI_INDEX_PREFIX: process.env.MEILI_INDEX_PREFIX || 'bench_' });
const db = createDb(config.DATABASE_URL, 4);
const loaded = await seedBasemap(db);
const basemap = createBasemapRepository(db);

function tileRange(z: number, [w, s, e, n]: number[]) {
  const x = (lon: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
  const y = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
  };
  const out: [number, number, number][] = [];
  for (let tx = x(w!); tx <= x(e!); tx++) for (let ty = y(n!); ty <= y(s!); ty++) out.push([z, tx, ty]);
  return out;
}

// Central Berlin (Charlottenburg to Friedrichshain, Wedding to Neukölln), where every tile has streets.
const CENTRE = [13.3, 52.47, 13.48, 52.55];
const tiles = [...tileRange(14, CENTRE), ...tileRange(15, CENTRE), ...tileRange(16, [13.38, 52.49, 13.46, 52.53])];
const features = ((await db.raw(`SELECT count(*)::int AS n FROM basemap_features`)).rows as { n: number }[])[0]?.n ?? 0;
console.log(
  `\nTile benchmark: ${tiles.length} street tiles (z14–16) over ${features.toLocaleString('en')} base-map features` +
    `${loaded.features ? ' (just loaded)' : ''}; database ${new URL(config.DATABASE_URL).pathname.slice(1)}`,
);

const GEOJSON_SQL = `
  SELECT json_agg(json_build_object('name', name, 'class', kind, 'geometry', ST_AsGeoJSON(ST_Transform(geom, 4326))::json)) AS fc
  FROM basemap_features WHERE layer = 'streets' AND geom && ST_TileEnvelope(?, ?, ?)`;

// Warm-up: plans, the buffer cache, JIT-free connections.
for (const [z, x, y] of tiles.slice(0, 20)) {
  await basemap.tile(z, x, y);
  await db.raw(GEOJSON_SQL, [z, x, y]);
}

// Interleaved per tile so the three see the same machine load.
const ping: number[] = [];
const geojson: number[] = [];
const mvt: number[] = [];
let bytes = 0;
let geojsonBytes = 0;
let empty = 0;
for (const [z, x, y] of tiles) {
  let t = performance.now();
  await db.raw('SELECT 1');
  ping.push(performance.now() - t);
  t = performance.now();
  const fc = (await db.raw(GEOJSON_SQL, [z, x, y])).rows[0].fc;
  geojson.push(performance.now() - t);
  geojsonBytes += JSON.stringify(fc ?? []).length;
  t = performance.now();
  const tile = await basemap.tile(z, x, y);
  mvt.push(performance.now() - t);
  bytes += tile.length;
  if (!tile.length) empty++;
}

// Through HTTP: a fresh app (empty tile cache), every tile once (cold: the database builds it), then again (warm).
const { app } = createApp({ config, db, logger: createLogger('silent') });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
async function pass(): Promise<number[]> {
  const out: number[] = [];
  for (const [z, x, y] of tiles) {
    const t = performance.now();
    const res = await fetch(`${base}/api/tiles/base/${z}/${x}/${y}.mvt`, { headers: { 'accept-encoding': 'gzip' } });
    await res.arrayBuffer();
    out.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`tile ${z}/${x}/${y}: HTTP ${res.status}`);
  }
  return out;
}
const cold = await pass();
const warm = await pass();
server.close();

const row = (name: string, v: number[]): [string, string] => [
  name,
  `p50 ${fmt(median(v))}  p95 ${fmt(percentile(v, 95))}  max ${fmt(Math.max(...v))}`,
];
report([
  row('SELECT 1 (round trip)', ping),
  row('baseline: streets as GeoJSON', geojson),
  row('MVT tile (repository, uncached)', mvt),
  row('GET tile, cold cache (HTTP)', cold),
  row('GET tile, warm cache (HTTP)', warm),
]);
const p95 = percentile(cold, 95);
report([
  [
    'avg MVT / GeoJSON size',
    `${(bytes / tiles.length / 1024).toFixed(1)} KiB / ${(geojsonBytes / tiles.length / 1024).toFixed(1)} KiB (${empty} empty tiles)`,
  ],
  ['MVT p95 / GeoJSON baseline p95', `${(percentile(mvt, 95) / percentile(geojson, 95)).toFixed(2)}×`],
  ['MVT p95 / SELECT 1 p95', `${(percentile(mvt, 95) / percentile(ping, 95)).toFixed(1)}×`],
  ['cold GET p95 / target', `${fmt(p95)} / ${TARGET_P95_MS} ms = ${(p95 / TARGET_P95_MS).toFixed(2)} ${verdict(p95 <= TARGET_P95_MS)}`],
  ['warm GET p95 / cold GET p95', `${(percentile(warm, 95) / p95).toFixed(2)}×`],
]);
await db.destroy();
