import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.ts';

// The production start path, as the image runs it (there is no Docker engine here): `npm run build` (what the
// Dockerfile runs), then `NODE_ENV=production node dist/api/src/server.js` with production settings only and a
// database of its own. No tsx, no dev defaults, no demo seed at start.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const logDir = path.join(root, '.data', 'test-results');
const base = new URL(process.env.DATABASE_URL!);
const dbName = `${base.pathname.slice(1)}_prod`;
const adminUrl = Object.assign(new URL(base.href), { pathname: '/postgres' }).href;
const prodUrl = Object.assign(new URL(base.href), { pathname: `/${dbName}` }).href;
const BERLIN = 'lat=52.52&lon=13.405&radius=5000';

let admin: Db;
let prodDb: Db;
let server: ChildProcess;
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let port = 0;
let metricsPort = 0;
let origin = '';
let env: NodeJS.ProcessEnv;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, deadlineMs = 60_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs a command to completion without blocking the event loop (kept-alive client sockets must see their closes). */
function run(
  cmd: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; log?: string },
): Promise<{ status: number | null; stderr: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 540_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      if (options.log) {
        mkdirSync(logDir, { recursive: true });
        createWriteStream(path.join(logDir, options.log)).end(output);
      }
      resolve({ status, stderr, output });
    });
  });
}

beforeAll(async () => {
  const build = await run('npm', ['run', 'build'], { log: 'production-build.log' });
  expect(build.status, `npm run build failed:\n${build.output.slice(-3000)}`).toBe(0);

  admin = createDb(adminUrl, 1);
  await admin.raw(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE "${dbName}"`);
  prodDb = createDb(prodUrl, 1);

  port = await freePort();
  metricsPort = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // Production settings only: nothing inherited from the test environment but PATH.
  env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    PUBLIC_ORIGIN: origin,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    DATABASE_URL: prodUrl,
    MEILI_URL: process.env.MEILI_URL,
    MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY,
    MEILI_INDEX_PREFIX: `${process.env.MEILI_INDEX_PREFIX ?? ''}prod_`,
    SEARCH_RECONCILE_SECONDS: '2',
    SHUTDOWN_TIMEOUT_SECONDS: '8',
    LOG_LEVEL: 'warn',
    // issue 13: email — nothing listens there; mail waits in the outbox, sign-ups still succeed
    SMTP_URL: 'smtp://127.0.0.1:9',
  };
  server = spawn('node', ['dist/api/src/server.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(path.join(logDir, 'production-server.log'));
  server.stdout!.pipe(log);
  server.stderr!.pipe(log);
  exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
  await eventually(async () => (await fetch(`${origin}/ready`)).status === 200, 'the production server to be ready');
}, 600_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGKILL');
    await exited;
  }
  await prodDb?.destroy();
  await admin?.raw(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin?.destroy();
});

// generous limits (not waits): the seed, the builds and the repair share 2 cores with whatever else runs
describe('production build and start', { timeout: 240_000 }, () => {
  it('runs compiled JavaScript with production settings, migrated and ready, with no demo data', async () => {
    expect(readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0').filter(Boolean)).toEqual(['node', 'dist/api/src/server.js']);
    const ready = await (await fetch(`${origin}/ready`)).json();
    expect(ready).toEqual({ status: 'ready', database: true, search: true });
    const migrations = await prodDb.raw<{ rows: { name: string }[] }>('SELECT name FROM knex_migrations');
    const files = readdirSync(path.join(root, 'migrations')).filter((f) => f.endsWith('.ts'));
    expect(migrations.rows.map((r) => r.name).sort()).toEqual(files.sort()); // the same ledger as `npm start`'s
    const counts = await prodDb.raw<{ rows: { users: string; regions: string }[] }>(
      'SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM regions) AS regions',
    );
    expect(counts.rows[0]).toEqual({ users: '0', regions: '0' }); // starting never seeds the demo city
  });

  it('loads with production dependencies only (what `npm ci --omit=dev` installs)', async () => {
    const hook = path.join(root, 'api/test/fixtures/production-deps.register.mjs');
    const files = [
      ...readdirSync(path.join(root, 'dist/api/src'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.js') && f !== 'server.js')
        .map((f) => `dist/api/src/${f}`),
      ...readdirSync(path.join(root, 'dist/seeds'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => `dist/seeds/${f}`),
      ...readdirSync(path.join(root, 'dist/migrations'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => `dist/migrations/${f}`),
      'dist/web/build/handler.js',
    ];
    const script = `for (const f of ${JSON.stringify(files)}) await import(new URL(f, 'file://${root}/').href);`;
    const res = await run('node', ['--import', hook, '--input-type=module', '-e', script], { env });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('refuses to start in production without a session secret', async () => {
    const { SESSION_SECRET: _omitted, ...rest } = env;
    const res = await run('node', ['dist/api/src/server.js'], { env: { ...rest, PORT: '0' } });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/SESSION_SECRET must be set in production/);
  });

  it('seeds only by an explicit command, then serves pages, the API and search over the seeded city', async () => {
    const seed = await run('node', ['dist/seeds/seed.js', '--posts', '80', '--users', '10'], { env, log: 'production-seed.log' });
    expect(seed.status, seed.output.slice(-2000)).toBe(0);

    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await page.text()).toMatch(/<html/);

    const feed = await fetch(`${origin}/api/feed?${BERLIN}`);
    expect(feed.status).toBe(200);
    expect(((await feed.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);

    // the relay indexes the seeded posts with the indexing key; requests search with the search-only key
    await eventually(async () => {
      const res = await fetch(`${origin}/api/search?${BERLIN}`);
      return res.status === 200 && ((await res.json()) as { items: unknown[] }).items.length > 0;
    }, 'seeded posts to be searchable');
  });

  it('gets search back by itself when Meilisearch loses its data: keys and index are restored, no manual step', async () => {
    const meili = process.env.MEILI_URL!;
    const prefix = env.MEILI_INDEX_PREFIX!;
    const headers = { Authorization: `Bearer ${process.env.MEILI_MASTER_KEY}` };
    // what a wiped Meilisearch looks like to this deployment: none of its keys, none of its indexes
    const { results: keys } = (await (await fetch(`${meili}/keys?limit=1000`, { headers })).json()) as { results: { uid: string; name?: string }[] };
    const ours = keys.filter((k) => k.name?.startsWith('hexhood-') && k.name.endsWith(`:${prefix}`));
    expect(ours.map((k) => k.name!.split(':')[0]).sort()).toEqual(['hexhood-indexing', 'hexhood-search', 'hexhood-writer']);
    for (const key of ours) await fetch(`${meili}/keys/${key.uid}`, { method: 'DELETE', headers });
    await fetch(`${meili}/indexes/${prefix}posts`, { method: 'DELETE', headers });
    await eventually(async () => (await fetch(`${origin}/api/search?${BERLIN}`)).status !== 200, 'search to notice the loss');

    const statuses = new Set<number>();
    await eventually(
      async () => {
        const res = await fetch(`${origin}/api/search?${BERLIN}`);
        statuses.add(res.status);
        return res.status === 200 && ((await res.json()) as { items: unknown[] }).items.length > 0;
      },
      'search to be repaired',
      90_000,
    );
    // while it was repaired, search said "unavailable, retry" — never a 500
    expect([...statuses].every((s) => s === 200 || s === 503)).toBe(true);
  });

  it('keeps personal responses out of caches, and metrics off the public port', async () => {
    const handle = `prod_${randomBytes(4).toString('hex')}`;
    const registered = await fetch(`${origin}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ handle, displayName: 'Prod Test', email: `${handle}@example.test`, password: 'correct horse battery staple' }),
    });
    expect(registered.status).toBe(201);
    const setCookie = registered.headers.getSetCookie().find((c) => c.startsWith('hx_session='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Secure/i);
    const cookie = setCookie.split(';')[0]!;

    const me = await fetch(`${origin}/api/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('private, no-store');
    const page = await fetch(`${origin}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-store');

    expect((await fetch(`${origin}/metrics`)).status).toBe(404);
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/me"/);
  });

  it('on SIGTERM under keep-alive load: answers what is in flight, refuses the rest cleanly, exits 0', async () => {
    type Outcome = 'ok' | 'refused' | 'closed-idle' | 'cut';
    const outcomes: { outcome: Outcome; status?: number; sentAt: number; keepAlive?: boolean }[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    let stop = false;

    function get(pathname: string): Promise<(typeof outcomes)[number]> {
      const sentAt = Date.now();
      return new Promise((resolve) => {
        let gotHeaders = false;
        const req = http.get(`${origin}${pathname}`, { agent }, (res) => {
          gotHeaders = true;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('aborted', () => resolve({ outcome: 'cut', sentAt }));
          res.on('error', () => resolve({ outcome: 'cut', sentAt }));
          res.on('end', () => {
            const complete =
              res.complete && (res.headers['content-length'] === undefined || Number(res.headers['content-length']) === Buffer.concat(chunks).length);
            const refused = res.statusCode === 503 && res.headers['retry-after'] !== undefined;
            resolve({
              outcome: !complete ? 'cut' : refused ? 'refused' : 'ok',
              status: res.statusCode,
              sentAt,
              keepAlive: res.headers.connection !== 'close',
            });
          });
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (gotHeaders) return resolve({ outcome: 'cut', sentAt });
          // ECONNREFUSED: the listener is closed. A reset before any byte of a response: the server closed an idle
          // kept-alive connection (allowed by HTTP; the request never reached the app).
          resolve({ outcome: err.code === 'ECONNREFUSED' ? 'refused' : 'closed-idle', sentAt });
        });
      });
    }

    // six clients on kept-alive connections, each looping until the server is gone (bounded in time and count)
    const loadUntil = Date.now() + 30_000;
    const workers = Array.from({ length: 6 }, async () => {
      for (let i = 0; i < 2000 && !stop && Date.now() < loadUntil; i++) {
        const result = await get(`/api/feed?${BERLIN}`);
        outcomes.push(result);
        if (result.outcome !== 'ok') await new Promise((r) => setTimeout(r, 5));
      }
    });
    await eventually(async () => outcomes.filter((o) => o.outcome === 'ok').length >= 30, 'the load to be served');

    // one request in flight across the signal: its body arrives only after SIGTERM
    const body = JSON.stringify({ login: 'nobody-at-all', password: 'not the password 1' });
    const slow = new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      const req = http.request(
        `${origin}/api/auth/login`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }));
          res.on('aborted', () => reject(new Error('slow request cut off')));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 2500);
    });
    // the request's headers have reached the server (generous: on a loaded machine parsing them can lag)
    await new Promise((r) => setTimeout(r, 1200));

    const signalledAt = Date.now();
    server.kill('SIGTERM');
    const [{ code, signal }, slowResult] = await Promise.all([exited, slow]);
    stop = true;
    await Promise.all(workers);
    agent.destroy();

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(slowResult.status).toBe(401);
    expect(slowResult.connection).toBe('close');
    expect(JSON.parse(slowResult.body)).toMatchObject({ status: 401 });

    const count = (o: Outcome) => outcomes.filter((x) => x.outcome === o).length;
    console.log('shutdown under load:', {
      ok: count('ok'),
      refused: count('refused'),
      closedIdle: count('closed-idle'),
      cut: count('cut'),
      exitMs: Date.now() - signalledAt,
    });
    expect(count('cut')).toBe(0); // no response was reset half-way
    expect(count('ok')).toBeGreaterThan(0);
    expect(count('refused')).toBeGreaterThan(0); // new requests after the signal were turned away
    // nothing sent well after the signal was served on a connection kept open for more
    const lateKeptAlive = outcomes.filter((o) => o.outcome === 'ok' && o.keepAlive && o.sentAt > signalledAt + 1000);
    expect(lateKeptAlive).toEqual([]);
    expect(outcomes.every((o) => o.outcome !== 'ok' || o.status === 200)).toBe(true);
  }, 60_000);
});
