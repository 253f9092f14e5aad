import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBasemap } from '../../../seeds/basemap.seed.ts';
import { createApp } from '../../src/app.ts';
import { pointToCell } from '../../src/geo/h3.ts';
import { createSearchConnection } from '../../src/search/meili.client.ts';
import { testConfig } from '../helpers.ts';
import { makeSearchTestApp, silentLogger } from '../search.helpers.ts';

const t = makeSearchTestApp();
afterAll(() => t.close());

beforeAll(async () => {
  await seedBasemap(t.db);
  // the indexer does this at start; here once, by hand
  await t.indexer.addresses.sync(
    () => t.repositories.addresses.all(),
    () => t.repositories.addresses.count(),
  );
});

/** The z/x/y of the tile holding a point. */
function tileOf(lat: number, lon: number, z: number) {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}

const ALEX = { lat: 52.5219, lon: 13.4132 };
const tileUrl = ({ z, x, y }: { z: number; x: number; y: number }, set = 'base') => `/api/tiles/${set}/${z}/${x}/${y}.mvt`;

function layerFeatures(buf: Buffer, layer: string) {
  const tile = new VectorTile(new PbfReader(buf));
  const l = tile.layers[layer];
  return l ? Array.from({ length: l.length }, (_, i) => l.feature(i)) : [];
}

describe('GET /api/tiles/base/{z}/{x}/{y}.mvt', () => {
  it('serves a Berlin street tile with named streets by class, water and place labels', async () => {
    const res = await request(t.app)
      .get(tileUrl(tileOf(ALEX.lat, ALEX.lon, 15)))
      .set('Accept-Encoding', 'identity')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/application\/vnd\.mapbox-vector-tile/);
    const body = res.body as Buffer;
    expect(body.length).toBeGreaterThan(0);
    const streets = layerFeatures(body, 'streets');
    expect(streets.length).toBeGreaterThan(5);
    const names = new Set(streets.map((f) => f.properties.name));
    expect(names).toContain('Alexanderstraße');
    expect(new Set(streets.map((f) => f.properties.class))).toContain('primary');
    // lines, not points or polygons
    expect(streets.every((f) => f.type === 2)).toBe(true);
  });

  it('keeps minor streets out of city-wide tiles and puts district labels in', async () => {
    const res = await request(t.app)
      .get(tileUrl(tileOf(ALEX.lat, ALEX.lon, 10)))
      .set('Accept-Encoding', 'identity')
      .buffer(true)
      .parse(binary)
      .expect(200);
    const classes = new Set(layerFeatures(res.body as Buffer, 'streets').map((f) => f.properties.class));
    expect(classes).toContain('primary');
    expect(classes).not.toContain('residential');
    const labels = layerFeatures(res.body as Buffer, 'labels').map((f) => f.properties.name);
    expect(labels).toContain('Friedrichshain-Kreuzberg');
    const borders = layerFeatures(res.body as Buffer, 'boundaries');
    expect(new Set(borders.map((f) => f.properties.kind))).toEqual(new Set(['district', 'neighborhood']));
  });

  it('sends gzip when accepted, the same tile', async () => {
    const url = tileUrl(tileOf(ALEX.lat, ALEX.lon, 14));
    const plain = await request(t.app).get(url).set('Accept-Encoding', 'identity').buffer(true).parse(binary).expect(200);
    const zipped = await request(t.app).get(url).set('Accept-Encoding', 'gzip, br').buffer(true).parse(binary).expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    // supertest has already inflated it
    expect((zipped.body as Buffer).equals(plain.body as Buffer)).toBe(true);
  });

  it('has long-lived public caching and an ETag; If-None-Match answers 304 without a body', async () => {
    const url = tileUrl(tileOf(ALEX.lat, ALEX.lon, 16));
    const first = await request(t.app).get(url).expect(200);
    expect(first.headers['cache-control']).toMatch(/public, max-age=\d{5,}/);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await request(t.app).get(url).set('If-None-Match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers.etag).toBe(etag);
    await request(t.app).get(url).set('If-None-Match', '"something-else"').expect(200);
    // a different tile has a different tag
    const other = await request(t.app)
      .get(tileUrl(tileOf(52.4759, 13.4518, 16)))
      .expect(200);
    expect(other.headers.etag).not.toBe(etag);
  });

  it('answers 204 for a tile with nothing on it', async () => {
    const res = await request(t.app)
      .get(tileUrl(tileOf(-40, -140, 12)))
      .expect(204);
    expect(res.headers['cache-control']).toMatch(/public/);
  });

  it.each([
    ['/api/tiles/base/23/0/0.mvt', 'params.z'],
    ['/api/tiles/base/3/8/0.mvt', 'params.x'],
    ['/api/tiles/base/3/0/8.mvt', 'params.y'],
    ['/api/tiles/base/-1/0/0.mvt', 'params.z'],
    ['/api/tiles/base/a/0/0.mvt', 'params.z'],
    ['/api/tiles/base/12/1.5/3.mvt', 'params.x'],
    ['/api/tiles/base/12/99999999999/3.mvt', 'params.x'],
  ])('rejects %s with 400 problem+json naming %s', async (url, field) => {
    const res = await request(t.app).get(url).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 404 for an unknown tile set or a path that is not a tile', async () => {
    await request(t.app).get('/api/tiles/satellite/12/2200/1343.mvt').expect(404);
    await request(t.app).get('/api/tiles/base/12/2200/1343.png').expect(404);
  });
});

describe('GET /api/places/{cell}', () => {
  it('names the Ortsteil and the main street through a hexagon', async () => {
    const cell = pointToCell({ lat: 52.5079, lon: 13.4498 }, 8); // Warschauer Straße, Friedrichshain
    const res = await request(t.app).get(`/api/places/${cell}`).expect(200);
    expect(res.body.ortsteil).toBe('Friedrichshain');
    expect(res.body.street).toEqual(expect.any(String));
    expect(res.body.title).toBe(`${res.body.street}, Friedrichshain`);
  });

  it('rejects a cell that is not one', async () => {
    await request(t.app).get('/api/places/zz').expect(400);
    await request(t.app).get('/api/places/fffffffffffffff').expect(400);
  });
});

describe('GET /api/addresses', () => {
  const search = async (q: string) => (await request(t.app).get('/api/addresses').query({ q }).expect(200)).body.items as Record<string, unknown>[];

  it('finds a street by its name, with postcode, Ortsteil and a point', async () => {
    const items = await search('Karl-Marx-Allee');
    expect(items[0]).toMatchObject({ street: 'Karl-Marx-Allee', point: { lat: expect.any(Number), lon: expect.any(Number) } });
    const places = items.filter((a) => a.street === 'Karl-Marx-Allee').map((a) => `${a.postcode} ${a.ortsteil}`);
    expect(places).toEqual(expect.arrayContaining(['10178 Mitte', '10243 Friedrichshain']));
  });

  it('tolerates typos and missing hyphens, and puts the row with the house number first', async () => {
    const items = await search('karl marx alee 12');
    expect(items[0]).toMatchObject({ street: 'Karl-Marx-Allee', postcode: '10178', houseNumber: '12', houseNumberKnown: true });
    expect(items[0]!.label).toBe('Karl-Marx-Allee 12, 10178 Berlin-Mitte');
  });

  it('finds a street with a postcode that does not match it (the street still comes first)', async () => {
    const items = await search('Sonnenallee 10245');
    expect(items[0]).toMatchObject({ street: 'Sonnenallee' });
  });

  it('narrows to the postcode when it matches', async () => {
    const items = await search('Sonnenallee 12437');
    expect(items[0]).toMatchObject({ street: 'Sonnenallee', postcode: '12437', ortsteil: 'Baumschulenweg' });
  });

  it('finds streets without a point and says so', async () => {
    const items = await search('AEG-Straße');
    expect(items[0]).toMatchObject({ street: 'AEG-Straße', ortsteil: 'Lübars', point: null });
  });

  it('finds "strasse" spelled without ß', async () => {
    const items = await search('warschauer strasse');
    expect(items[0]).toMatchObject({ street: 'Warschauer Straße' });
  });

  it.each([[''], ['x'.repeat(121)]])('rejects q=%j with 400', async (q) => {
    const res = await request(t.app).get('/api/addresses').query({ q }).expect(400);
    expect(res.body.errors[0].field).toBe('query.q');
  });

  it('answers 503 with Retry-After when search is down', async () => {
    const config = testConfig();
    const { app } = createApp({ config, db: t.db, logger: silentLogger, search: createSearchConnection('http://127.0.0.1:9', undefined, 'x_') });
    const res = await request(app).get('/api/addresses').query({ q: 'Sonnenallee' }).expect(503);
    expect(res.headers['retry-after']).toBeDefined();
  });
});

function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
