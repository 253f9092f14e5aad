import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellCentroid, cellChildren, distanceMeters, pointToCell } from '../../src/geo/h3.ts';
import { makeTestApp, offsetMeters, postBody, randomPlace, signUp } from '../helpers.ts';
import { makeSearchTestApp, uniqueWord } from '../search.helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

/** Every key named location/lat/lon anywhere in a JSON value, and every number, for leak checks. */
function collect(value: unknown, keys: string[] = [], numbers: number[] = []): { keys: string[]; numbers: number[] } {
  if (Array.isArray(value)) value.forEach((v) => collect(v, keys, numbers));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      keys.push(k);
      collect(v, keys, numbers);
    }
  } else if (typeof value === 'number') numbers.push(value);
  return { keys, numbers };
}

function assertNoExactPoint(body: unknown, exact: { lat: number; lon: number }) {
  const { keys, numbers } = collect(body);
  expect(keys).not.toContain('location');
  expect(numbers).not.toContain(exact.lat);
  expect(numbers).not.toContain(exact.lon);
  expect(JSON.stringify(body)).not.toMatch(/metres|meters|distanceM/);
}

describe('exact coordinates reach only their author', () => {
  it('holds for every route that returns posts', async () => {
    const author = await signUp(t.app);
    const viewer = await signUp(t.app);
    const exact = { ...randomPlace() };
    exact.lat = Number(exact.lat.toFixed(7));
    exact.lon = Number(exact.lon.toFixed(7));
    await viewer.agent.put('/api/me/home').send(exact).expect(200);
    const { body: post } = await author.agent
      .post('/api/posts')
      .send(postBody(exact, { precision: 9 }))
      .expect(201);
    expect(post.location).toEqual(exact);

    const anon = request(t.app);
    const routes = [
      `/api/posts/${post.id}`,
      `/api/feed?lat=${exact.lat}&lon=${exact.lon}&radius=500`,
      `/api/cells/${post.cell}/posts?lat=${exact.lat}&lon=${exact.lon}`,
    ];
    for (const route of routes) {
      for (const client of [anon, viewer.agent]) {
        const res = await client.get(route).expect(200);
        const text = JSON.stringify(res.body);
        expect(text, route).toContain(post.id);
        assertNoExactPoint(res.body, exact);
      }
      const own = await author.agent.get(route).expect(200);
      expect(JSON.stringify(own.body)).toContain(String(exact.lat));
    }
    // comments and reactions don't echo posts, but check they carry no places either
    const comment = await viewer.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'hi' }).expect(201);
    assertNoExactPoint(comment.body, exact);
  });
});

describe('search never sees the exact point', () => {
  it('keeps it out of the Meilisearch document and out of search results', async () => {
    const s = makeSearchTestApp();
    try {
      await s.relay.drainOnce();
      const author = await signUp(s.app);
      const word = uniqueWord();
      const exact = randomPlace();
      exact.lat = Number(exact.lat.toFixed(7));
      exact.lon = Number(exact.lon.toFixed(7));
      const { body: post } = await author.agent
        .post('/api/posts')
        .send(postBody(exact, { title: `Lost keys ${word}`, precision: 8 }))
        .expect(201);
      await s.relay.drainOnce();
      const doc = await s.conn.client.index(`${s.conn.indexPrefix}posts`).getDocument(Number(post.id));
      assertNoExactPoint(doc, exact);
      expect(doc._geo.lat).toBeCloseTo(post.centroid.lat, 9);
      expect(doc._geo.lng).toBeCloseTo(post.centroid.lon, 9);
      const res = await request(s.app).get(`/api/search?q=${word}&lat=${exact.lat}&lon=${exact.lon}`).expect(200);
      expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([post.id]);
      assertNoExactPoint(res.body, exact);
    } finally {
      await s.close();
    }
  });
});

describe('precision-7 posts are indistinguishable inside their cell', () => {
  const ids: string[] = [];
  let points: { lat: number; lon: number }[] = [];
  let cell7 = '';

  beforeAll(async () => {
    const author = await signUp(t.app);
    const base = randomPlace();
    cell7 = pointToCell(base, 7);
    // two exact points at opposite ends of one res-7 cell
    // (H3 is not perfectly nested: keep only descendants whose centres really lie in the res-7 cell)
    const kids = cellChildren(cell7, 9)
      .map(cellCentroid)
      .filter((c) => pointToCell(c, 7) === cell7);
    let best: [(typeof kids)[number], (typeof kids)[number]] = [kids[0]!, kids[1]!];
    for (const a of kids) for (const b of kids) if (distanceMeters(a, b) > distanceMeters(...best)) best = [a, b];
    points = best;
    expect(distanceMeters(points[0]!, points[1]!)).toBeGreaterThan(2000);
    for (const p of points) {
      const res = await author.agent
        .post('/api/posts')
        .send(postBody(p, { precision: 7, title: 'same cell' }))
        .expect(201);
      expect(res.body.cell).toBe(cell7);
      ids.push(res.body.id);
    }
  });

  it('gives the same membership and distance bucket from every origin and radius', async () => {
    const viewer = await signUp(t.app);
    const centre = cellCentroid(cell7);
    let seenTogether = 0;
    let seenNeither = 0;
    for (let i = 0; i < 40; i++) {
      const angle = (i * 137.5 * Math.PI) / 180;
      const dist = 200 + ((i * 397) % 7800);
      const origin = offsetMeters(centre, Math.sin(angle) * dist, Math.cos(angle) * dist);
      for (const radius of [500, 1000, 2000, 5000]) {
        const res = await viewer.agent.get(`/api/feed?lat=${origin.lat}&lon=${origin.lon}&radius=${radius}&limit=100`).expect(200);
        const found = ids.map((id) => res.body.items.find((p: { id: string }) => p.id === id));
        expect(Boolean(found[0]), `origin ${i} r=${radius}`).toBe(Boolean(found[1]));
        if (found[0]) {
          seenTogether++;
          expect(found[0].distance).toBe(found[1].distance);
          expect(found[0].cell).toBe(found[1].cell);
          expect(found[0].centroid).toEqual(found[1].centroid);
        } else seenNeither++;
      }
    }
    // the sweep really crossed the membership boundary
    expect(seenTogether).toBeGreaterThan(10);
    expect(seenNeither).toBeGreaterThan(10);
  });

  it('puts both on the same res-9 and res-8 boards, never on their exact cells', async () => {
    const boards = new Set<string>();
    for (const p of points) {
      const exact9 = pointToCell(p, 9);
      const exactBoard = await request(t.app).get(`/api/cells/${exact9}/posts`).expect(200);
      const leaked = exactBoard.body.items.filter((x: { id: string }) => ids.includes(x.id));
      // Only the display cell's centre child holds them; that is the same cell for both.
      if (leaked.length) boards.add(exact9);
    }
    expect(boards.size).toBeLessThanOrEqual(1);
    const rows = await t.db('posts').whereIn('id', ids).select('h3_9', 'h3_8', 'h3_7', 'display_cell', t.db.raw('ST_AsText(geom) AS geom'));
    expect(rows[0]).toEqual(rows[1]);
  });
});
