import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createDb, type Db } from '../../src/db/knex.ts';
import { cellParent, pointToCell } from '../../src/geo/h3.ts';
import { createLogger } from '../../src/http/observability.ts';
import { offsetMeters, PASSWORD, postBody, postCellsAt, randomPlace, testConfig, uniqueHandle } from '../helpers.ts';

// Area subscriptions: matching new posts (area, kinds, tags) notify the subscriber — only when the audience policy lets
// them see the post, never for their own; subscriptions are private to their owner.

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

async function person(home?: { lat: number; lon: number }) {
  const handle = uniqueHandle('sub');
  const agent = request.agent(app.app);
  await agent
    .post('/api/auth/register')
    .send({ handle, displayName: `S ${handle}`, email: `${handle}@example.test`, password: PASSWORD })
    .expect(201);
  if (home) await agent.put('/api/me/home').send(home).expect(200);
  return { agent, handle };
}

const areaPosts = async (p: { agent: request.Agent }) =>
  ((await p.agent.get('/api/notifications').expect(200)).body.items as { kind: string; postId: string }[])
    .filter((n) => n.kind === 'area_post')
    .map((n) => n.postId);

describe('area subscriptions', () => {
  it('notify about matching new posts in the cells, by kind and tag', async () => {
    const place = randomPlace();
    const cell7 = postCellsAt(place).h3_7;
    const watcher = await person();
    const author = await person();
    const { body: sub } = await watcher.agent
      .post('/api/subscriptions')
      .send({ name: 'My street', cells: [cell7], kinds: ['lost_found', 'alert'] })
      .expect(201);
    expect(sub).toMatchObject({ name: 'My street', cells: [cell7], kinds: ['lost_found', 'alert'], tags: [] });
    const { body: tagged } = await watcher.agent
      .post('/api/subscriptions')
      .send({ name: 'Cats', cells: [cell7], tags: ['katze'] })
      .expect(201);

    const { body: lost } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { kind: 'lost_found', tags: ['fahrrad'] }))
      .expect(201);
    const { body: chat } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { kind: 'post', tags: ['kiez'] }))
      .expect(201);
    const { body: cat } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { kind: 'question', tags: ['katze'] }))
      .expect(201);
    await author.agent
      .post('/api/posts')
      .send(postBody(offsetMeters(place, 30_000, 0), { kind: 'lost_found', tags: ['katze'] }))
      .expect(201);
    const { body: own } = await watcher.agent
      .post('/api/posts')
      .send(postBody(place, { kind: 'lost_found' }))
      .expect(201);
    await app.notificationWorker.runOnce();

    // not the chat (kind not chosen, tag not chosen), not the far one, not their own
    expect(await areaPosts(watcher)).toEqual([cat.id, lost.id]);
    expect([chat.id, own.id]).not.toContain(cat.id);

    // unsubscribed: no more (what was notified stays)
    await watcher.agent.delete(`/api/subscriptions/${tagged.id}`).expect(204);
    await author.agent
      .post('/api/posts')
      .send(postBody(place, { kind: 'question', tags: ['katze'] }))
      .expect(201);
    await app.notificationWorker.runOnce();
    expect(await areaPosts(watcher)).toEqual([cat.id, lost.id]);
  });

  it('a neighbours-only post reaches subscribed neighbours, never a subscribed stranger', async () => {
    const place = randomPlace();
    const cell7 = postCellsAt(place).h3_7;
    const author = await person(place);
    const neighbour = await person(offsetMeters(place, 300, 0));
    const stranger = await person(offsetMeters(place, 40_000, 0));
    for (const p of [neighbour, stranger])
      await p.agent
        .post('/api/subscriptions')
        .send({ name: 'There', cells: [cell7] })
        .expect(201);
    const { body: secret } = await author.agent
      .post('/api/posts')
      .send(postBody(place, { audience: 'neighbors' }))
      .expect(201);
    const { body: open } = await author.agent.post('/api/posts').send(postBody(place)).expect(201);
    await app.notificationWorker.runOnce();
    expect(await areaPosts(neighbour)).toEqual([open.id, secret.id]);
    expect(await areaPosts(stranger)).toEqual([open.id]);
  });

  it('are private to their owner and validated', async () => {
    const owner = await person();
    const other = await person();
    const cell = pointToCell(randomPlace(), 8);
    const { body: sub } = await owner.agent
      .post('/api/subscriptions')
      .send({ name: 'Mine', cells: [cell] })
      .expect(201);
    expect((await other.agent.get('/api/subscriptions').expect(200)).body.items).toEqual([]);
    await other.agent.delete(`/api/subscriptions/${sub.id}`).expect(404);
    await owner.agent.delete('/api/subscriptions/999999999999').expect(404);
    expect((await owner.agent.get('/api/subscriptions').expect(200)).body.items.map((s: { id: string }) => s.id)).toEqual([sub.id]);
    await owner.agent
      .post('/api/subscriptions')
      .send({ name: 'Too coarse', cells: [cellParent(cell, 5)] })
      .expect(422);
    await owner.agent.post('/api/subscriptions').send({ name: 'No cells', cells: [] }).expect(422);
    await owner.agent
      .post('/api/subscriptions')
      .send({ name: 'x', cells: [cell], kinds: ['nope'] })
      .expect(422);
    await request(app.app).get('/api/subscriptions').expect(401);
  });
});
