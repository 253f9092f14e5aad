import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createDb } from '../../src/db/knex.ts';
import { createLogger } from '../../src/http/observability.ts';
import type { Viewer } from '../../src/http/route.ts';
import { offsetMeters, randomPlace, testConfig } from '../helpers.ts';
import { insertResidents } from '../merchants.helpers.ts';

// Races: the claim is one statement with a conditional decrement and unique (offer, user) / (offer, household)
// constraints, the redeem one conditional UPDATE. Hundreds of concurrent calls through the services on a pool of 20
// connections must leave exactly the allowed number of claims and a consistent `remaining`.

const config = testConfig();
const db = createDb(config.DATABASE_URL, 20);
const { services } = createApp({ config, db, logger: createLogger('silent') });
afterAll(() => db.destroy());

async function shopWithOffer(at: { lat: number; lon: number }, cap: number, perHousehold = false, ring = 1) {
  const [owner] = await insertResidents(db, [at]);
  const shop = await services.merchants.create(owner!, { name: 'Storm Bakery', category: 'bakery', location: at, note: '' });
  await db('merchant_roles').insert({ merchant_id: shop.id, user_id: owner!.id, role: 'owner' });
  const offer = await services.offers.create(shop.id, owner!, {
    title: 'Storm',
    terms: '',
    endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    totalCap: cap,
    perPersonLimit: 1,
    perHousehold,
    target: { ring },
  });
  return { owner: owner!, shopId: shop.id, offerId: offer.id };
}

const settle = <T>(ps: Promise<T>[]) => Promise.allSettled(ps);
const statusOf = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? 201 : ((r.reason as { status?: number }).status ?? 500));

describe('claim and redeem storms', () => {
  it('1,000 concurrent claims by 1,000 residents on a cap of 100 → exactly 100 claims, remaining 0', async () => {
    const at = randomPlace();
    const { offerId } = await shopWithOffer(at, 100);
    const residents = await insertResidents(
      db,
      Array.from({ length: 1000 }, (_, i) => offsetMeters(at, (i % 20) * 10, Math.floor(i / 20) * 5)),
    );
    const results = await settle(residents.map((v) => services.offers.claim(offerId, v)));
    const statuses = results.map(statusOf);
    expect(statuses.filter((s) => s === 201)).toHaveLength(100);
    expect(statuses.filter((s) => s === 409)).toHaveLength(900);
    const offer = await db('offers').where({ id: offerId }).first('remaining');
    expect(offer.remaining).toBe(0);
    const { count } = (await db('offer_claims').where({ offer_id: offerId }).count('* as count').first()) as { count: string };
    expect(Number(count)).toBe(100);
  });

  it('200 concurrent claims by one resident → exactly 1', async () => {
    const at = randomPlace();
    const { offerId } = await shopWithOffer(at, 1000);
    const [me] = await insertResidents(db, [at]);
    const results = await settle(Array.from({ length: 200 }, () => services.offers.claim(offerId, me!)));
    const statuses = results.map(statusOf);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    expect((await db('offers').where({ id: offerId }).first('remaining')).remaining).toBe(999);
  });

  it('a per-household cap holds under concurrency: 50 people of one home → 1 claim, other homes unaffected', async () => {
    const at = randomPlace();
    const { offerId } = await shopWithOffer(at, 1000, true, 2);
    const sameHome = await insertResidents(
      db,
      Array.from({ length: 50 }, () => at),
    );
    // 600 m: surely other res-9 cells (≤ ~350 m across), surely inside two res-8 rings
    const otherHomes = await insertResidents(db, [offsetMeters(at, 600, 0), offsetMeters(at, 0, -600)]);
    const results = await settle([...sameHome, ...otherHomes].map((v: Viewer) => services.offers.claim(offerId, v)));
    const statuses = results.map(statusOf);
    expect(statuses.slice(0, 50).filter((s) => s === 201)).toHaveLength(1);
    expect(results.slice(50).map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
    expect((await db('offers').where({ id: offerId }).first('remaining')).remaining).toBe(997);
  });

  it('50 concurrent redeems of one code → exactly 1 success, the rest 409', async () => {
    const at = randomPlace();
    const { owner, shopId, offerId } = await shopWithOffer(at, 10);
    const [me] = await insertResidents(db, [at]);
    const claim = await services.offers.claim(offerId, me!);
    const results = await settle(Array.from({ length: 50 }, () => services.offers.redeem(shopId, owner, claim.code)));
    const statuses = results.map(statusOf);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const row = await db('offer_claims').where({ offer_id: offerId }).first('redeemed_at');
    expect(row.redeemed_at).toBeInstanceOf(Date);
  });
});
