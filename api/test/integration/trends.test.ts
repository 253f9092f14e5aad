import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createRollupRepository } from '../../src/repositories/rollup.repository.ts';
import { addDays, utcDay } from '../../src/services/insight.rules.ts';
import { offsetMeters, postBody, randomPlace, signUp } from '../helpers.ts';
import { createRegionAround, makeSearchTestApp } from '../search.helpers.ts';

const t = makeSearchTestApp();
afterAll(() => t.close());

const today = () => utcDay(new Date());

async function postAs(n: number, at: { lat: number; lon: number }, tagsFor: (i: number) => string[]) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { agent } = await signUp(t.app);
    ids.push(
      (
        await agent
          .post('/api/posts')
          .send(postBody(offsetMeters(at, i * 20, 0), { tags: tagsFor(i), precision: 9 }))
          .expect(201)
      ).body.id,
    );
  }
  return ids;
}

async function cell7Of(postId: string): Promise<string> {
  return (await t.db('posts').where({ id: postId }).first('h3_7')).h3_7;
}

/** Baseline history written straight into the rollup (the API can only write "now"). */
async function history(cell7: string, tag: string, perDay: (daysAgo: number) => number, fromDaysAgo: number, toDaysAgo: number) {
  const rows = [];
  for (let d = fromDaysAgo; d <= toDaysAgo; d++) {
    const n = perDay(d);
    if (n > 0) rows.push({ h3_7: cell7, day: addDays(today(), -d), tag, n });
  }
  if (rows.length) await t.db('tag_cell_day').insert(rows);
}

const trends = (query: string) => request(t.app).get(`/api/trends?${query}`);

describe('trends', () => {
  it('detects a spike against the area’s own baseline, and stays quiet below 10 people', async () => {
    const here = randomPlace();
    const first = await postAs(1, here, () => ['festival']);
    const cell7 = await cell7Of(first[0]!);
    await history(cell7, 'market', () => 5, 2, 29); // a steady 5 market posts a day for four weeks

    await postAs(8, here, (i) => (i < 5 ? ['festival'] : ['market']));
    const hidden = await trends(`lat=${here.lat}&lon=${here.lon}`).expect(200);
    expect(hidden.body).toMatchObject({ suppressed: true, items: [] }); // 9 people so far

    await postAs(1, here, () => ['market']);
    const res = await trends(`lat=${here.lat}&lon=${here.lon}&window=24h`).expect(200);
    expect(res.body.suppressed).toBe(false);
    expect(res.body.area.cells).toHaveLength(7);
    expect(res.body.items[0]).toMatchObject({ tag: 'festival', count: 6, expected: 0, rising: true });
    // market is at its usual level: not rising (and below its baseline, so not listed at all)
    expect(res.body.items.find((i: { tag: string }) => i.tag === 'market')).toBeUndefined();

    const week = await trends(`lat=${here.lat}&lon=${here.lon}&window=7d`).expect(200);
    expect(week.body.items[0]).toMatchObject({ tag: 'festival', rising: true });
    expect(week.body.items.find((i: { tag: string }) => i.tag === 'market')?.rising ?? false).toBe(false);
  });

  it('does not let a busy area’s ordinary traffic trend', async () => {
    const here = randomPlace();
    // today: five people post about coffee (plus 41 earlier posts today: a little above the usual 40), six about a
    // lost cat (out of nowhere); a tag needs 5 distinct people to be listed at all
    const first = await postAs(10, here, (i) => ['hello', ...(i < 5 ? ['coffee'] : []), ...(i >= 4 ? ['lostcat'] : [])]);
    const cell7 = await cell7Of(first[0]!);
    await history(cell7, 'coffee', (d) => (d % 2 ? 45 : 35), 2, 29);
    await t.db.raw(`UPDATE tag_cell_day SET n = n + 41 WHERE h3_7 = ? AND day = ?::date AND tag = 'coffee'`, [cell7, today()]);
    const res = await trends(`lat=${here.lat}&lon=${here.lon}`).expect(200);
    const coffee = res.body.items.find((i: { tag: string }) => i.tag === 'coffee');
    expect(coffee).toMatchObject({ count: 46, expected: 40, rising: false });
    // six posts of a tag never seen here rise; so do the ten "hello"s (also new), and they rank above it
    expect(res.body.items.map((i: { tag: string }) => i.tag)).toEqual(['hello', 'lostcat', 'coffee']);
    expect(res.body.items[1]).toMatchObject({ tag: 'lostcat', count: 6, rising: true });
  });

  it('answers for a region', async () => {
    const here = randomPlace();
    const region = await createRegionAround(t.db, here, 3000, 5000);
    await postAs(10, here, () => ['kiezfest']);
    const res = await trends(`region=${region.neighborhoodSlug}`).expect(200);
    expect(res.body.area.region.slug).toBe(region.neighborhoodSlug);
    expect(res.body.items[0]).toMatchObject({ tag: 'kiezfest', count: 10, rising: true });
    await trends('region=no-such-region-x').expect(422);
  });

  it('rejects bad areas and windows', async () => {
    for (const q of ['', 'lat=52.5', 'lat=52.5&lon=13.4&region=mitte', 'lat=52.5&lon=13.4&window=1h', 'region=Mitte!', 'lat=91&lon=0']) {
      const res = await trends(q);
      expect(res.status, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });
});

describe('rollups on write', () => {
  const counts = async (cell7: string, cell8: string, userId: string) => ({
    day7: await t.db('cell_day').where({ h3_7: cell7, day: today() }).first('posts', 'authors'),
    day8: await t.db('cell8_day').where({ h3_8: cell8, day: today() }).first('posts', 'authors'),
    tags: Object.fromEntries(
      (await t.db('tag_cell_day').where({ h3_7: cell7, day: today() }).select('tag', 'n')).map((r: { tag: string; n: number }) => [r.tag, r.n]),
    ),
    people: (await t.db('cell_user_day').where({ day: today(), user_id: userId }).whereIn('cell', [cell7, cell8]).select('cell', 'posts')).length,
  });

  it('count creates, edits and deletes in the same transaction', async () => {
    const { agent, user } = await signUp(t.app);
    const here = randomPlace();
    const a = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { tags: ['a', 'b'], precision: 8 }))
        .expect(201)
    ).body;
    const { h3_7: cell7, h3_8: cell8 } = await t.db('posts').where({ id: a.id }).first('h3_7', 'h3_8');
    expect(await counts(cell7, cell8, user.id)).toEqual({
      day7: { posts: 1, authors: 1 },
      day8: { posts: 1, authors: 1 },
      tags: { a: 1, b: 1 },
      people: 2,
    });

    const b = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { tags: ['b'], precision: 8 }))
        .expect(201)
    ).body;
    expect(await counts(cell7, cell8, user.id)).toMatchObject({ day7: { posts: 2, authors: 1 }, tags: { a: 1, b: 2 } });

    await agent
      .patch(`/api/posts/${b.id}`)
      .send({ tags: ['c'] })
      .expect(200);
    expect((await counts(cell7, cell8, user.id)).tags).toEqual({ a: 1, b: 1, c: 1 });

    await agent.delete(`/api/posts/${a.id}`).expect(204);
    await agent.delete(`/api/posts/${b.id}`).expect(204);
    expect(await counts(cell7, cell8, user.id)).toMatchObject({
      day7: { posts: 0, authors: 0 },
      day8: { posts: 0, authors: 0 },
      tags: { a: 0, b: 0, c: 0 },
    });
  });

  it('counts concurrent creates exactly, whatever order their tags come in', async () => {
    // Each create is one statement upserting shared rollup rows; writers locking them in different orders would
    // deadlock (a 500), and a lost update would show as a wrong count.
    const authors = [await signUp(t.app), await signUp(t.app)];
    const here = randomPlace();
    const bodies = Array.from({ length: 24 }, (_, i) => postBody(here, { tags: i % 2 ? ['x', 'y'] : ['y', 'x'], precision: 8 }));
    const created = await Promise.all(bodies.map((body, i) => authors[i % 2]!.agent.post('/api/posts').send(body)));
    expect(created.map((r) => r.status)).toEqual(bodies.map(() => 201));
    const { h3_7: cell7, h3_8: cell8 } = await t.db('posts').where({ id: created[0]!.body.id }).first('h3_7', 'h3_8');
    const c = await counts(cell7, cell8, authors[0]!.user.id);
    expect(c.day7).toEqual({ posts: 24, authors: 2 });
    expect(c.tags).toEqual({ x: 24, y: 24 });
    expect(
      await t
        .db('outbox')
        .whereIn(
          'entity_id',
          created.map((r) => r.body.id),
        )
        .count<{ count: string }[]>('* as count'),
    ).toEqual([{ count: '24' }]);
  });

  it('keeps precision-7 posts out of the res-8 rollup', async () => {
    const { agent, user } = await signUp(t.app);
    const here = randomPlace();
    const p = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { precision: 7 }))
        .expect(201)
    ).body;
    const { h3_7: cell7, h3_8: cell8 } = await t.db('posts').where({ id: p.id }).first('h3_7', 'h3_8');
    const c = await counts(cell7, cell8, user.id);
    expect(c.day7).toEqual({ posts: 1, authors: 1 });
    expect(c.day8).toBeUndefined();
    expect(c.people).toBe(1);
  });
});

describe('rollup rebuild', () => {
  it('reproduces from posts exactly what the writes maintained', async () => {
    const here = randomPlace();
    const authors = [await signUp(t.app), await signUp(t.app), await signUp(t.app)];
    const ids: string[] = [];
    for (const [i, { agent }] of authors.entries()) {
      for (const precision of [7, 8, 9]) {
        const spot = offsetMeters(here, i * 700, precision * 300);
        ids.push(
          (
            await agent
              .post('/api/posts')
              .send(postBody(spot, { precision, tags: [`t${precision}`, 'all'] }))
              .expect(201)
          ).body.id,
        );
      }
    }
    await authors[0]!.agent
      .patch(`/api/posts/${ids[0]}`)
      .send({ tags: ['moved'], location: offsetMeters(here, 5000, 0) })
      .expect(200);
    await authors[1]!.agent.delete(`/api/posts/${ids[4]}`).expect(204);

    const rows = await t.db('posts').whereIn('id', ids).select('h3_7', 'h3_8');
    const cells7 = [...new Set(rows.map((r: { h3_7: string }) => r.h3_7))];
    const cells = [...cells7, ...new Set(rows.map((r: { h3_8: string }) => r.h3_8))];
    const snapshot = async () => ({
      day7: await t.db('cell_day').whereIn('h3_7', cells7).where('posts', '>', 0).orderBy(['h3_7', 'day']).select('h3_7', 'day', 'posts', 'authors'),
      day8: await t.db('cell8_day').whereIn('h3_8', cells).where('posts', '>', 0).orderBy(['h3_8', 'day']).select('h3_8', 'day', 'posts', 'authors'),
      tags: await t.db('tag_cell_day').whereIn('h3_7', cells7).where('n', '>', 0).orderBy(['h3_7', 'day', 'tag']).select('h3_7', 'day', 'tag', 'n'),
      people: await t
        .db('cell_user_day')
        .whereIn('cell', cells)
        .where('posts', '>', 0)
        .orderBy(['cell', 'day', 'user_id'])
        .select('cell', 'day', 'user_id', 'posts'),
    });
    const maintained = await snapshot();
    expect(maintained.tags.length).toBeGreaterThan(0);
    await createRollupRepository(t.db).rebuildAll();
    expect(await snapshot()).toEqual(maintained);
  });
});
