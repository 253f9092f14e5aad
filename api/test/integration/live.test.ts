import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellParent, cellToBigint, pointToCell } from '../../src/geo/h3.ts';
import type { createApp } from '../../src/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { offsetMeters, PASSWORD, postBody, postCellsAt, randomPlace, testConfig, uniqueHandle } from '../helpers.ts';
import { openStream, startLiveServer, stopLiveServer, type LiveTestServer, postIds, type SseStream } from '../sse.helpers.ts';

// Live updates over SSE on a real server (one process here; live-processes.test.ts runs two): what reaches whom (the
// audience policy on every event), a post page's comments and counts, Last-Event-ID resume and reload, heartbeats.

let live: LiveTestServer | undefined;
let db: Db;
let url: string;
let app: ReturnType<typeof createApp>;
const streams: SseStream[] = [];

beforeAll(async () => {
  live = await startLiveServer(testConfig({ LIVE_HEARTBEAT_SECONDS: '0.2', LIVE_STREAMS_PER_CLIENT: '100' }), 5);
  ({ app, db, url } = live);
});

afterAll(() => stopLiveServer(live, streams));

async function person(home?: { lat: number; lon: number }) {
  const handle = uniqueHandle('live');
  const agent = request.agent(app.app);
  const res = await agent
    .post('/api/auth/register')
    .send({ handle, displayName: `Live ${handle}`, email: `${handle}@example.test`, password: PASSWORD })
    .expect(201);
  const cookie = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
  if (home) await agent.put('/api/me/home').send(home).expect(200);
  return { agent, cookie, id: res.body.user.id as string };
}

async function stream(query: string, cookie?: string, lastEventId?: string) {
  const s = await openStream(`${url}/api/stream?${query}`, {
    ...(cookie ? { cookie } : {}),
    ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
  });
  streams.push(s);
  return s;
}

const atPlace = (p: { lat: number; lon: number }, radius = 1000) => `lat=${p.lat}&lon=${p.lon}&radius=${radius}`;
const isPost = (id: string) => (m: { event: string; data: unknown }) => m.event === 'post' && (m.data as { postId: string }).postId === id;

describe('GET /api/stream', () => {
  it('pushes new posts to streams watching their area, each only to viewers the audience policy lets see it', async () => {
    const place = randomPlace();
    const author = await person(place);
    const neighbour = await person(offsetMeters(place, 200, 0));
    const stranger = await person(offsetMeters(place, 30_000, 30_000));
    const toNeighbour = await stream(atPlace(place), neighbour.cookie);
    const toStranger = await stream(atPlace(place), stranger.cookie);
    const toAnonymous = await stream(atPlace(place));
    const elsewhere = await stream(atPlace(offsetMeters(place, 20_000, 0)), neighbour.cookie);
    for (const s of [toNeighbour, toStranger, toAnonymous, elsewhere]) await s.next((m) => m.event === 'ready');

    const { body: secret } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { audience: 'neighbors', title: 'Neighbours only' }))
      .expect(201);
    const { body: open } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { title: 'For everyone' }))
      .expect(201);

    const seen = await toNeighbour.next(isPost(open.id));
    expect(seen.data).toMatchObject({ postId: open.id, kind: 'post', title: 'For everyone' });
    expect(JSON.stringify(seen.data)).not.toContain(String(place.lat).slice(0, 7)); // no exact point, only the cell
    await toStranger.next(isPost(open.id));
    await toAnonymous.next(isPost(open.id));
    // ids arrive in commit order: the public post came after the neighbours-only one, so by now that one was decided
    expect(postIds(toNeighbour)).toEqual([secret.id, open.id]);
    expect(postIds(toStranger)).toEqual([open.id]);
    expect(postIds(toAnonymous)).toEqual([open.id]);

    // a stream 20 km away sees neither; a post there arrives, proving the stream is live
    const { body: far } = await author.agent
      .post('/api/posts')
      .send(postBody(offsetMeters(place, 20_000, 0)))
      .expect(201);
    await elsewhere.next(isPost(far.id));
    expect(postIds(elsewhere)).toEqual([far.id]);
  });

  it('watches cells of resolution 7 to 9 as given', async () => {
    const place = randomPlace();
    const author = await person();
    const cell7 = postCellsAt(place).h3_7;
    const s = await stream(`cells=${cell7}`);
    await s.next((m) => m.event === 'ready');
    const { body: inside } = await author.agent.post('/api/posts').send(postBody(place)).expect(201);
    const m = await s.next(isPost(inside.id));
    expect((m.data as { cell: string }).cell).toMatch(/^[0-9a-f]{15}$/);
  });

  it('updates a post page: new comments and reaction counts, only for who may open the post', async () => {
    const place = randomPlace();
    const author = await person(place);
    const reader = await person(offsetMeters(place, 100, 100));
    const { body: post } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { audience: 'neighbors' }))
      .expect(201);
    const page = await stream(`post=${post.id}`, reader.cookie);
    await page.next((m) => m.event === 'ready');

    await reader.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'Saw the cat at the Späti!' }).expect(201);
    const comment = await page.next((m) => m.event === 'comment');
    expect(comment.data).toMatchObject({
      postId: post.id,
      comment: { body: 'Saw the cat at the Späti!', author: { displayName: expect.stringContaining('Live') } },
    });

    await reader.agent.put(`/api/posts/${post.id}/reactions/thanks`).expect(200);
    const counts = await page.next((m) => m.event === 'reactions');
    expect(counts.data).toEqual({ postId: post.id, reactionCounts: { plus_one: 0, me_too: 0, thanks: 1 } });

    // somebody who may not open the post cannot follow it: 404 as for a post that does not exist
    const stranger = await person(offsetMeters(place, 40_000, 0));
    const refused = await stream(`post=${post.id}`, stranger.cookie);
    const missing = await stream(`post=999999999999`, stranger.cookie);
    expect(refused.status).toBe(404);
    expect(missing.status).toBe(404);
  });

  it('resumes with Last-Event-ID: exactly the events missed, in order, then live', async () => {
    const place = randomPlace();
    const author = await person();
    const first = await stream(atPlace(place));
    await first.next((m) => m.event === 'ready');
    const { body: p1 } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { title: 'one' }))
      .expect(201);
    await first.next(isPost(p1.id));
    const resumeFrom = first.lastEventId()!;
    first.close();

    const { body: p2 } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { title: 'two' }))
      .expect(201);
    const { body: p3 } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { title: 'three' }))
      .expect(201);
    const again = await stream(atPlace(place), undefined, resumeFrom);
    await again.next(isPost(p3.id));
    const { body: p4 } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { title: 'four' }))
      .expect(201);
    await again.next(isPost(p4.id));
    expect(postIds(again)).toEqual([p2.id, p3.id, p4.id]);
  });

  it('says "reload" when the gap cannot be filled (an id it never issued, or older than the kept window)', async () => {
    const future = await stream(atPlace(randomPlace()), undefined, '999999999999999');
    const reload = await future.next((m) => m.event === 'reload');
    expect(reload.id).toMatch(/^\d+$/);
    const garbage = await stream(atPlace(randomPlace()), undefined, 'abc');
    await garbage.next((m) => m.event === 'reload');

    const author = await person();
    const place = randomPlace();
    await author.agent.post('/api/posts').send(postBody(place)).expect(201);
    await author.agent.post('/api/posts').send(postBody(place)).expect(201);
    const { maxId } = await app.repositories.events.bounds();
    const old = String(BigInt(maxId) - 1n);
    // the window ends: everything but the newest event is purged
    await db.raw(`UPDATE events SET created_at = now() - interval '2 days' WHERE id < ?`, [maxId]);
    expect(await app.repositories.events.purgeOlderThan(3600)).toBeGreaterThan(0);
    const stale = await stream(atPlace(place), undefined, String(BigInt(old) - 1n));
    await stale.next((m) => m.event === 'reload');
    // one still in the window resumes normally
    const fresh = await stream(atPlace(place), undefined, old);
    const ready = await fresh.next((m) => m.event === 'ready' || m.event === 'reload' || m.event === 'post');
    expect(ready.event).not.toBe('reload');
  });

  it('tells a signed-in stream when its viewer got a notification (the bell refreshes)', async () => {
    const place = randomPlace();
    const author = await person();
    const other = await person();
    const { body: post } = await author.agent.post('/api/posts').send(postBody(place)).expect(201);
    const own = await stream('notifications=1', author.cookie);
    expect((await request(app.app).get('/api/stream?notifications=1')).status).toBe(401);
    const bystander = await stream(`post=${post.id}`, other.cookie);
    await own.next((m) => m.event === 'ready');
    await bystander.next((m) => m.event === 'ready');
    await other.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'Hello!' }).expect(201);
    await app.notificationWorker.runOnce();
    await own.next((m) => m.event === 'notifications');
    await bystander.next((m) => m.event === 'comment');
    expect(bystander.messages.some((m) => m.event === 'notifications')).toBe(false);
  });

  it('sends heartbeats to idle streams', async () => {
    const s = await stream(atPlace(randomPlace()));
    await s.next((m) => m.event === 'ready');
    await expect.poll(() => s.raw().includes(': heartbeat'), { timeout: 10_000 }).toBe(true);
  });

  it('refuses a stream without a watch or with bad cells as problem+json', async () => {
    for (const q of [
      '',
      'cells=zzz',
      `cells=${cellParent(pointToCell(randomPlace(), 9), 5)}`,
      'lat=52.5',
      'post=abc',
      'radius=7&lat=1&lon=1',
      'unknown=1',
    ]) {
      const res = await request(app.app).get(`/api/stream?${q}`).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(cellToBigint(pointToCell(randomPlace(), 9))).toBeTypeOf('bigint');
  });
});
