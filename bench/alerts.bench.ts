// Issue 13 benchmark: official alerts reach every resident inside their area, off the request. For N homes inside an
// area (N = 5,000 and 100,000 by default, or ALERT_BENCH_HOMES=5000,20000), measures what posting the alert costs the
// request (the service call: alert, post, outbox and live event in one transaction) and how long the notification
// worker takes to write everyone's notification in its batches. Writes its people and alerts in a far-away scratch
// area and removes them afterwards, so the bench database is as before.
import { createApp } from '../api/src/app.ts';
import { createDb } from '../api/src/db/knex.ts';
import { cellChildren, cellDisk, cellToBigint, pointToCell } from '../api/src/geo/h3.ts';
import { createLogger } from '../api/src/http/observability.ts';
import { ALERT_BATCH } from '../api/src/live/notification-worker.ts';
import { benchConfig } from './bench-setup.ts';
import { fmt, median, report } from './stats.ts';

const SIZES = (process.env.ALERT_BENCH_HOMES ?? '5000,100000').split(',').map(Number);
const REQUESTS = 20;
const { config } = benchConfig();
const db = createDb(config.DATABASE_URL, 4);
const app = createApp({ config, db, logger: createLogger('silent') });

// an area of 331 res-8 cells (~240 km²) in the South Atlantic: nobody else lives there
const centre = pointToCell({ lat: -40.5, lon: -20.5 }, 8);
const area = cellDisk(centre, 10);
const homes = area.flatMap((c) => cellChildren(c, 9)).map((c) => cellToBigint(c).toString());

const tag = `ab${Date.now().toString(36)}`;
const [{ id: adminId }] = await db('users')
  .insert({ handle: `${tag}_admin`, display_name: 'Bench admin', email: `${tag}_admin@example.test`, password_hash: 'x', is_admin: true })
  .returning('id');
const admin = { id: String(adminId), handle: `${tag}_admin`, homeCell: null, isAdmin: true };
const alertIds: string[] = [];
const firstEvent = (await app.repositories.events.bounds()).maxId;

async function addHomes(from: number, to: number) {
  for (let i = from; i < to; i += 5000) {
    const rows = Array.from({ length: Math.min(5000, to - i) }, (_, j) => ({
      handle: `${tag}_${i + j}`,
      display_name: 'Bench resident',
      email: `${tag}_${i + j}@example.test`,
      password_hash: 'x',
      home_h3_9: homes[(i + j) % homes.length],
    }));
    await db('users').insert(rows);
  }
}

const post = async (severity: 'info' | 'urgent') => {
  const t0 = performance.now();
  const alert = await app.services.alerts.create(admin, {
    title: 'Bench: water off',
    body: 'Benchmark alert',
    severity,
    endsAt: new Date(Date.now() + 6 * 3_600_000).toISOString(),
    area: { cells: area },
  });
  alertIds.push(alert.id);
  return { ms: performance.now() - t0, id: alert.id };
};

try {
  await app.notificationWorker.runOnce();
  const rows: [string, string][] = [];
  let have = 0;
  for (const n of SIZES) {
    await addHomes(have, n);
    have = n;
    // what the request pays, with n homes inside (the worker is not running meanwhile: nothing fans out yet)
    const requestMs: number[] = [];
    const timedOnly: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const r = await post('info');
      requestMs.push(r.ms);
      timedOnly.push(r.id);
    }
    // those were for the request's cost only: mark them fanned out, so the worker's pass below is the urgent one's
    await db.raw(`UPDATE official_alerts SET fanout_resolved = true, fanout_done_at = now() WHERE post_id = ANY(?::bigint[])`, [timedOnly]);
    await app.notificationWorker.runOnce();
    // one urgent alert (preferences are not even read), fanned out alone
    const { id } = await post('urgent');
    const t0 = performance.now();
    await app.notificationWorker.runOnce();
    const fanOutMs = performance.now() - t0;
    const written = Number((await db.raw(`SELECT count(*) AS n FROM notifications WHERE post_id = ?`, [id])).rows[0].n);
    if (written !== n) throw new Error(`expected ${n} notifications, got ${written}`);
    rows.push([`${n.toLocaleString('en')} homes: POST (service) median of ${REQUESTS}`, fmt(median(requestMs))]);
    rows.push([
      `${n.toLocaleString('en')} homes: worker fan-out (batches of ${ALERT_BATCH})`,
      `${fmt(fanOutMs)}  (${((n / fanOutMs) * 1000).toFixed(0)} notifications/s)`,
    ]);
  }
  console.log(`\nofficial alerts: ${area.length} res-8 cells, homes spread over ${homes.length} res-9 cells`);
  report(rows);
} finally {
  await db.raw(`DELETE FROM notifications WHERE post_id = ANY(?::bigint[])`, [alertIds]);
  await db.raw(`DELETE FROM events WHERE id > ? AND kind = 'notification'`, [firstEvent]);
  await db.raw(`DELETE FROM posts WHERE id = ANY(?::bigint[])`, [alertIds]);
  await db.raw(`DELETE FROM users WHERE handle LIKE ?`, [`${tag}\\_%`]);
  await db.raw('DELETE FROM events WHERE id > ?', [firstEvent]);
  await db.raw(`DELETE FROM outbox WHERE entity = 'post' AND entity_id = ANY(?::bigint[])`, [alertIds]);
  await db.destroy();
}
