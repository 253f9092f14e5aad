import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { NOTIFICATION_KINDS } from '../../src/contract/limits.ts';
import { createDb, type Db } from '../../src/db/knex.ts';
import { createLogger } from '../../src/http/observability.ts';
import { offsetMeters, PASSWORD, postBody, randomPlace, testConfig, uniqueHandle } from '../helpers.ts';

// The notification centre: the worker turns comment and reaction events into rows for the right people (never the
// actor), batches reactions, honours preferences; unread count, mark read, and nobody reads another's notifications.

let db: Db;
let app: ReturnType<typeof createApp>;

beforeAll(() => {
  const config = testConfig();
  db = createDb(config.DATABASE_URL, 5);
  app = createApp({ config, db, logger: createLogger('silent') });
});

afterAll(async () => {
  await db.destroy();
});

async function person() {
  const handle = uniqueHandle('nt');
  const agent = request.agent(app.app);
  await agent
    .post('/api/auth/register')
    .send({ handle, displayName: `N ${handle}`, email: `${handle}@example.test`, password: PASSWORD })
    .expect(201);
  return { agent, handle };
}

const inbox = async (p: { agent: request.Agent }) => (await p.agent.get('/api/notifications').expect(200)).body;

describe('notifications', () => {
  it('tells a post author about comments and earlier commenters about replies; never the actor', async () => {
    const author = await person();
    const first = await person();
    const second = await person();
    const { body: post } = await author.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { title: 'Lost cat Minka' }))
      .expect(201);
    await first.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'I saw her!' }).expect(201);
    await author.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'Where?' }).expect(201);
    await second.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'Near the Späti' }).expect(201);
    await app.notificationWorker.runOnce();

    const mine = await inbox(author);
    expect(mine.unread).toBe(2);
    expect(mine.items.map((n: { kind: string; actor: { handle: string } }) => [n.kind, n.actor.handle])).toEqual([
      ['comment', second.handle],
      ['comment', first.handle],
    ]);
    expect(mine.items[0]).toMatchObject({ postId: post.id, postTitle: 'Lost cat Minka', read: false });
    // the first commenter hears about every later comment, the author's included
    const firstInbox = await inbox(first);
    expect(firstInbox.items.map((n: { kind: string; actor: { handle: string } }) => [n.kind, n.actor.handle])).toEqual([
      ['reply', second.handle],
      ['reply', author.handle],
    ]);
    expect((await inbox(second)).items).toEqual([]);
    // running again finds nothing new: no duplicates
    await app.notificationWorker.runOnce();
    expect((await inbox(author)).unread).toBe(2);
  });

  it('never tells an earlier commenter about a post they may no longer read (the audience policy decides)', async () => {
    const place = randomPlace();
    const author = await person();
    await author.agent.put('/api/me/home').send(place).expect(200);
    const neighbour = await person();
    await neighbour.agent
      .put('/api/me/home')
      .send(offsetMeters(place, 200, 0))
      .expect(200);
    const visitor = await person();
    const { body: post } = await author.agent.post('/api/posts').send(postBody(place)).expect(201);
    await visitor.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'visiting' }).expect(201);
    await author.agent.patch(`/api/posts/${post.id}`).send({ audience: 'neighbors' }).expect(200);
    await neighbour.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'neighbour here' }).expect(201);
    await app.notificationWorker.runOnce();
    expect((await inbox(visitor)).items).toEqual([]);
    expect((await inbox(author)).items.map((n: { actor: { handle: string } }) => n.actor.handle)).toEqual([neighbour.handle, visitor.handle]);
  });

  it('batches reactions per post, and ignores a reaction taken back', async () => {
    const author = await person();
    const { body: post } = await author.agent.post('/api/posts').send(postBody(randomPlace())).expect(201);
    const fans = await Promise.all([person(), person(), person()]);
    for (const f of fans) await f.agent.put(`/api/posts/${post.id}/reactions/thanks`).expect(200);
    await author.agent.put(`/api/posts/${post.id}/reactions/thanks`).expect(200); // own reaction: no news
    const fickle = await person();
    await fickle.agent.put(`/api/posts/${post.id}/reactions/plus_one`).expect(200);
    await fickle.agent.delete(`/api/posts/${post.id}/reactions/plus_one`).expect(200);
    await app.notificationWorker.runOnce();
    const { items, unread } = await inbox(author);
    expect(unread).toBe(1);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'reaction', count: 3, postId: post.id });

    // once read, the next reaction starts a new batch
    await author.agent.post('/api/notifications/read').send({}).expect(200, { unread: 0 });
    await (await person()).agent.put(`/api/posts/${post.id}/reactions/me_too`).expect(200);
    await app.notificationWorker.runOnce();
    const after = await inbox(author);
    expect(after.unread).toBe(1);
    expect(after.items.map((n: { count: number; read: boolean }) => [n.count, n.read])).toEqual([
      [1, false],
      [3, true],
    ]);
  });

  it("tells an event's author about RSVPs, batched per event", async () => {
    const author = await person();
    const start = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const { body: event } = await author.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { kind: 'event', eventStartsAt: start, eventPlace: 'Hof' }))
      .expect(201);
    const guests = [await person(), await person()];
    for (const g of guests) await g.agent.put(`/api/posts/${event.id}/rsvp`).send({ status: 'going' }).expect(200);
    const flaky = await person();
    await flaky.agent.put(`/api/posts/${event.id}/rsvp`).send({ status: 'maybe' }).expect(200);
    await flaky.agent.delete(`/api/posts/${event.id}/rsvp`).expect(200);
    await app.notificationWorker.runOnce();
    const { items } = await inbox(author);
    expect(items.map((n: { kind: string; count: number; actor: { handle: string } }) => [n.kind, n.count, n.actor.handle])).toEqual([
      ['rsvp', 2, guests[1]!.handle],
    ]);
  });

  it('marks read by id (only my own) and honours per-kind preferences', async () => {
    const author = await person();
    const other = await person();
    const { body: post } = await author.agent.post('/api/posts').send(postBody(randomPlace())).expect(201);
    await other.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'one' }).expect(201);
    await other.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'two' }).expect(201);
    await app.notificationWorker.runOnce();
    const { items } = await inbox(author);
    expect(items).toHaveLength(2);
    // another user cannot mark my notification read
    await other.agent
      .post('/api/notifications/read')
      .send({ ids: [items[0].id] })
      .expect(200);
    expect((await author.agent.get('/api/notifications/unread').expect(200)).body).toEqual({ unread: 2 });
    await author.agent
      .post('/api/notifications/read')
      .send({ ids: [items[0].id] })
      .expect(200, { unread: 1 });

    // every kind is on until switched off (built from the list: parts of issue 13 add kinds)
    const allOn = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, true]));
    expect((await author.agent.get('/api/notifications/preferences').expect(200)).body).toEqual(allOn);
    await author.agent
      .patch('/api/notifications/preferences')
      .send({ comment: false })
      .expect(200, { ...allOn, comment: false });
    await other.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'three' }).expect(201);
    await other.agent.put(`/api/posts/${post.id}/reactions/thanks`).expect(200);
    await app.notificationWorker.runOnce();
    const kinds = (await inbox(author)).items.map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(['reaction', 'comment', 'comment']);
  });

  it('needs a session and validates input', async () => {
    await request(app.app).get('/api/notifications').expect(401);
    const p = await person();
    await p.agent
      .post('/api/notifications/read')
      .send({ ids: ['x'] })
      .expect(422);
    await p.agent.patch('/api/notifications/preferences').send({ comment: 'yes' }).expect(422);
    await p.agent.patch('/api/notifications/preferences').send({ unknown: true }).expect(422);
  });
});
