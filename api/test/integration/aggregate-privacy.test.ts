import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellCentroid, cellChildren, pointToCell } from '../../src/geo/h3.ts';
import { createRollupRepository } from '../../src/repositories/rollup.repository.ts';
import { addDays, utcDay } from '../../src/services/insight.rules.ts';
import { makeTestApp, offsetMeters, postBody, randomPlace, signUp } from '../helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

type Agent = Awaited<ReturnType<typeof signUp>>['agent'];
const people: { agent: Agent; id: string }[] = [];
beforeAll(async () => {
  for (let i = 0; i < 30; i++) {
    const { agent, user } = await signUp(t.app);
    people.push({ agent, id: user.id });
  }
}, 120_000);

function bboxAround(p: { lat: number; lon: number }, meters: number): string {
  const sw = offsetMeters(p, -meters, -meters);
  const ne = offsetMeters(p, meters, meters);
  return [sw.lon, sw.lat, ne.lon, ne.lat].map((v) => v.toFixed(6)).join(',');
}

interface Feature {
  id: string;
  properties: { count: number };
}
const hexagons = async (q: Record<string, string | number>) =>
  (await request(t.app).get('/api/hexagons').query(q).expect(200)).body as { features: Feature[]; since: string };
const trends = async (p: { lat: number; lon: number }) =>
  (await request(t.app).get('/api/trends').query({ lat: p.lat, lon: p.lon, window: '7d' }).expect(200)).body as {
    suppressed: boolean;
    items: { tag: string; rising: boolean; count: number }[];
  };

describe('aggregates count public posts only', () => {
  it('neighbours- and region-only posts never reach trends or tag heat maps; changing the audience recounts', async () => {
    const here = randomPlace();
    const ids: string[] = [];
    for (const [i, p] of people.slice(0, 12).entries()) {
      // every one of 12 people posts publicly, and 6 of them also post a secret tag to their neighbours or district
      await p.agent
        .post('/api/posts')
        .send(postBody(here, { tags: ['open'] }))
        .expect(201);
      if (i < 6) {
        const audience = i % 2 ? 'neighbors' : 'region';
        ids.push(
          (
            await p.agent
              .post('/api/posts')
              .send(postBody(here, { tags: ['secret'], audience }))
              .expect(201)
          ).body.id,
        );
      }
    }
    const cell7 = pointToCell(here, 7);
    const secretRows = await t
      .db('tag_cell_day')
      .where({ tag: 'secret' })
      .whereRaw('h3_7 = ?', [BigInt(`0x${cell7}`).toString()]);
    expect(secretRows).toEqual([]);
    const tr = await trends(here);
    expect(tr.items.map((i) => i.tag)).toContain('open');
    expect(tr.items.map((i) => i.tag)).not.toContain('secret');
    const heat = await hexagons({ bbox: bboxAround(here, 3000), res: 7, metric: 'tag:secret' });
    expect(heat.features).toEqual([]);
    // made public, they count; made private again, they stop counting
    for (const [i, id] of ids.entries()) await people[i]!.agent.patch(`/api/posts/${id}`).send({ audience: 'public' }).expect(200);
    expect((await trends(here)).items.map((i) => i.tag)).toContain('secret');
    for (const [i, id] of ids.entries()) await people[i]!.agent.patch(`/api/posts/${id}`).send({ audience: 'neighbors' }).expect(200);
    expect((await trends(here)).items.map((i) => i.tag)).not.toContain('secret');
  });
});

describe('one person cannot make a trend', () => {
  it('a tag posted 12 times by one account is not listed; used by 5 people it rises', async () => {
    const here = randomPlace();
    for (const p of people.slice(0, 10))
      await p.agent
        .post('/api/posts')
        .send(postBody(here, { tags: ['hello'] }))
        .expect(201);
    for (let i = 0; i < 12; i++)
      await people[0]!.agent
        .post('/api/posts')
        .send(postBody(here, { tags: ['spam'] }))
        .expect(201);
    const one = await trends(here);
    expect(one.suppressed).toBe(false);
    expect(one.items.map((i) => i.tag)).not.toContain('spam');
    for (const p of people.slice(1, 4))
      await p.agent
        .post('/api/posts')
        .send(postBody(here, { tags: ['spam'] }))
        .expect(201);
    expect((await trends(here)).items.map((i) => i.tag)).not.toContain('spam'); // 4 people
    await people[4]!.agent
      .post('/api/posts')
      .send(postBody(here, { tags: ['spam'] }))
      .expect(201);
    expect((await trends(here)).items.find((i) => i.tag === 'spam')).toMatchObject({ rising: true }); // 5 people
  });
});

describe('no two heat-map answers combined isolate fewer than 10 people', () => {
  it('property: res 7 minus res-8 children, two since values and two bboxes never reveal a count for 1–9 people', async () => {
    const rollups = createRollupRepository(t.db);
    let published = 0;
    const today = utcDay(new Date());
    const DAYS_AGO = [0, 3, 10, 40, 120, 300];
    const post = fc.record({ person: fc.integer({ min: 0, max: 29 }), child: fc.integer({ min: 0, max: 7 }), ago: fc.constantFrom(...DAYS_AGO) });
    await fc.assert(
      fc.asyncProperty(fc.array(post, { minLength: 30, maxLength: 70 }), async (posts) => {
        const cell7 = pointToCell(randomPlace(), 7);
        const kids = cellChildren(cell7, 8);
        // ground truth: who posted where and when
        const truth: { person: number; c8: string | null; day: string }[] = [];
        for (const p of posts) {
          const precision = p.child === 7 ? 7 : 8;
          const at = cellCentroid(p.child === 7 ? cell7 : kids[p.child]!);
          const id = (await people[p.person]!.agent.post('/api/posts').send(postBody(at, { precision })).expect(201)).body.id;
          // back-date it, moving its counts to that day (as an edit does): no whole-database rebuild per scenario
          await rollups.removePost(id);
          await t.db.raw(`UPDATE posts SET created_at = now() - make_interval(days => ?) WHERE id = ?`, [p.ago, id]);
          await rollups.addPost(id);
          truth.push({ person: p.person, c8: p.child === 7 ? null : kids[p.child]!, day: addDays(today, -p.ago) });
        }

        const centre = cellCentroid(cell7);
        const answers: { res: 7 | 8; since: string; counts: Map<string, number> }[] = [];
        for (const res of [7, 8] as const) {
          for (const since of [addDays(today, -1), addDays(today, -20), addDays(today, -60), addDays(today, -200), addDays(today, -360)]) {
            const perBbox = [];
            for (const meters of [2500, 6000]) {
              const body = await hexagons({ bbox: bboxAround(centre, meters), res, since });
              perBbox.push({ since: body.since, counts: new Map(body.features.map((f) => [f.id, f.properties.count])) });
            }
            // two bboxes: a cell in both answers has one count
            for (const [cell, n] of perBbox[0]!.counts) if (perBbox[1]!.counts.has(cell)) expect(perBbox[1]!.counts.get(cell)).toBe(n);
            const merged = new Map([...perBbox[1]!.counts, ...perBbox[0]!.counts]);
            answers.push({ res, since: perBbox[0]!.since, counts: merged });
          }
        }

        const inCell = (cell: string, res: 7 | 8) => (p: (typeof truth)[number]) => (res === 7 ? true : p.c8 === cell);
        const peopleOf = (rows: typeof truth) => new Set(rows.map((r) => r.person)).size;
        const leaks = (n: number) => n > 0 && n < 10;
        for (const a of answers) {
          for (const [cell, count] of a.counts) {
            published++;
            const rows = truth.filter((p) => p.day >= a.since && inCell(cell, a.res)(p) && (a.res === 7 ? cell === cell7 : true));
            expect(rows.length, 'published counts are exact').toBe(count);
            expect(peopleOf(rows)).toBeGreaterThanOrEqual(10);
            for (const b of answers) {
              // the same cell at two windows: the slice between them
              if (b.res === a.res && b.since < a.since && b.counts.has(cell)) {
                const slice = truth.filter((p) => p.day >= b.since && p.day < a.since && inCell(cell, a.res)(p));
                expect(leaks(peopleOf(slice)), `${cell} between ${b.since} and ${a.since}`).toBe(false);
              }
              // a res-7 cell minus its shown res-8 children (the children's window inside the parent's)
              if (a.res === 7 && b.res === 8 && b.since >= a.since) {
                const shownKids = kids.filter((k) => b.counts.has(k));
                const rest = truth.filter((p) => p.day >= a.since && !(p.c8 !== null && shownKids.includes(p.c8) && p.day >= b.since));
                expect(leaks(peopleOf(rest)), `res 7 since ${a.since} minus ${shownKids.length} children since ${b.since}`).toBe(false);
              }
            }
          }
        }
      }),
      { numRuns: 4 },
    );
    expect(published, 'the scenarios publish some cells (else the property says nothing)').toBeGreaterThan(0);
  }, 300_000);
});
