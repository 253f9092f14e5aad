import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { offsetMeters, randomPlace, signUp } from '../helpers.ts';
import { eventually, makeSearchTestApp } from '../search.helpers.ts';

// GET /api/merchants?q=: the shops index in Meilisearch, fed through the outbox (entity 'merchant') by its own relay.

const s = makeSearchTestApp();
afterAll(() => s.close());

async function drainMerchants() {
  await eventually(
    async () => {
      await s.indexer.merchantsRelay.drainOnce();
      const pending = await s.db('outbox').whereNull('done_at').where('entity', 'merchant').count<{ n: string }[]>('* as n');
      return Number(pending[0]!.n) === 0;
    },
    'the shops outbox to drain',
    120_000,
  );
}

describe('shop search', () => {
  it('finds "Bäckerei" as Bäckerei, Baeckerei and bakery, with typos, near a point and by category', async () => {
    const here = randomPlace();
    const owner = await signUp(s.app);
    const bakery = (
      await owner.agent
        .post('/api/merchants')
        .send({ name: 'Bäckerei Sonnenschein', category: 'bakery', location: offsetMeters(here, 100, 0), openingHours: '24/7' })
        .expect(201)
    ).body.id;
    const cafe = (
      await owner.agent
        .post('/api/merchants')
        .send({ name: 'Café Mondlicht', category: 'cafe', location: offsetMeters(here, 0, 200) })
        .expect(201)
    ).body.id;
    const farAway = (
      await owner.agent
        .post('/api/merchants')
        .send({ name: 'Bäckerei Fern', category: 'bakery', location: offsetMeters(here, 9000, 0) })
        .expect(201)
    ).body.id;
    await drainMerchants();
    const find = async (q: string, extra: Record<string, unknown> = {}) =>
      (
        await request(s.app)
          .get('/api/merchants')
          .query({ q, lat: here.lat, lon: here.lon, radius: 1000, ...extra })
          .expect(200)
      ).body.items.map((m: { id: string }) => m.id);
    expect(await find('Bäckerei')).toEqual([bakery]);
    expect(await find('Baeckerei')).toEqual([bakery]);
    expect(await find('bakery')).toEqual([bakery]);
    expect(await find('Sonenschein')).toEqual([bakery]);
    expect(await find('coffee')).toEqual([cafe]);
    expect(await find('Mondlicht', { category: 'bakery' })).toEqual([]);
    expect(await find('Bäckerei', { radius: 5000 })).not.toContain(farAway);
    const anywhere = (await request(s.app).get('/api/merchants').query({ q: 'Bäckerei Fern' }).expect(200)).body.items.map(
      (m: { id: string }) => m.id,
    );
    expect(anywhere).toContain(farAway);

    // an edit reaches the index through the outbox
    const admin = await signUp(s.app);
    await s.db('users').where({ id: admin.user.id }).update({ is_admin: true });
    const reqs = (await admin.agent.get('/api/admin/ownership-requests').expect(200)).body.items as { id: string; merchantId: string }[];
    await admin.agent
      .post(`/api/admin/ownership-requests/${reqs.find((r) => r.merchantId === cafe)!.id}/decision`)
      .send({ approve: true })
      .expect(204);
    const pending = await s.db('outbox').whereNull('done_at').where({ entity: 'merchant', entity_id: cafe }).count<{ n: string }[]>('* as n');
    expect(Number(pending[0]!.n)).toBe(0);
    await owner.agent.patch(`/api/merchants/${cafe}`).send({ openingHours: 'Mo-Fr 07:00-19:00' }).expect(200);
    const queued = await s.db('outbox').whereNull('done_at').where({ entity: 'merchant', entity_id: cafe }).count<{ n: string }[]>('* as n');
    expect(Number(queued[0]!.n)).toBe(1);
    await drainMerchants();
  });
});
