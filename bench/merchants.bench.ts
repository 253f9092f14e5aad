// Issue 10 benchmark, two measurements printed as ratios from one run:
//  1. claims/s on one hot offer (cap 100,000, 64 concurrent clients) through the real claim statement
//     (repositories/offer-claim.sql: policy check + insert + conditional decrement, one round trip) vs a plain
//     single-row `UPDATE … SET n = n - 1` on the same pool, alternating 3 s windows. Target ≥ 0.5×.
//  2. shops near a point (1 km, open now, category) through MerchantService.list at the full seeded set: p95 ≤ 10 ms,
//     with the bare PostGIS ST_DWithin query (no hours, no offers count) as the baseline.
// Runs on the bench database; seeds the OSM listings there when the merchants table is empty.
import { createApp } from '../api/src/app.ts';
import { createDb } from '../api/src/db/knex.ts';
import { cellParent, cellToBigint, pointToCell } from '../api/src/geo/h3.ts';
import { createLogger } from '../api/src/http/observability.ts';
import { audiencePolicy } from '../api/src/policy/audience.policy.ts';
import { newClaimCode } from '../api/src/services/offer.service.ts';
import { loadPois, seedMerchants } from '../seeds/merchants.seed.ts';
import { benchConfig } from './bench-setup.ts';
import { fmt, median, percentile, report, verdict } from './stats.ts';

const CLIENTS = 64;
const WINDOW_MS = 3000;
const ROUNDS = 2;
const { config, database } = benchConfig();
const db = createDb(config.DATABASE_URL, CLIENTS + 2);
const { services, repositories, audience } = (() => {
  const app = createApp({ config, db, logger: createLogger('silent') });
  return { services: app.services, repositories: app.repositories, audience: app.services.audience };
})();

console.log(`\nMerchants benchmark (database ${database}, ${CLIENTS} clients)`);
if (Number((await db.raw('SELECT count(*) AS n FROM merchants')).rows[0].n) === 0) {
  const client = await db.client.acquireConnection();
  try {
    await seedMerchants(client);
  } finally {
    await db.client.releaseConnection(client);
  }
}
await db.raw('VACUUM (ANALYZE) merchants');
const shops = Number((await db.raw('SELECT count(*) AS n FROM merchants')).rows[0].n);

// ---- 1. claim throughput on one hot offer ----
const shopAt = { lat: 52.5106, lon: 13.459 };
const home9 = pointToCell(shopAt, 9);
const { rows: owners } = await db.raw(
  `INSERT INTO users (handle, display_name, email, password_hash, home_h3_9) VALUES ('bench_owner_' || floor(random()*1e9)::text, 'Bench', 'b' || floor(random()*1e12)::text || '@x.test', 'x', ?) RETURNING id`,
  [cellToBigint(home9).toString()],
);
const owner = { id: String(owners[0].id), handle: 'bench', homeCell: home9, isAdmin: false };
const shop = await services.merchants.create(owner, { name: 'Bench Bakery', category: 'bakery', location: shopAt, note: '' });
await db('merchant_roles').insert({ merchant_id: shop.id, user_id: owner.id, role: 'owner' });
const offer = await services.offers.create(shop.id, owner, {
  title: 'Hot offer',
  terms: '',
  endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  totalCap: 100_000,
  perPersonLimit: 1,
  perHousehold: false,
  target: { ring: 1 },
});
// enough distinct residents for every window (claimants living in the shop's cell)
const RESIDENTS = 60_000;
const { rows: residents } = await db.raw(
  `INSERT INTO users (handle, display_name, email, password_hash, home_h3_9)
   SELECT 'bc' || ? || '_' || g, 'R', 'bc' || ? || '_' || g || '@x.test', 'x', ? FROM generate_series(1, ?) g RETURNING id`,
  [offer.id, offer.id, cellToBigint(home9).toString(), RESIDENTS],
);
const ids: string[] = residents.map((r: { id: string }) => String(r.id));
const scope = await audience.scopeFor({ ...owner, id: '0' });
const visible = audiencePolicy.listSql(scope, 'p');
const home7 = cellToBigint(cellParent(home9, 7)).toString();
await db.raw('CREATE TABLE IF NOT EXISTS bench_counter (id int PRIMARY KEY, n bigint NOT NULL)');
await db.raw('INSERT INTO bench_counter VALUES (1, 1000000000) ON CONFLICT (id) DO UPDATE SET n = 1000000000');

let next = 0;
async function window(work: () => Promise<unknown>): Promise<number> {
  let done = 0;
  const until = performance.now() + WINDOW_MS;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        await work();
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}
const baseline = () => db.raw('UPDATE bench_counter SET n = n - 1 WHERE id = 1');
let refused = 0;
const claim = async () => {
  const userId = ids[next++ % ids.length]!;
  const out = await repositories.offers.claim({ offerId: offer.id, userId, householdCell: null, homeCell7: home7, code: newClaimCode(), visible });
  if (!out.ok) refused++;
};
// warm both paths (prepared statements, caches)
await window(baseline);
await window(claim);
const base: number[] = [];
const claims: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  base.push(await window(baseline));
  claims.push(await window(claim));
}
const remaining = (await db('offers').where({ id: offer.id }).first('remaining')).remaining as number;
const claimed = Number((await db.raw('SELECT count(*) AS n FROM offer_claims WHERE offer_id = ?', [offer.id])).rows[0].n);
const ratio = median(claims) / median(base);
console.log('\n1. Claims on one hot offer (cap 100,000)');
report([
  ['plain UPDATE n = n - 1', `${median(base).toFixed(0)} /s (windows: ${base.map((x) => x.toFixed(0)).join(', ')})`],
  ['claim statement', `${median(claims).toFixed(0)} /s (windows: ${claims.map((x) => x.toFixed(0)).join(', ')})`],
  ['ratio (target ≥ 0.5×)', `${ratio.toFixed(2)}× ${verdict(ratio >= 0.5)}`],
  ['consistency', `claims ${claimed} + remaining ${remaining} = ${claimed + remaining} (cap 100000), refused ${refused}`],
]);

// ---- 2. shops near a point, open now, category ----
const pois = loadPois();
const origins = Array.from({ length: 400 }, (_, i) => pois[(i * 7919) % pois.length]!.geometry.coordinates);
const categories = ['bakery', 'cafe', 'restaurant', 'supermarket'] as const;
const list = (i: number) => {
  const [lon, lat] = origins[i % origins.length]!;
  return services.merchants.list({ lat, lon, radius: 1000, category: categories[i % 4], openNow: true, limit: 50 });
};
const bare = (i: number) => {
  const [lon, lat] = origins[i % origins.length]!;
  return db.raw(
    `SELECT id FROM merchants WHERE category = ? AND ST_DWithin(geog, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, 1000)
      ORDER BY geog <-> ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography LIMIT 50`,
    [categories[i % 4]!, lon, lat, lon, lat],
  );
};
for (let i = 0; i < 100; i++) await list(i);
const tList: number[] = [];
const tBare: number[] = [];
let found = 0;
for (let i = 0; i < origins.length; i++) {
  let t = performance.now();
  found += (await list(i)).items.length;
  tList.push(performance.now() - t);
  t = performance.now();
  await bare(i);
  tBare.push(performance.now() - t);
}
const p95 = percentile(tList, 95);
console.log(`\n2. Shops within 1 km, open now, one category (${shops.toLocaleString('en')} shops, ${origins.length} origins at real shops)`);
report([
  ['MerchantService.list', `median ${fmt(median(tList))}, p95 ${fmt(p95)} (avg ${(found / origins.length).toFixed(1)} shops open)`],
  ['bare ST_DWithin baseline', `median ${fmt(median(tBare))}, p95 ${fmt(percentile(tBare, 95))}`],
  ['p95 ratio to baseline', `${(p95 / percentile(tBare, 95)).toFixed(2)}×`],
  ['p95 ≤ 10 ms', verdict(p95 <= 10)],
]);

// leave the bench database as it was (listings stay)
await db.raw('DELETE FROM posts WHERE id = ?', [offer.postId]);
await db.raw('DELETE FROM merchants WHERE id = ?', [shop.id]);
await db.raw(`DELETE FROM users WHERE id = ANY(?::bigint[])`, [[owner.id, ...ids]]);
await db.raw('DROP TABLE bench_counter');
await db.destroy();
