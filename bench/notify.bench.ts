// Issue 13 benchmark: what notifications add to post create. Since live events and notifications exist, a post's
// statement also writes its event row (in commit order); the notification worker later turns the event into rows for
// matching area subscribers. Variants, round-robin in one run on the bench database:
//   - baseline: the post-create statement without its event row (the statement as before issue 13);
//   - create(): the statement as the service runs it now (with the event row) — what a request pays;
//   - create() + notify: the same, then the worker's pass that writes the subscriber's notification for it.
// Target: ≤1.3× the baseline (median), for what the request pays and for the whole create-and-notify work.
import { createApp } from '../api/src/app.ts';
import { createDb } from '../api/src/db/knex.ts';
import { cellParent, cellToBigint, pointToCell } from '../api/src/geo/h3.ts';
import { createLogger } from '../api/src/http/observability.ts';
import { readSql } from '../api/src/repositories/sql-file.ts';
import { newPost } from '../api/src/services/post.service.ts';
import { benchConfig, interleaved, scratchArea } from './bench-setup.ts';
import { fmt, median, percentile, report, verdict } from './stats.ts';

const N = 400;
const { config } = benchConfig();
const db = createDb(config.DATABASE_URL, 4);
const app = createApp({ config, db, logger: createLogger('silent') });
const posts = app.repositories.posts;

const users = (await db.raw<{ rows: { id: string }[] }>('SELECT id FROM users ORDER BY id LIMIT 2')).rows;
if (users.length < 2)
  await db.raw(`INSERT INTO users (handle, display_name, email, password_hash) VALUES ('benchwatcher', 'Watcher', 'watcher@example.test', 'x')`);
const [author, watcher] = (await db.raw<{ rows: { id: string }[] }>('SELECT id FROM users ORDER BY id LIMIT 2')).rows as [
  { id: string },
  { id: string },
];

const watched = { lat: 52.5106, lon: 13.459 };
const elsewhere = { lat: 52.4, lon: 13.2 };
const sub = await app.repositories.subscriptions.insert(watcher.id, {
  name: 'bench',
  cells: [cellToBigint(cellParent(pointToCell(watched, 9), 7)).toString()],
  kinds: [],
  tags: [],
});

// the statement as it was before issue 13: the same text without the live-event CTE
const FULL = readSql('post-create.sql');
const WITHOUT_EVENT = FULL.replace(/-- the live event[^\n]*\nlive_event AS \([\s\S]*?\n\),\n/, '');
if (WITHOUT_EVENT === FULL) throw new Error('could not find the live-event CTE in post-create.sql');

const input = (i: number, place: { lat: number; lon: number }) =>
  newPost(author.id, { kind: 'post', title: `bench ${i}`, body: 'bench', tags: ['bench'], audience: 'public', location: place } as never, 9);
const bindings = (p: ReturnType<typeof newPost>) => [
  p.centroidLon,
  p.centroidLat,
  p.author_id,
  p.kind,
  p.title,
  p.body,
  p.tags,
  p.audience,
  p.event_starts_at,
  p.poll_options,
  p.lat,
  p.lon,
  p.precision,
  p.display_cell,
  p.h3_9,
  p.h3_8,
  p.h3_7,
  p.h3_5,
];

const scratch = await scratchArea(db);
const firstEvent = (await app.repositories.events.bounds()).maxId;
const counted: string[] = [];
try {
  await app.notificationWorker.runOnce();
  const baseline = async (i: number) => {
    const res = await db.raw(WITHOUT_EVENT, bindings(input(i, elsewhere))).options({ name: 'bench-post-create-no-event' });
    counted.push(String(res.rows[0].id));
  };
  const create = async (i: number) => counted.push((await posts.create(input(i, elsewhere))).id);
  const createAndNotify = async (i: number) => {
    counted.push((await posts.create(input(i, watched))).id);
    await app.notificationWorker.runOnce();
  };
  await interleaved(50, [baseline, create, createAndNotify]);
  const [base, withEvent, withNotify] = (await interleaved(N, [baseline, create, createAndNotify])) as [number[], number[], number[]];
  const notified = Number((await db.raw(`SELECT count(*) AS n FROM notifications WHERE subscription_id = ?`, [sub.id])).rows[0].n);
  const line = (ms: number[]) => `median ${fmt(median(ms))}  p90 ${fmt(percentile(ms, 90))}`;
  const r1 = median(withEvent) / median(base);
  const r2 = median(withNotify) / median(base);
  console.log(`\nnotifications vs post create: ${N} of each, round-robin (${notified} notifications written)`);
  report([
    ['baseline: post-create statement without the event row', line(base)],
    ['create(): with the event row (what a request pays)', line(withEvent)],
    ['create() + worker pass writing the notification', line(withNotify)],
    ['ratio create() / baseline (median)', `${r1.toFixed(3)}×  target ≤1.30×  ${verdict(r1 <= 1.3)}`],
    ['ratio create()+notify / baseline (median)', `${r2.toFixed(3)}×  target ≤1.30×  ${verdict(r2 <= 1.3)}`],
  ]);
} finally {
  await db.raw('DELETE FROM notifications WHERE subscription_id = ?', [sub.id]);
  await db.raw('DELETE FROM area_subscriptions WHERE id = ?', [sub.id]);
  await scratch.undo(counted);
  await db.raw('DELETE FROM events WHERE id > ?', [firstEvent]);
  await db.destroy();
}
