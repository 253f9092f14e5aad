import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import knexFactory from 'knex';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDependencyUnavailable } from '../../src/http/problem.ts';
import { makeTestApp, type TestApp } from '../helpers.ts';

// The app reaches PostgreSQL through a TCP relay this test controls, so the database can "go away" for this app
// alone: open connections are cut mid-session and new ones are refused, then the relay comes back on the same port.

const target = new URL(process.env.DATABASE_URL!);
let relay: Server | undefined;
let port = 0;
const sockets = new Set<Socket>();

async function startRelay(): Promise<void> {
  relay = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay!.listen(port, '127.0.0.1', resolve));
  port = (relay.address() as AddressInfo).port;
}

async function stopRelay(): Promise<void> {
  const closed = new Promise((resolve) => relay!.close(resolve));
  for (const s of sockets) s.destroy();
  await closed;
}

let t: TestApp;
const feed = '/api/feed?lat=52.5106&lon=13.459&radius=500';

beforeAll(async () => {
  await startRelay();
  const url = new URL(target.href);
  url.host = `127.0.0.1:${port}`;
  t = makeTestApp({ DATABASE_URL: url.href });
});

afterAll(async () => {
  await t?.close();
  if (relay?.listening) await stopRelay();
});

function expectUnavailable(res: request.Response) {
  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
}

describe('database outage', () => {
  it('answers 503 with Retry-After while the database is gone, and recovers by itself when it is back', async () => {
    await request(t.app).get(feed).expect(200); // pooled connections are open now

    await stopRelay(); // live connections are cut, new ones refused
    const during = await Promise.all([request(t.app).get(feed), request(t.app).get(feed), request(t.app).get('/api/regions')]);
    for (const res of during) expectUnavailable(res);
    expect((await request(t.app).get('/ready')).status).toBe(503);

    await startRelay(); // same port
    let back = await request(t.app).get(feed);
    // a connection that broke while idle is replaced on its next use; the first try may still meet it
    if (back.status === 503) back = await request(t.app).get(feed);
    expect(back.status).toBe(200);
    expect((await request(t.app).get('/ready')).status).toBe(200);
  });

  it('a query cut off by an administrator shutdown (57P01) is an outage, and the pool carries on', async () => {
    const name = `hexhood_outage_${process.pid}`;
    const url = new URL(target.href);
    url.searchParams.set('application_name', name);
    const db = knexFactory({ client: 'pg', connection: url.href, pool: { min: 0, max: 1 } });
    const killer = knexFactory({ client: 'pg', connection: target.href, pool: { min: 0, max: 1 } });
    try {
      const slow = db.raw('SELECT pg_sleep(10)').then(
        () => undefined,
        (e: unknown) => e,
      );
      for (let i = 0; i < 100; i++) {
        const r = await killer.raw(`SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = ? AND state = 'active'`, [
          name,
        ]);
        if (r.rows.length) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const err = (await slow) as { code?: string };
      expect(err?.code).toBe('57P01');
      expect(isDependencyUnavailable(err)).toBe(true);
      // the broken connection may be handed out once more (another 503 for that request); then a fresh one replaces it
      const next = await db.raw('SELECT 1 AS one').then(
        (r: { rows: unknown[] }) => r.rows,
        (e: unknown) => (isDependencyUnavailable(e) ? 'unavailable' : e),
      );
      expect([[{ one: 1 }], 'unavailable']).toContainEqual(next);
      expect((await db.raw('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
      await killer.destroy();
    }
  });

  it('a pool that cannot hand out a connection in time is an outage too (KnexTimeoutError)', async () => {
    const db = knexFactory({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 300 });
    try {
      const held = await db.client.acquireConnection();
      const err = await db.raw('SELECT 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      await db.client.releaseConnection(held);
      expect((err as Error)?.name).toBe('KnexTimeoutError');
      expect(isDependencyUnavailable(err)).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});
