import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, offsetMeters, postBody, randomPlace, signUp } from '../helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

const feed = (p: { lat: number; lon: number }, extra = '') => request(t.app).get(`/api/feed?lat=${p.lat}&lon=${p.lon}${extra}`);

describe('neighbourhood feed', () => {
  it('shows a post 300 m away but not 8 km away, without exact coordinates', async () => {
    const { agent } = await signUp(t.app);
    const home = randomPlace();
    const { body: post } = await agent
      .post('/api/posts')
      .send(postBody(home, { precision: 9 }))
      .expect(201);
    const near = await feed(offsetMeters(home, 300, 0), '&radius=1000').expect(200);
    const item = near.body.items.find((p: { id: string }) => p.id === post.id);
    expect(item).toBeDefined();
    expect(item.distance).toMatch(/^<(500 m|1 km)$/);
    expect(item).not.toHaveProperty('location');
    expect(JSON.stringify(near.body)).not.toContain(String(home.lat));
    const far = await feed(offsetMeters(home, 8000, 0), '&radius=5000').expect(200);
    expect(far.body.items.map((p: { id: string }) => p.id)).not.toContain(post.id);
  });

  it('lists newest first and pages with a keyset cursor without gaps or repeats', async () => {
    const { agent } = await signUp(t.app);
    const home = randomPlace();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const spot = offsetMeters(home, (i % 3) * 150, (i % 2) * 150);
      ids.push(
        (
          await agent
            .post('/api/posts')
            .send(postBody(spot, { title: `p${i}`, precision: 9 }))
            .expect(201)
        ).body.id,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const extra: string = `&radius=1000&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await feed(home, extra).expect(200);
      seen.push(...res.body.items.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by kind and rejects tampered cursors', async () => {
    const { agent } = await signUp(t.app);
    const home = randomPlace();
    await agent
      .post('/api/posts')
      .send(postBody(home, { kind: 'alert', title: 'Water off' }))
      .expect(201);
    await agent
      .post('/api/posts')
      .send(postBody(home, { kind: 'question', title: 'Kita?' }))
      .expect(201);
    const alerts = await feed(home, '&kind=alert').expect(200);
    expect(alerts.body.items.map((p: { title: string }) => p.title)).toEqual(['Water off']);
    const page = await feed(home, '&limit=1').expect(200);
    const [payload, mac] = page.body.nextCursor.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), i: '1' })).toString('base64url');
    const bad = await feed(home, `&limit=1&cursor=${forged}.${mac}`).expect(400);
    expect(bad.body.errors[0].field).toBe('query.cursor');
    // a cursor from another list (other radius) is refused too
    await feed(home, `&limit=1&radius=5000&cursor=${encodeURIComponent(page.body.nextCursor)}`).expect(400);
  });

  it('rejects bad origins, radii and limits with field errors', async () => {
    for (const q of [
      'lat=91&lon=0',
      'lat=0&lon=181',
      'lat=&lon=1',
      'lat=1e3&lon=1',
      'lat=1&lon=1&radius=750',
      'lat=1&lon=1&limit=0',
      'lat=1&lon=1&limit=101',
      'lat=1&lon=1&evil=1',
      'lon=1',
    ]) {
      const res = await request(t.app).get(`/api/feed?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.errors.length, q).toBeGreaterThan(0);
    }
  });

  it('rate-limits many origin moves by one client', async () => {
    const limited = makeTestApp({ FEED_ORIGIN_MOVES_PER_10MIN: '5' });
    try {
      const base = randomPlace();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const p = offsetMeters(base, i * 1000, 0);
        statuses.push((await request(limited.app).get(`/api/feed?lat=${p.lat}&lon=${p.lon}`)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      // staying at the last accepted origin costs nothing
      const p = offsetMeters(base, 4000, 0);
      expect((await request(limited.app).get(`/api/feed?lat=${p.lat}&lon=${p.lon}`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('shows neighbours-only and region-only posts only to those who qualify', async () => {
    const author = await signUp(t.app);
    const home = randomPlace();
    const { body: post } = await author.agent
      .post('/api/posts')
      .send(postBody(home, { audience: 'neighbors' }))
      .expect(201);
    const stranger = await signUp(t.app);
    const neighbour = await signUp(t.app);
    await neighbour.agent
      .put('/api/me/home')
      .send(offsetMeters(home, 500, 0))
      .expect(200);
    const ids = async (agent: ReturnType<typeof request.agent> | ReturnType<typeof request>) =>
      (await agent.get(`/api/feed?lat=${home.lat}&lon=${home.lon}`).expect(200)).body.items.map((p: { id: string }) => p.id);
    expect(await ids(request(t.app))).not.toContain(post.id);
    expect(await ids(stranger.agent)).not.toContain(post.id);
    expect(await ids(neighbour.agent)).toContain(post.id);
    expect(await ids(author.agent)).toContain(post.id);
    await stranger.agent.get(`/api/posts/${post.id}`).expect(404);
    await neighbour.agent.get(`/api/posts/${post.id}`).expect(200);
  });
});

describe('cell boards', () => {
  it('lists a cell’s posts at each resolution and validates the cell', async () => {
    const { agent } = await signUp(t.app);
    const home = randomPlace();
    const { body: post } = await agent
      .post('/api/posts')
      .send(postBody(home, { precision: 8 }))
      .expect(201);
    const res = await request(t.app).get(`/api/cells/${post.cell}/posts`).expect(200);
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([post.id]);
    expect(res.body.cell).toBe(post.cell);
    await request(t.app).get('/api/cells/zzz/posts').expect(400);
    await request(t.app).get('/api/cells/8f1f1d48903ffff/posts').expect(400);
    const coarse = post.cell.replace(/^88/, '85');
    await request(t.app).get(`/api/cells/${coarse}/posts`).expect(400);
  });
});
