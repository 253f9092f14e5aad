import { afterAll, describe, expect, it } from 'vitest';
import { HOME_MOVE_WAIT_DAYS, HOME_MOVES_PER_30_DAYS } from '../../src/contract/limits.ts';
import { makeTestApp, offsetMeters, postBody, randomPlace, signUp } from '../helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

describe('homes decide audiences, so moving is slow and rare', () => {
  it('a first home counts at once; a move across town counts only after the waiting period', async () => {
    const author = await signUp(t.app);
    const here = randomPlace();
    const far = offsetMeters(here, 30_000, 0);
    const secret = (
      await author.agent
        .post('/api/posts')
        .send(postBody(here, { audience: 'neighbors' }))
        .expect(201)
    ).body.id;

    // a resident next door: first home, counts immediately
    const neighbour = await signUp(t.app);
    const first = await neighbour.agent
      .put('/api/me/home')
      .send(offsetMeters(here, 100, 0))
      .expect(200);
    expect(first.body.user.audienceHomeCell).toBe(first.body.user.homeCell);
    await neighbour.agent.get(`/api/posts/${secret}`).expect(200);

    // a stranger living far away moves next door: the new home is declared, the old one still counts
    const stranger = await signUp(t.app);
    const home = await stranger.agent.put('/api/me/home').send(far).expect(200);
    const moved = await stranger.agent
      .put('/api/me/home')
      .send(offsetMeters(here, 100, 0))
      .expect(200);
    expect(moved.body.user.homeCell).not.toBe(home.body.user.homeCell);
    expect(moved.body.user.audienceHomeCell).toBe(home.body.user.homeCell);
    const countsFrom = Date.parse(moved.body.user.homeCountsFrom);
    expect(countsFrom - Date.now()).toBeGreaterThan((HOME_MOVE_WAIT_DAYS - 1) * 86_400_000);
    expect(countsFrom - Date.now()).toBeLessThanOrEqual(HOME_MOVE_WAIT_DAYS * 86_400_000);
    await stranger.agent.get(`/api/posts/${secret}`).expect(404);
    const feed = await stranger.agent.get('/api/feed').query({ lat: here.lat, lon: here.lon, radius: 1000 }).expect(200);
    expect(feed.body.items.map((p: { id: string }) => p.id)).not.toContain(secret);
    expect((await stranger.agent.get('/api/me').expect(200)).body.user).toMatchObject({
      homeCell: moved.body.user.homeCell,
      audienceHomeCell: home.body.user.homeCell,
    });

    // the waiting period passes
    await t
      .db('home_moves')
      .where({ user_id: stranger.user.id })
      .update({ effective_at: t.db.raw(`now() - interval '1 second'`) });
    await stranger.agent.get(`/api/posts/${secret}`).expect(200);
    expect((await stranger.agent.get('/api/me').expect(200)).body.user.audienceHomeCell).toBe(moved.body.user.homeCell);
  });

  it(`allows ${HOME_MOVES_PER_30_DAYS} moves in 30 days, then answers 429 with Retry-After; the same home again is no move`, async () => {
    const { agent } = await signUp(t.app);
    const base = randomPlace();
    await agent.put('/api/me/home').send(base).expect(200); // the first home is not a move
    for (let i = 1; i <= HOME_MOVES_PER_30_DAYS; i++) {
      await agent
        .put('/api/me/home')
        .send(offsetMeters(base, i * 2000, 0))
        .expect(200);
      await agent
        .put('/api/me/home')
        .send(offsetMeters(base, i * 2000, 0))
        .expect(200); // unchanged: free
    }
    const refused = await agent
      .put('/api/me/home')
      .send(offsetMeters(base, 50_000, 0))
      .expect(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    const retry = Number(refused.headers['retry-after']);
    expect(retry).toBeGreaterThan(29 * 86_400);
    expect(retry).toBeLessThanOrEqual(30 * 86_400);
    expect(refused.body.detail).toMatch(/at most 2 times in 30 days/);
  });
});
