import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellParent, cellToBigint, pointToCell } from '../../src/geo/h3.ts';
import { makeTestApp, postBody as anyPostBody, randomPlace, signUp } from '../helpers.ts';
import { appoint, createTestCity, signUpAdmin, type TestCity } from '../moderation.fixtures.ts';

const t = makeTestApp();
let city: TestCity;
let mitteMod: Awaited<ReturnType<typeof signUp>>;
let pankowMod: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  city = await createTestCity(t.db);
  const admin = await signUpAdmin(t);
  [mitteMod, pankowMod] = await Promise.all([signUp(t.app), signUp(t.app)]);
  await appoint(admin.agent, city.mitte, mitteMod.handle);
  await appoint(admin.agent, city.pankow, pankowMod.handle);
});
afterAll(() => t.close());

// Posts here are placed at precision 9, so their res-7 cell is exactly the res-7 parent of the point's res-9 cell. (At
// the default precision 8 a post's res-7 cell is the parent of its res-8 cell, which near a cell edge need not be the
// one computed here: H3 parents do not nest exactly, and a random test city sometimes put the point there.)
const postBody = (p: { lat: number; lon: number }, extra: Record<string, unknown> = {}) => anyPostBody(p, { precision: 9, ...extra });
const cell7At = (p: { lat: number; lon: number }) => cellParent(pointToCell(p, 9), 7);
const today = () => new Date().toISOString().slice(0, 10);

describe('slow mode', () => {
  it('is set by a moderator of the cell’s region (404 elsewhere), limits each person, and is lifted by hand', async () => {
    const cell = cell7At(city.points.mitteA);
    await pankowMod.agent.put(`/api/moderation/cells/${cell}/slow-mode`).send({ minutes: 30, hours: 2, reasonText: 'Heated thread' }).expect(404);
    const set = await mitteMod.agent
      .put(`/api/moderation/cells/${cell}/slow-mode`)
      .send({ minutes: 30, hours: 2, reasonText: 'Heated thread' })
      .expect(200);
    expect(set.body).toMatchObject({ active: true, minutes: 30, automatic: false });
    expect((await request(t.app).get(`/api/cells/${cell}/slow-mode`).expect(200)).body.active).toBe(true);

    const a = await signUp(t.app);
    const b = await signUp(t.app);
    await a.agent.post('/api/posts').send(postBody(city.points.mitteA)).expect(201);
    const again = await a.agent.post('/api/posts').send(postBody(city.points.mitteA)).expect(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(25 * 60);
    await b.agent.post('/api/posts').send(postBody(city.points.mitteA)).expect(201);
    // elsewhere, no limit
    await a.agent.post('/api/posts').send(postBody(city.points.pankowA)).expect(201);

    await mitteMod.agent.delete(`/api/moderation/cells/${cell}/slow-mode`).expect(200);
    await a.agent.post('/api/posts').send(postBody(city.points.mitteA)).expect(201);
  });

  it('switches on by itself when a cell posts far above its own usual rate, not when it is merely busy', async () => {
    const spiking = randomPlace();
    const busy = randomPlace();
    const spikeCell = cellToBigint(cell7At(spiking)).toString();
    const busyCell = cellToBigint(cell7At(busy)).toString();
    // the busy cell usually has 10 posts a day; both have 60 today (as the rollups count them)
    const rows = [];
    for (let d = 1; d <= 28; d++)
      rows.push({ h3_7: busyCell, day: new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10), posts: 10, authors: 10 });
    await t.db('cell_day').insert(rows);
    await t.db('cell_day').insert([
      { h3_7: spikeCell, day: today(), posts: 60, authors: 40 },
      { h3_7: busyCell, day: today(), posts: 60, authors: 40 },
    ]);
    const writer = await signUp(t.app);
    await writer.agent.post('/api/posts').send(postBody(spiking)).expect(201);
    await writer.agent.post('/api/posts').send(postBody(spiking)).expect(429);
    const mode = await request(t.app)
      .get(`/api/cells/${cell7At(spiking)}/slow-mode`)
      .expect(200);
    expect(mode.body).toMatchObject({ active: true, automatic: true, minutes: 10 });

    await writer.agent.post('/api/posts').send(postBody(busy)).expect(201);
    await writer.agent.post('/api/posts').send(postBody(busy)).expect(201);
    expect(
      (
        await request(t.app)
          .get(`/api/cells/${cell7At(busy)}/slow-mode`)
          .expect(200)
      ).body.active,
    ).toBe(false);
  });

  it('lets new accounts put only a couple of links in a post', async () => {
    const fresh = await signUp(t.app);
    const spam = 'Deals! https://a.example https://b.example www.c.example';
    const res = await fresh.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { body: spam }))
      .expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body.body');
    await fresh.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { body: 'See https://a.example' }))
      .expect(201);
    const old = await signUp(t.app);
    await t
      .db('users')
      .where({ id: old.user.id })
      .update({ created_at: new Date(Date.now() - 30 * 86_400_000) });
    await old.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { body: spam }))
      .expect(201);
  });
});
