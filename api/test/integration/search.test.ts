import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellParent, pointToCell } from '../../src/geo/h3.ts';
import { reindexPosts } from '../../src/search/reindex.ts';
import { offsetMeters, postBody, randomPlace, signUp } from '../helpers.ts';
import { createRegionAround, drainAll, makeSearchTestApp, searchIds, searchUrl, silentLogger, uniqueWord } from '../search.helpers.ts';

const t = makeSearchTestApp();
afterAll(() => t.close());

beforeAll(async () => {
  // whatever other files left in the outbox gets indexed once (and the index built), so each test's drain is small
  await drainAll(t);
});

async function outboxDone(postId: string): Promise<boolean> {
  const rows = await t.db('outbox').where({ entity: 'post', entity_id: postId }).select('done_at');
  return rows.length > 0 && rows.every((r: { done_at: Date | null }) => r.done_at !== null);
}

describe('area-scoped search', () => {
  it('finds a post near a point and never the same words in another city; the relay marks its outbox rows done', async () => {
    const { agent } = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    const elsewhere = offsetMeters(here, 300_000, 0);
    const near = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { title: `Bakery ${word} opens`, precision: 9 }))
        .expect(201)
    ).body;
    const far = (
      await agent
        .post('/api/posts')
        .send(postBody(elsewhere, { title: `Bakery ${word} too`, precision: 9 }))
        .expect(201)
    ).body;

    const drained = await t.relay.drainOnce();
    expect(drained.rowsDone).toBeGreaterThanOrEqual(2);
    expect(await outboxDone(near.id)).toBe(true);
    expect(await outboxDone(far.id)).toBe(true);

    const origin = offsetMeters(here, 400, 0);
    expect(await searchIds(t.app, { q: word, lat: origin.lat, lon: origin.lon, radius: 1000 })).toEqual([near.id]);
    expect(await searchIds(t.app, { q: word, lat: elsewhere.lat, lon: elsewhere.lon, radius: 5000 })).toEqual([far.id]);
    // a radius that does not reach it
    const away = offsetMeters(here, 3000, 0);
    expect(await searchIds(t.app, { q: word, lat: away.lat, lon: away.lon, radius: 1000 })).toEqual([]);
  });

  it('scopes by one cell and by a region with its ancestors', async () => {
    const { agent } = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    const region = await createRegionAround(t.db, here, 1500, 2000);
    const post = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { title: `Kiezfest ${word}`, precision: 8 }))
        .expect(201)
    ).body;
    expect(post.region?.slug).toBe(region.neighborhoodSlug);
    await t.relay.drainOnce();
    const cell8 = pointToCell(here, 8);
    expect(await searchIds(t.app, { q: word, cell: cell8 })).toEqual([post.id]);
    expect(await searchIds(t.app, { q: word, cell: cellParent(cell8, 7) })).toEqual([post.id]);
    expect(await searchIds(t.app, { q: word, region: region.neighborhoodSlug })).toEqual([post.id]);
    expect(await searchIds(t.app, { q: word, region: region.slug })).toEqual([post.id]); // the district, via ancestors
    const res = await request(t.app)
      .get(searchUrl({ q: word, region: 'no-such-region-here' }))
      .expect(422);
    expect(res.body.errors[0].field).toBe('query.region');
  });

  it('returns kind and tag facets and escaped highlights', async () => {
    const { agent } = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    await agent
      .post('/api/posts')
      .send(
        postBody(here, {
          kind: 'question',
          precision: 9,
          title: `<script>alert(1)</script> ${word} & co`,
          body: `Where is the ${word}?`,
          tags: ['kiez', 'food'],
        }),
      )
      .expect(201);
    await agent
      .post('/api/posts')
      .send(postBody(here, { kind: 'alert', title: `${word} closed`, tags: ['kiez'] }))
      .expect(201);
    await agent
      .post('/api/posts')
      .send(postBody(here, { kind: 'alert', title: `No ${word} today`, tags: ['kiez', 'transit'] }))
      .expect(201);
    await t.relay.drainOnce();

    const res = await request(t.app)
      .get(searchUrl({ q: word, lat: here.lat, lon: here.lon }))
      .expect(200);
    expect(res.body.items).toHaveLength(3);
    expect(res.body.facets.kind).toEqual([
      { value: 'alert', count: 2 },
      { value: 'question', count: 1 },
    ]);
    expect(res.body.facets.tags[0]).toEqual({ value: 'kiez', count: 3 });
    const question = res.body.items.find((i: { kind: string }) => i.kind === 'question');
    expect(question.highlight.title).toBe(`&lt;script&gt;alert(1)&lt;/script&gt; <mark>${word}</mark> &amp; co`);
    expect(question.highlight.snippet).toContain(`<mark>${word}</mark>`);
    expect(question).not.toHaveProperty('location');
    expect(question.distance).toBe('<500 m'); // precision 9: its display cell is the origin's own res-9 cell

    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon, kind: 'alert' })).toHaveLength(2);
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon, kind: 'alert,question' })).toHaveLength(3);
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon, tags: 'kiez,transit' })).toHaveLength(1);
  });

  it('pages newest-first with a signed cursor, without repeats or gaps', async () => {
    const { agent } = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (
          await agent
            .post('/api/posts')
            .send(postBody(here, { title: `${word} ${i}` }))
            .expect(201)
        ).body.id,
      );
    await t.relay.drainOnce();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const params: Record<string, string | number> = { q: word, lat: here.lat, lon: here.lon, sort: 'newest', limit: 2 };
      if (cursor) params.cursor = cursor;
      const res = await request(t.app).get(searchUrl(params)).expect(200);
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    // relevance pages too, and a cursor only works for the list it came from
    const first = await request(t.app)
      .get(searchUrl({ q: word, lat: here.lat, lon: here.lon, limit: 2 }))
      .expect(200);
    const second = await request(t.app)
      .get(searchUrl({ q: word, lat: here.lat, lon: here.lon, limit: 2, cursor: first.body.nextCursor }))
      .expect(200);
    expect(second.body.items.map((i: { id: string }) => i.id)).not.toContain(first.body.items[0].id);
    await request(t.app)
      .get(searchUrl({ q: `${word}x`, lat: here.lat, lon: here.lon, limit: 2, cursor: first.body.nextCursor }))
      .expect(400);
  });

  it('shows neighbours-only posts only to people who may see them', async () => {
    const author = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    const post = (
      await author.agent
        .post('/api/posts')
        .send(postBody(here, { title: `Private ${word}`, audience: 'neighbors' }))
        .expect(201)
    ).body;
    await t.relay.drainOnce();
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon })).toEqual([]);
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon }, author.agent)).toEqual([post.id]);
    const neighbour = await signUp(t.app);
    await neighbour.agent
      .put('/api/me/home')
      .send(offsetMeters(here, 200, 200))
      .expect(200);
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon }, neighbour.agent)).toEqual([post.id]);
  });

  it('drops deleted posts at once and removes them from the index', async () => {
    const { agent } = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    const post = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { title: `Sofa ${word}` }))
        .expect(201)
    ).body;
    await t.relay.drainOnce();
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon })).toEqual([post.id]);
    await agent.delete(`/api/posts/${post.id}`).expect(204);
    // before the relay runs, PostgreSQL's current state already hides it
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon })).toEqual([]);
    const drained = await t.relay.drainOnce();
    expect(drained.deleted).toBeGreaterThanOrEqual(1);
    expect(await t.index.versionsInRange(Number(post.id), Number(post.id) + 1)).toEqual([]);
  });
});

describe('filter injection', () => {
  it('treats quotes, OR, backslashes and long strings in tags as plain values', async () => {
    const { agent } = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    await agent
      .post('/api/posts')
      .send(postBody(here, { title: `Public ${word}`, tags: ['kiez'] }))
      .expect(201);
    await agent
      .post('/api/posts')
      .send(postBody(here, { title: `Hidden ${word}`, audience: 'neighbors', tags: ['kiez'] }))
      .expect(201);
    await t.relay.drainOnce();
    const base = { q: word, lat: here.lat, lon: here.lon };
    expect(await searchIds(t.app, base)).toHaveLength(1);
    for (const evil of [
      'kiez" OR audience = "neighbors',
      'x" OR tags EXISTS OR tags = "y',
      'kiez\\" OR audience = \\"neighbors',
      'kiez\\',
      '") OR (audience = "neighbors"',
      'a'.repeat(64),
    ]) {
      const res = await request(t.app)
        .get(searchUrl({ ...base, tags: evil }))
        .expect(200);
      expect(res.body.items, evil).toEqual([]);
    }
    // the words themselves never reach the filter; operators in q are just words
    const res = await request(t.app)
      .get(searchUrl({ ...base, q: `${word}" OR audience = "neighbors` }))
      .expect(200);
    expect(res.body.items.every((i: { audience: string }) => i.audience === 'public')).toBe(true);
    for (const query of [
      { ...base, tags: 'x'.repeat(5000) },
      { ...base, q: 'x'.repeat(5000) },
      { ...base, tags: 'a\u0000b' },
      { ...base, kind: 'post" OR kind = "alert' },
    ]) {
      const bad = await request(t.app).get(searchUrl(query)).expect(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('rejects ambiguous or missing areas with field errors', async () => {
    for (const q of [
      'q=x',
      'q=x&lat=52.5',
      'q=x&lat=52.5&lon=13.4&cell=881f1d4891fffff',
      'q=x&radius=1000&cell=881f1d4891fffff',
      'q=x&lat=52.5&lon=13.4&radius=750',
      'q=x&cell=851f1d4bfffffff',
      'q=x&cell=zz',
    ]) {
      const res = await request(t.app).get(`/api/search?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.errors.length, q).toBeGreaterThan(0);
    }
  });
});

describe('drift repair and rebuild', () => {
  it('reconciler repairs a document deleted behind its back', async () => {
    const { agent } = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    const post = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { title: `Ladder ${word}` }))
        .expect(201)
    ).body;
    await t.relay.drainOnce();
    await t.index.apply([], [Number(post.id)]); // someone deletes it in Meilisearch directly
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon })).toEqual([]);

    const found = await t.reconciler.runOnce();
    expect(found.missing).toBeGreaterThanOrEqual(1);
    await t.relay.drainOnce();
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon })).toEqual([post.id]);
    expect((await t.reconciler.runOnce()).missing).toBe(0);
  });

  it('reconciler replaces stale documents and removes ones with no post behind them', async () => {
    const { agent } = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    const post = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { title: `Lamp ${word}` }))
        .expect(201)
    ).body;
    const gone = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { title: `Chair ${word}` }))
        .expect(201)
    ).body;
    await t.relay.drainOnce();
    // changes that bypassed the outbox: a title edit and a soft delete
    await t
      .db('posts')
      .where({ id: post.id })
      .update({ title: `Lamp ${word} sold`, updated_at: t.db.fn.now() });
    await t.db('posts').where({ id: gone.id }).update({ deleted_at: t.db.fn.now() });
    const found = await t.reconciler.runOnce();
    expect(found.stale).toBeGreaterThanOrEqual(1);
    expect(found.extra).toBeGreaterThanOrEqual(1);
    await t.relay.drainOnce();
    expect(await searchIds(t.app, { q: 'sold', lat: here.lat, lon: here.lon })).toEqual([post.id]);
    expect(await t.index.versionsInRange(Number(gone.id), Number(gone.id) + 1)).toEqual([]);
  });

  it('reindex builds a new index and swaps it in', async () => {
    const { agent } = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    const post = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { title: `Piano ${word}` }))
        .expect(201)
    ).body;
    await t.relay.drainOnce();
    const before = await t.index.documentCount();
    const result = await reindexPosts({ db: t.db, conn: t.conn, logger: silentLogger });
    expect(result.indexed).toBeGreaterThanOrEqual(1);
    expect(await t.index.documentCount()).toBe(result.indexed);
    expect(before).toBeGreaterThanOrEqual(result.indexed - 1);
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon })).toEqual([post.id]);
    const indexes = await t.conn.client.getIndexes({ limit: 1000 });
    expect(indexes.results.map((i) => i.uid).filter((uid) => uid.startsWith(`${t.index.uid}_next`))).toEqual([]);
  });
});
