import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, postBody, randomPlace, signUp } from '../helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

describe('posts', () => {
  it('creates a post of each kind with its extras and shows the author the exact point', async () => {
    const { agent } = await signUp(t.app);
    const here = randomPlace();
    const kinds = [
      postBody(here, { kind: 'post' }),
      postBody(here, { kind: 'question' }),
      postBody(here, { kind: 'alert' }),
      postBody(here, { kind: 'lost_found' }),
      postBody(here, { kind: 'event', eventStartsAt: '2030-12-24T18:00:00+01:00' }),
      postBody(here, { kind: 'poll', pollOptions: ['Café A', 'Café B'] }),
    ];
    for (const body of kinds) {
      const res = await agent.post('/api/posts').send(body).expect(201);
      expect(res.body).toMatchObject({ kind: body.kind, isAuthor: true, location: here, precision: 8 });
    }
    const event = await agent.post('/api/posts').send(kinds[4]).expect(201);
    expect(event.body.eventStartsAt).toBe('2030-12-24T17:00:00.000Z');
    const poll = await agent.post('/api/posts').send(kinds[5]).expect(201);
    expect(poll.body.pollOptions).toEqual(['Café A', 'Café B']);
  });

  it('enforces kind-specific fields and limits', async () => {
    const { agent } = await signUp(t.app);
    const here = randomPlace();
    const cases: [Record<string, unknown>, string][] = [
      [postBody(here, { kind: 'poll' }), 'body.pollOptions'],
      [postBody(here, { kind: 'event' }), 'body.eventStartsAt'],
      [postBody(here, { kind: 'post', pollOptions: ['a', 'b'] }), 'body.pollOptions'],
      [postBody(here, { title: 'x'.repeat(141) }), 'body.title'],
      [postBody(here, { body: 'x'.repeat(5001) }), 'body.body'],
      [postBody(here, { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }), 'body.tags'],
      [postBody(here, { tags: ['Has Space'] }), 'body.tags.0'],
      [postBody({ lat: 91, lon: 0 }), 'body.location.lat'],
      [postBody(here, { precision: 6 }), 'body.precision'],
      [postBody(here, { kind: 'offer' }), 'body.kind'],
      [postBody(here, { authorId: '1' }), 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await agent.post('/api/posts').send(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('requires sign-in to write', async () => {
    const res = await request(t.app).post('/api/posts').send(postBody(randomPlace())).expect(401);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('lets only the author edit and delete; deleted posts are gone for everyone', async () => {
    const author = await signUp(t.app);
    const other = await signUp(t.app);
    const created = await author.agent.post('/api/posts').send(postBody(randomPlace())).expect(201);
    const id = created.body.id;
    await other.agent.patch(`/api/posts/${id}`).send({ title: 'Hijacked' }).expect(403);
    await other.agent.delete(`/api/posts/${id}`).expect(403);
    const edited = await author.agent.patch(`/api/posts/${id}`).send({ title: 'Edited', precision: 9 }).expect(200);
    expect(edited.body).toMatchObject({ title: 'Edited', precision: 9 });
    expect(edited.body.cell).toMatch(/^89/);
    expect(created.body.editedAt).toBeNull();
    expect(Date.parse(edited.body.editedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.createdAt));
    // the state the edit replaced is kept for moderators
    const revisions = await t.db('post_revisions').where({ post_id: id }).select('title', 'precision', 'display_cell', 'editor_id');
    expect(revisions).toEqual([
      {
        title: created.body.title,
        precision: created.body.precision,
        display_cell: BigInt(`0x${created.body.cell}`).toString(),
        editor_id: author.user.id,
      },
    ]);
    await author.agent.delete(`/api/posts/${id}`).expect(204);
    await request(t.app).get(`/api/posts/${id}`).expect(404);
    await author.agent.get(`/api/posts/${id}`).expect(404);
    await author.agent.delete(`/api/posts/${id}`).expect(404);
    const row = await t.db('posts').where({ id }).first('deleted_at');
    expect(row.deleted_at).not.toBeNull();
  });

  it('writes an outbox row in the same transaction as each change', async () => {
    const { agent } = await signUp(t.app);
    const created = await agent.post('/api/posts').send(postBody(randomPlace())).expect(201);
    const id = created.body.id;
    await agent.patch(`/api/posts/${id}`).send({ body: 'changed' }).expect(200);
    await agent.delete(`/api/posts/${id}`).expect(204);
    const ops = await t.db('outbox').where({ entity: 'post', entity_id: id }).orderBy('id').pluck('op');
    expect(ops).toEqual(['upsert', 'upsert', 'delete']);
  });

  it('returns 404 for unknown posts and 400 for malformed ids', async () => {
    await request(t.app).get('/api/posts/999999999').expect(404);
    const res = await request(t.app).get('/api/posts/abc').expect(400);
    expect(res.body.errors[0].field).toBe('params.id');
    await request(t.app).get('/api/posts/-1').expect(400);
    await request(t.app).get('/api/posts/99999999999999999999999').expect(400);
  });
});

describe('comments and reactions', () => {
  it('comments oldest first with a cursor', async () => {
    const author = await signUp(t.app);
    const neighbour = await signUp(t.app);
    const { body: post } = await author.agent.post('/api/posts').send(postBody(randomPlace())).expect(201);
    for (const text of ['first', 'second', 'third']) {
      await neighbour.agent.post(`/api/posts/${post.id}/comments`).send({ body: text }).expect(201);
    }
    const page1 = await request(t.app).get(`/api/posts/${post.id}/comments?limit=2`).expect(200);
    expect(page1.body.items.map((c: { body: string }) => c.body)).toEqual(['first', 'second']);
    const page2 = await request(t.app)
      .get(`/api/posts/${post.id}/comments?limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`)
      .expect(200);
    expect(page2.body.items.map((c: { body: string }) => c.body)).toEqual(['third']);
    const again = await request(t.app).get(`/api/posts/${post.id}`).expect(200);
    expect(again.body.commentCount).toBe(3);
  });

  it('honours "replies from neighbours only"', async () => {
    const author = await signUp(t.app);
    const place = randomPlace();
    await author.agent
      .patch('/api/me')
      .send({ settings: { whoCanReply: 'neighbors' } })
      .expect(200);
    const { body: post } = await author.agent.post('/api/posts').send(postBody(place)).expect(201);
    const stranger = await signUp(t.app);
    await stranger.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'hi' }).expect(403);
    const neighbour = await signUp(t.app);
    await neighbour.agent.put('/api/me/home').send(place).expect(200);
    await neighbour.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'hi neighbour' }).expect(201);
  });

  it('counts "+1 / me too" once per user and kind', async () => {
    const author = await signUp(t.app);
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const { body: post } = await author.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { kind: 'alert' }))
      .expect(201);
    await a.agent.put(`/api/posts/${post.id}/reactions/me_too`).expect(200);
    await a.agent.put(`/api/posts/${post.id}/reactions/me_too`).expect(200);
    const res = await b.agent.put(`/api/posts/${post.id}/reactions/plus_one`).expect(200);
    expect(res.body.reactionCounts).toEqual({ plus_one: 1, me_too: 1, thanks: 0 });
    expect(res.body.myReactions).toEqual(['plus_one']);
    const mine = await a.agent.get(`/api/posts/${post.id}`).expect(200);
    expect(mine.body.myReactions).toEqual(['me_too']);
    const removed = await a.agent.delete(`/api/posts/${post.id}/reactions/me_too`).expect(200);
    expect(removed.body.reactionCounts.me_too).toBe(0);
    await a.agent.put(`/api/posts/${post.id}/reactions/love`).expect(400);
    const stored = await t.db('reactions').where({ post_id: post.id }).select('kind').orderBy('kind');
    expect(stored.map((r: { kind: string }) => r.kind)).toEqual(['plus_one']);
  });
});
