import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { bigintToCell, cellAreaM2 } from '../../src/geo/h3.ts';
import { offsetMeters, postBody, randomPlace, signUp } from '../helpers.ts';
import { createRegionAround, makeSearchTestApp } from '../search.helpers.ts';

const t = makeSearchTestApp();
afterAll(() => t.close());

interface Feature {
  id: string;
  geometry: { type: string; coordinates: number[][][] };
  properties: { cell: string; count: number; value: number; households?: number };
}

function bboxAround(p: { lat: number; lon: number }, meters = 3000): string {
  const sw = offsetMeters(p, -meters, -meters);
  const ne = offsetMeters(p, meters, meters);
  return [sw.lon, sw.lat, ne.lon, ne.lat].map((v) => v.toFixed(6)).join(',');
}

const hexagons = (query: string) => request(t.app).get(`/api/hexagons?${query}`);
const featureOf = (body: { features: Feature[] }, cell: string) => body.features.find((f) => f.id === cell);

type Agent = Awaited<ReturnType<typeof signUp>>['agent'];

/** n different people post once each at the same spot; returns their agents and the posts' cells. */
async function crowd(n: number, at: { lat: number; lon: number }, extra: Record<string, unknown> = {}) {
  const agents: Agent[] = [];
  let firstId = '';
  for (let i = 0; i < n; i++) {
    const { agent } = await signUp(t.app);
    agents.push(agent);
    const id = (
      await agent
        .post('/api/posts')
        .send(postBody(at, { precision: 9, ...extra }))
        .expect(201)
    ).body.id;
    firstId ||= id;
  }
  const row = await t.db('posts').where({ id: firstId }).first('h3_7', 'h3_8');
  return { agents, cell7: bigintToCell(row.h3_7), cell8: bigintToCell(row.h3_8) };
}

describe('interest heat map', () => {
  it('hides a cell with 9 distinct people and shows it with 10', async () => {
    const here = randomPlace();
    const { agents, cell7, cell8 } = await crowd(9, here);
    // many posts by the same people do not make a crowd
    for (let i = 0; i < 5; i++)
      await agents[0]!
        .post('/api/posts')
        .send(postBody(here, { precision: 9 }))
        .expect(201);
    for (const res of [7, 8]) {
      const hidden = await hexagons(`bbox=${bboxAround(here)}&res=${res}`).expect(200);
      expect(featureOf(hidden.body, res === 7 ? cell7 : cell8), `res ${res}`).toBeUndefined();
    }

    await crowd(1, here);
    const shown = await hexagons(`bbox=${bboxAround(here)}&res=8`).expect(200);
    expect(shown.headers['content-type']).toMatch(/application\/json/);
    expect(shown.body).toMatchObject({ type: 'FeatureCollection', metric: 'posts', res: 8, minPeople: 10 });
    const feature = featureOf(shown.body, cell8)!;
    expect(feature.properties).toEqual({ cell: cell8, count: 15, value: 15 });
    expect(feature.geometry.type).toBe('Polygon');
    expect(feature.geometry.coordinates[0]).toHaveLength(7); // closed hexagon ring
    expect(feature.geometry.coordinates[0]![0]).toEqual(feature.geometry.coordinates[0]![6]);
    expect(shown.body.maxValue).toBeGreaterThanOrEqual(15);

    const people = await hexagons(`bbox=${bboxAround(here)}&res=8&metric=people`).expect(200);
    expect(featureOf(people.body, cell8)!.properties.count).toBe(10);
    const coarse = await hexagons(`bbox=${bboxAround(here)}&res=7`).expect(200);
    expect(featureOf(coarse.body, cell7)!.properties.count).toBe(15);
  });

  it('counts a tag per res-7 cell, only where the cell is anonymous enough', async () => {
    const here = randomPlace();
    const { cell7 } = await crowd(10, here, { tags: ['flohmarkt'] });
    const res = await hexagons(`bbox=${bboxAround(here)}&res=7&metric=tag:flohmarkt`).expect(200);
    expect(featureOf(res.body, cell7)!.properties.count).toBe(10);
    const other = await hexagons(`bbox=${bboxAround(here)}&res=7&metric=tag:nothing-here`).expect(200);
    expect(other.body.features).toEqual([]);
    await hexagons(`bbox=${bboxAround(here)}&res=8&metric=tag:flohmarkt`).expect(422);
  });

  it('normalises by households where a region has a figure', async () => {
    const here = randomPlace();
    await createRegionAround(t.db, here, 2500, 4000);
    const { cell8 } = await crowd(10, here);
    const res = await hexagons(`bbox=${bboxAround(here)}&res=8&metric=per_household`).expect(200);
    const f = featureOf(res.body, cell8)!;
    // 4000 households spread over the 5 km × 5 km square
    const expectedHouseholds = (4000 / 25_000_000) * cellAreaM2(cell8);
    expect(f.properties.count).toBe(10);
    // (the square drawn in metres is only approximately 25 km² on the spheroid)
    expect(Math.abs(f.properties.households! / expectedHouseholds - 1)).toBeLessThan(0.02);
    expect(Math.abs(f.properties.value / ((10 / expectedHouseholds) * 1000) - 1)).toBeLessThan(0.02);
  });

  it('leaves precision-7 posts out of res 8 (they would all pile up in one centre cell)', async () => {
    const here = randomPlace();
    const { cell7, cell8 } = await crowd(10, here, { precision: 7 });
    expect(featureOf((await hexagons(`bbox=${bboxAround(here)}&res=7`).expect(200)).body, cell7)!.properties.count).toBe(10);
    expect(featureOf((await hexagons(`bbox=${bboxAround(here)}&res=8`).expect(200)).body, cell8)).toBeUndefined();
  });

  it('bounds the bbox and validates every parameter', async () => {
    const city = '13.08,52.33,13.77,52.68'; // Berlin
    await hexagons(`bbox=${city}&res=8`).expect(200);
    const surroundings = '12.5,52.0,14.3,53.0'; // Berlin and much of Brandenburg: ~18 000 res-8 cells, ~2 600 at res 7
    const big = await hexagons(`bbox=${surroundings}&res=8`).expect(422);
    expect(big.body.errors[0].field).toBe('query.bbox');
    await hexagons(`bbox=${surroundings}&res=7`).expect(200);
    await hexagons('bbox=5.9,47.3,15.0,55.0&res=7').expect(422); // Germany
    await hexagons('bbox=-180,-85,180,85&res=7').expect(422);
    await hexagons('bbox=13.77,52.33,13.08,52.68').expect(422); // west > east
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await hexagons(`bbox=${city}&since=${encodeURIComponent(future)}`).expect(422);
    await hexagons(`bbox=${city}&since=2000-01-01`).expect(422);
    await hexagons(`bbox=${city}&since=${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}`).expect(200);
    for (const q of [
      '',
      'bbox=1,2,3',
      'bbox=a,b,c,d',
      'bbox=1,2,3,4,5',
      `bbox=${city}&res=9`,
      `bbox=${city}&metric=tag:`,
      `bbox=${city}&metric=tag:"x" OR 1`,
      `bbox=${city}&metric=sum`,
      'bbox=0,-90,1,-89',
      `bbox=${city}&since=yesterday`,
    ]) {
      const res = await hexagons(q);
      expect(res.status, q).toBe(400);
      expect(res.headers['content-type'], q).toMatch(/problem\+json/);
    }
  });
});
