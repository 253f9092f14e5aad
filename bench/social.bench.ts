// Issue 13 benchmark: what blocks and mutes cost the feed. A viewer without any pays nothing by construction (the
// policy compiles an empty exclusion list to no SQL — the statement text is the one the feed bench measures); a viewer
// hiding 50 people pays an `author_id <> ALL(50 ids)` on each candidate row (author_id is INCLUDEd in the covering
// indexes, so it stays index-only) and a deeper read per cell when hidden authors' posts have to be skipped. The 50
// hidden authors are the most prolific in the database: the worst case. Also times the per-request relations read.
// Read-only (the relations rows are written inside a transaction that is rolled back); runs on any database.
import { loadConfig } from '../api/src/config.ts';
import { createDb } from '../api/src/db/knex.ts';
import { feedCoverKeys, snapOrigin } from '../api/src/geo/h3.ts';
import { audiencePolicy, type AudienceScope } from '../api/src/policy/audience.policy.ts';
import { createPostRepository } from '../api/src/repositories/post.repository.ts';
import { createSocialRepository } from '../api/src/repositories/social.repository.ts';
import { interleaved } from './bench-setup.ts';
import { fmt, median, percentile, report, verdict } from './stats.ts';

const config = loadConfig();
const db = createDb(config.DATABASE_URL, 4);
const posts = createPostRepository(db);
const RADIUS = 1000;
const LIMIT = 50;
const ORIGINS = 400;

const total = Number((await db.raw('SELECT count(*) AS n FROM posts')).rows[0].n);
console.log(`\nBlocks and mutes in the feed, ${total.toLocaleString('en')} posts (database ${new URL(config.DATABASE_URL).pathname.slice(1)})`);

const sample = (await db.raw(`SELECT ST_Y(geom) AS lat, ST_X(geom) AS lon FROM posts TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT ?`, [ORIGINS]))
  .rows as { lat: number; lon: number }[];
const origins = sample.map((p) => snapOrigin(p));
const prolific = (
  (await db.raw(`SELECT author_id FROM posts WHERE status = 'visible' GROUP BY author_id ORDER BY count(*) DESC LIMIT 50`)).rows as {
    author_id: string;
  }[]
).map((r) => String(r.author_id));

const plain: AudienceScope = { viewerId: null, neighborCells7: [], regionIds: [] };
const none: AudienceScope = { ...plain, blockedAuthorIds: [], hiddenAuthorIds: [] };
const fifty: AudienceScope = { ...plain, blockedAuthorIds: prolific, hiddenAuthorIds: prolific };
const same = audiencePolicy.listSql(none).sql === audiencePolicy.listSql(plain).sql;

const feed = (scope: AudienceScope) => (i: number) => {
  const o = origins[i % origins.length]!;
  return posts.feedPage(feedCoverKeys(o.cell, RADIUS), { limit: LIMIT, scope });
};
// warm
for (const o of origins.slice(0, 50)) await posts.feedPage(feedCoverKeys(o.cell, RADIUS), { limit: LIMIT, scope: fifty });
const [noneMs, fiftyMs] = (await interleaved(origins.length * 2, [feed(none), feed(fifty)])) as [number[], number[]];

// how many hidden-author posts the 50-block viewer was spared (so the comparison is not of two identical lists)
let skipped = 0;
for (const o of origins.slice(0, 100)) {
  const ids = (await posts.feedPage(feedCoverKeys(o.cell, RADIUS), { limit: LIMIT, scope: none })).map((k) => k.id);
  const authors = (await db('posts').whereIn('id', ids).select('author_id')) as { author_id: string }[];
  skipped += authors.filter((a) => prolific.includes(String(a.author_id))).length;
}

// the per-request relations read (audience.service scopeFor): a user with none, and one with 50 blocks both ways, inside
// a transaction that is thrown away
class Rollback {
  constructor(readonly times: number[][]) {}
}
let relationTimes: number[][] = [[], []];
try {
  await db.transaction(async (trx) => {
    const social = createSocialRepository(trx);
    const users = ((await trx.raw(`SELECT id FROM users ORDER BY id LIMIT 52`)).rows as { id: string }[]).map((r) => String(r.id));
    const [viewer, lonely, ...others] = users as [string, string, ...string[]];
    for (const [i, other] of others.slice(0, 50).entries()) {
      await trx('user_blocks').insert(i % 2 ? { blocker_id: viewer, blocked_id: other } : { blocker_id: other, blocked_id: viewer });
    }
    if ((await social.relationsOf(viewer)).blocked.length !== 50) throw new Error('expected 50 blocks');
    for (let i = 0; i < 50; i++) await Promise.all([social.relationsOf(lonely), social.relationsOf(viewer)]);
    throw new Rollback(await interleaved(400, [() => social.relationsOf(lonely), () => social.relationsOf(viewer)]));
  });
} catch (e) {
  if (!(e instanceof Rollback)) throw e;
  relationTimes = e.times;
}

const ratio = median(fiftyMs) / median(noneMs);
console.log(`\nfeed query, radius ${RADIUS} m, newest ${LIMIT}, ${noneMs.length} queries each (interleaved):`);
report([
  ['no blocks: statement text unchanged', `${same}  ${verdict(same)}`],
  ['no blocks or mutes', `median ${fmt(median(noneMs))}  p99 ${fmt(percentile(noneMs, 99))}`],
  ['50 hidden authors (most prolific)', `median ${fmt(median(fiftyMs))}  p99 ${fmt(percentile(fiftyMs, 99))}`],
  ['ratio (median)', `${ratio.toFixed(3)}×  target ≤1.3×  ${verdict(ratio <= 1.3)}`],
  ['hidden posts skipped (first 100 origins)', String(skipped)],
]);
console.log(`\nrelations read per signed-in request (${relationTimes[0]!.length} each):`);
report([
  ['nobody blocked, muted or followed', `median ${fmt(median(relationTimes[0]!))}  p99 ${fmt(percentile(relationTimes[0]!, 99))}`],
  ['50 blocks both ways', `median ${fmt(median(relationTimes[1]!))}  p99 ${fmt(percentile(relationTimes[1]!, 99))}`],
]);
await db.destroy();
