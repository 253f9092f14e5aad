// Issue 11 benchmark: a district moderator's queue at 1M posts with 10k open reports (target p95 ≤ 20 ms), and what
// the confinement check costs on a single item read (target ≤ 1.2× the same read unconfined, and reported against a
// plain post read by id). Runs on a bench database of its own (moderation data is added once and kept), e.g.
//   createdb -T hexhood_bench hexhood_bench_moderation && DATABASE_URL=…/hexhood_bench_moderation npx tsx bench/moderation.bench.ts
import { migrateLatest } from '../api/src/db/migrate.ts';
import type { Viewer } from '../api/src/http/route.ts';
import { moderationPolicy } from '../api/src/policy/moderation.policy.ts';
import { createModerationRepository } from '../api/src/repositories/moderation.repository.ts';
import { createPostRepository } from '../api/src/repositories/post.repository.ts';
import { benchApp, interleaved } from './bench-setup.ts';
import { fmt, median, percentile, report, verdict } from './stats.ts';

const OPEN_REPORTS = Number(process.env.BENCH_OPEN_REPORTS ?? 10_000);
const RUNS = 300;

const { db, database, services } = benchApp();
await migrateLatest(db);
const total = Number((await db.raw('SELECT count(*) AS n FROM posts')).rows[0].n);
console.log(`\nModeration benchmark on ${total.toLocaleString('en')} posts (database ${database})`);

// ---- Set-up, once per database: a Mitte moderator and OPEN_REPORTS open cases spread over the city ---------------
const mitte = (await db.raw(`SELECT id FROM regions WHERE kind = 'district' AND name = 'Mitte'`)).rows[0]?.id as string;
await db.raw(
  `INSERT INTO users (handle, display_name, email, password_hash) VALUES ('bench_mod_mitte', 'Bench', 'bench_mod_mitte@bench.invalid', 'x')
   ON CONFLICT DO NOTHING`,
);
const modId = String((await db.raw(`SELECT id FROM users WHERE handle = 'bench_mod_mitte'`)).rows[0].id);
await db.raw(`INSERT INTO region_roles (region_id, user_id, role) VALUES (?, ?, 'moderator') ON CONFLICT DO NOTHING`, [mitte, modId]);

const open = Number((await db.raw(`SELECT count(*) AS n FROM moderation_cases WHERE status = 'open'`)).rows[0].n);
if (open < OPEN_REPORTS) {
  const t0 = performance.now();
  // the same region expression as moderation-item.sql, set-based
  await db.raw(
    `INSERT INTO moderation_cases (target_kind, target_id, post_id, author_id, region_ids, opened_at)
     SELECT 'post', p.id, p.id, p.author_id,
            ARRAY(SELECT DISTINCT x.region_id FROM (
                    SELECT rc.region_id FROM region_cells rc WHERE p.precision >= 8 AND rc.h3_8 = p.h3_8
                    UNION ALL SELECT rc.region_id FROM region_cells rc WHERE p.precision = 7 AND rc.h3_7 = p.h3_7) x ORDER BY 1),
            now() - (p.id % 7200) * interval '1 minute'
       FROM posts p TABLESAMPLE SYSTEM (3) REPEATABLE (11)
      WHERE p.status = 'visible' AND p.deleted_at IS NULL
      LIMIT ?
     ON CONFLICT DO NOTHING`,
    [OPEN_REPORTS - open],
  );
  // 1-4 reporters per case, residents now and then
  await db.raw(
    `INSERT INTO reports (case_id, reporter_id, reason, weight, created_at)
     SELECT c.id, (SELECT min(id) FROM users) + ((c.id * 31 + g * 7919) % 20000),
            (ARRAY['spam', 'harassment', 'off_topic', 'other'])[1 + (c.id + g) % 4], 1 + ((c.id + g) % 5 = 0)::int, c.opened_at
       FROM moderation_cases c CROSS JOIN LATERAL generate_series(1, 1 + (c.id % 4)::int) g
      WHERE c.status = 'open' AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.case_id = c.id)
     ON CONFLICT DO NOTHING`,
  );
  await db.raw(
    `UPDATE moderation_cases c SET weight = s.w, reporter_count = s.n
       FROM (SELECT case_id, sum(weight)::int AS w, count(*)::int AS n FROM reports WHERE resolved_at IS NULL GROUP BY case_id) s
      WHERE s.case_id = c.id`,
  );
  await db.raw('VACUUM (ANALYZE) moderation_cases, reports, region_roles');
  console.log(`  set-up: ${OPEN_REPORTS - open} open cases in ${fmt(performance.now() - t0)}`);
}
const inMitte = Number(
  (await db.raw(`SELECT count(*) AS n FROM moderation_cases WHERE status = 'open' AND region_ids @> ARRAY[?::bigint]`, [mitte])).rows[0].n,
);
const openNow = Number((await db.raw(`SELECT count(*) AS n FROM moderation_cases WHERE status = 'open'`)).rows[0].n);

const viewer: Viewer = { id: modId, handle: 'bench_mod_mitte', homeCell: null, isAdmin: false };

// ---- Queue: the service call a moderator's page makes (scope lookup + one query), 50 items --------------------------
for (let i = 0; i < 20; i++) await services.moderation.queue(viewer, { limit: 50 });
const [queueTimes] = await interleaved(RUNS, [() => services.moderation.queue(viewer, { limit: 50 })]);
const queueP95 = percentile(queueTimes!, 95);

// ---- Confinement on a single read: the same item with and without the policy's condition, and a plain post read ---
const moderation = createModerationRepository(db);
const posts = createPostRepository(db);
const scope = await services.moderationScopes.scopeFor(viewer);
const confined = moderationPolicy.moderateSql(scope);
const unconfined = { sql: 'true', bindings: [] };
const ids = (
  await db.raw(`SELECT target_id AS id FROM moderation_cases WHERE status = 'open' AND region_ids @> ARRAY[?::bigint] ORDER BY id LIMIT 200`, [mitte])
).rows.map((r: { id: string }) => r.id) as string[];
for (const id of ids.slice(0, 20)) await moderation.findItem('post', id, confined);
const pick = (i: number) => ids[i % ids.length]!;
const [withCheck, withoutCheck, plainRead] = await interleaved(RUNS * 2, [
  (i) => moderation.findItem('post', pick(i), confined),
  (i) => moderation.findItem('post', pick(i), unconfined),
  (i) => posts.findById(pick(i)),
]);
const checkRatio = median(withCheck!) / median(withoutCheck!);
const plainRatio = median(withCheck!) / median(plainRead!);

report([
  ['open cases (city / Mitte)', `${openNow.toLocaleString('en')} / ${inMitte.toLocaleString('en')}`],
  ['queue, Mitte moderator, 50 items', `p50 ${fmt(median(queueTimes!))}  p95 ${fmt(queueP95)}  (target p95 ≤ 20 ms) ${verdict(queueP95 <= 20)}`],
  ['item read, confined (median)', fmt(median(withCheck!))],
  ['item read, same SQL unconfined', `${fmt(median(withoutCheck!))}  ratio ${checkRatio.toFixed(2)}× (target ≤ 1.2×) ${verdict(checkRatio <= 1.2)}`],
  ['plain post read by id', `${fmt(median(plainRead!))}  confined item read / plain read ${plainRatio.toFixed(2)}×`],
]);
await db.destroy();
process.exit(0);
