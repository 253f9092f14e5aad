import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, signUp } from '../helpers.ts';
import { signUpAdmin } from '../moderation.fixtures.ts';

// Region import (issue 11): all or nothing. Each test works in a place of its own on Earth, with slugs of its own.
const t = makeTestApp();
afterAll(() => t.close());

type Ring = number[][];
const box = (w: number, s: number, e: number, n: number): Ring => [
  [w, s],
  [e, s],
  [e, n],
  [w, n],
  [w, s],
];
const feature = (slug: string, kind: string, parent: string | null, ring: Ring) => ({
  type: 'Feature',
  properties: { slug, name: slug, kind, parent },
  geometry: { type: 'Polygon', coordinates: [ring] },
});

function city() {
  const x = -150 + Math.random() * 290;
  const y = -40 + Math.random() * 80;
  const tag = randomBytes(3).toString('hex');
  const slugs = { city: `imp-city-${tag}`, district: `imp-district-${tag}`, hood: `imp-hood-${tag}` };
  const doc = (features: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'FeatureCollection', ...extra, features });
  const valid = [
    feature(slugs.city, 'city', null, box(x, y, x + 0.1, y + 0.05)),
    feature(slugs.district, 'district', slugs.city, box(x, y, x + 0.05, y + 0.05)),
    feature(slugs.hood, 'neighborhood', slugs.district, box(x, y, x + 0.025, y + 0.05)),
  ];
  return { x, y, slugs, doc, valid };
}

async function snapshot() {
  const regions = await t.db.raw(`SELECT slug, name, parent_id, ST_AsText(geom) AS g FROM regions ORDER BY id`);
  const cells = await t.db.raw(`SELECT count(*) AS n, sum(h3_8 % 1000003) AS h FROM region_cells`);
  return { regions: regions.rows, cells: cells.rows[0] };
}

const send = (agent: Awaited<ReturnType<typeof signUp>>['agent'], body: string) =>
  agent.post('/api/regions/import').set('content-type', 'application/geo+json').send(body);

describe('region import', () => {
  it('imports a city, district and neighbourhood with a res-8 cover; importing again replaces them', async () => {
    const admin = await signUpAdmin(t);
    const c = city();
    const res = await send(admin.agent, c.doc(c.valid)).expect(200);
    expect(res.body.imported.map((r: { slug: string; created: boolean }) => [r.slug, r.created])).toEqual([
      [c.slugs.city, true],
      [c.slugs.district, true],
      [c.slugs.hood, true],
    ]);
    const cells = Object.fromEntries(res.body.imported.map((r: { slug: string; cells: number }) => [r.slug, r.cells]));
    expect(cells[c.slugs.city]).toBeGreaterThan(cells[c.slugs.district]);
    const hood = await t.db('regions').where({ slug: c.slugs.hood }).first('id', 'parent_id', 'kind');
    const district = await t.db('regions').where({ slug: c.slugs.district }).first('id');
    expect(hood).toMatchObject({ parent_id: district.id, kind: 'neighborhood' });
    expect(Number((await t.db('region_cells').where({ region_id: hood.id }).count('* as n'))[0]!.n)).toBe(cells[c.slugs.hood]);
    // a post there belongs to the new neighbourhood, by its display cell
    const author = await signUp(t.app);
    const post = await author.agent
      .post('/api/posts')
      .send({ kind: 'post', title: 'In the new Kiez', body: '', location: { lat: c.y + 0.025, lon: c.x + 0.012 } })
      .expect(201);
    expect(String((await t.db('posts').where({ id: post.body.id }).first('region_id')).region_id)).toBe(String(hood.id));

    // replace: the neighbourhood grows to the whole district; its cover follows, the rest stays
    const grown = [c.valid[0], c.valid[1], feature(c.slugs.hood, 'neighborhood', c.slugs.district, box(c.x, c.y, c.x + 0.05, c.y + 0.05))];
    const again = await send(admin.agent, c.doc(grown)).expect(200);
    const after = again.body.imported.find((r: { slug: string }) => r.slug === c.slugs.hood);
    expect(after).toMatchObject({ created: false, id: String(hood.id) });
    expect(after.cells).toBeGreaterThan(cells[c.slugs.hood]);
  });

  it('makes a repairable geometry valid (a hole outside its shell) and says so', async () => {
    const admin = await signUpAdmin(t);
    const c = city();
    const { x, y } = c;
    const geometry = { type: 'Polygon', coordinates: [box(x, y, x + 0.05, y + 0.05), box(x + 0.06, y, x + 0.08, y + 0.02)] };
    const doc = c.doc([{ type: 'Feature', properties: { slug: c.slugs.city, name: 'Repaired', kind: 'city' }, geometry }]);
    const res = await send(admin.agent, doc).expect(200);
    expect(res.body.imported[0]).toMatchObject({ slug: c.slugs.city, madeValid: true });
    const row = (await t.db.raw(`SELECT ST_IsValid(geom) AS valid, GeometryType(geom) AS type FROM regions WHERE slug = ?`, [c.slugs.city])).rows[0];
    expect(row).toEqual({ valid: true, type: 'MULTIPOLYGON' });
  });

  it('refuses invalid documents with 422 and changes nothing', async () => {
    const admin = await signUpAdmin(t);
    const c = city();
    const { x, y } = c;
    await send(admin.agent, c.doc([c.valid[0]!])).expect(200);
    const before = await snapshot();
    const bowTie: Ring = [
      [x, y],
      [x + 0.05, y + 0.05],
      [x + 0.05, y],
      [x, y + 0.05],
      [x, y],
    ];
    const bad: [string, string, string][] = [
      ['self-intersecting', c.doc([c.valid[0], feature(c.slugs.district, 'district', c.slugs.city, bowTie)]), 'body.features.1.geometry'],
      ['wrong SRID', c.doc(c.valid, { crs: { type: 'name', properties: { name: 'EPSG:3857' } } }), 'body.crs.properties.name'],
      [
        'projected coordinates',
        c.doc([feature(c.slugs.city, 'city', null, box(1_500_000, 6_800_000, 1_510_000, 6_810_000))]),
        'body.features.0.geometry.coordinates.0.0.0',
      ],
      ['10 MB', JSON.stringify({ type: 'FeatureCollection', features: c.valid, padding: 'x'.repeat(10 * 1024 * 1024) }), 'body'],
      [
        'child outside its parent',
        c.doc([c.valid[0], feature(c.slugs.district, 'district', c.slugs.city, box(x + 0.08, y, x + 0.15, y + 0.05))]),
        'body.features.1.geometry',
      ],
      [
        'a point',
        c.doc([{ type: 'Feature', properties: { slug: c.slugs.city, name: 'x', kind: 'city' }, geometry: { type: 'Point', coordinates: [x, y] } }]),
        'body.features.0.geometry.type',
      ],
      ['a huge city', c.doc([feature(c.slugs.city, 'city', null, box(x, y, x + 5, y + 5))]), 'body.features.0.geometry'],
      [
        'unknown parent',
        c.doc([feature(c.slugs.district, 'district', 'no-such-city', box(x, y, x + 0.05, y + 0.05))]),
        'body.features.0.properties.parent',
      ],
      ['not JSON', '{"type": "FeatureCollection", ', 'body'],
    ];
    for (const [name, body, field] of bad) {
      const res = await send(admin.agent, body);
      expect(res.status, name).toBe(422);
      expect(res.headers['content-type'], name).toMatch(/problem\+json/);
      expect(
        res.body.errors.map((e: { field: string }) => e.field),
        name,
      ).toContain(field);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('is for administrators only', async () => {
    const c = city();
    const resident = await signUp(t.app);
    await send(resident.agent, c.doc(c.valid)).expect(403);
    expect(await t.db('regions').where({ slug: c.slugs.city }).first()).toBeUndefined();
  });
});
