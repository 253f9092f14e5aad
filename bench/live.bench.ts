// Issue 13 benchmark: fan-out of live events. One post in a cell watched by 2,000 SSE clients of ONE API process: time
// from create() returning (the post committed) until each client has read the event off its socket. Baseline in the
// same run: the same posts delivered to a single watching client. Target: p95 over all clients ≤ 1 s.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/src/app.ts';
import { createDb } from '../api/src/db/knex.ts';
import { cellParent, pointToCell } from '../api/src/geo/h3.ts';
import { createLogger } from '../api/src/http/observability.ts';
import { benchConfig, scratchArea } from './bench-setup.ts';
import { fmt, median, percentile, report, verdict } from './stats.ts';

const CLIENTS = Number(process.env.LIVE_BENCH_CLIENTS ?? 2000);
const ROUNDS = 5;
const place = { lat: 52.5106, lon: 13.459 };
const cell = cellParent(pointToCell(place, 9), 7);

const { config: base } = benchConfig();
// every client comes from this one address: lift the per-address stream cap
const config = { ...base, LIVE_STREAMS_PER_CLIENT: CLIENTS + 10 };
const db = createDb(config.DATABASE_URL, 6);
const app = createApp({ config, db, logger: createLogger('silent') });
const server = app.app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const port = (server.address() as AddressInfo).port;
const author = (await db.raw<{ rows: { id: string; handle: string }[] }>('SELECT id, handle FROM users ORDER BY id LIMIT 1')).rows[0]!;
const scratch = await scratchArea(db);
const firstEvent = (await app.repositories.events.bounds()).maxId;

const created: string[] = [];

interface Client {
  req: http.ClientRequest;
  seen: Map<string, number>; // post id → when it arrived
}

function connect(): Promise<Client> {
  return new Promise((resolve, reject) => {
    const seen = new Map<string, number>();
    const req = http.get({ host: '127.0.0.1', port, path: `/api/stream?cells=${cell}`, agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.includes('event: ready')) resolve(client);
          const m = /event: post\ndata: \{"postId":"(\d+)"/.exec(block);
          if (m) seen.set(m[1]!, at);
        }
      });
    });
    const client: Client = { req, seen };
    req.on('error', reject);
  });
}

async function round(clients: Client[]): Promise<number[]> {
  const row = await app.services.posts.create(
    { id: author.id, handle: author.handle, homeCell: null, isAdmin: false },
    { kind: 'post', title: 'Fan-out', body: 'bench', tags: [], audience: 'public', location: place, precision: 9 } as never,
    9,
  );
  const committed = performance.now();
  created.push(row.id);
  for (;;) {
    if (clients.every((c) => c.seen.has(row.id))) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return clients.map((c) => c.seen.get(row.id)! - committed);
}

async function measure(clients: Client[]): Promise<number[]> {
  const all: number[] = [];
  for (let i = 0; i < ROUNDS; i++) all.push(...(await round(clients)));
  return all;
}

const single = [await connect()];
const baseline = await measure(single);
const many: Client[] = [];
for (let i = 0; i < CLIENTS; i += 100) many.push(...(await Promise.all(Array.from({ length: Math.min(100, CLIENTS - i) }, connect))));
const fanout = await measure(many);
const p95 = percentile(fanout, 95);

console.log(`\nlive fan-out: ${ROUNDS} posts in one res-7 cell, ${CLIENTS} SSE clients on one process (this machine, shared)`);
report([
  ['1 client: median / p95', `${fmt(median(baseline))} / ${fmt(percentile(baseline, 95))}`],
  [`${CLIENTS} clients: median / p95 / max`, `${fmt(median(fanout))} / ${fmt(p95)} / ${fmt(Math.max(...fanout))}`],
  ['ratio p95 (many / one)', `${(p95 / percentile(baseline, 95)).toFixed(1)}×`],
  ['target p95 ≤ 1 s', verdict(p95 <= 1000)],
]);

for (const c of [...single, ...many]) c.req.destroy();
await app.live.stop();
server.closeAllConnections();
server.close();
await scratch.undo(created);
await db.raw('DELETE FROM events WHERE id > ?', [firstEvent]);
await db.destroy();
