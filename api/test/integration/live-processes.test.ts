import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offsetMeters, PASSWORD, postBody, randomPlace, uniqueHandle } from '../helpers.ts';
import { openStream, postIds, type SseStream } from '../sse.helpers.ts';

// Two real API processes on two ports, one database: events fan out through LISTEN/NOTIFY, so a write on A reaches a
// stream on B; and a stream resumes with Last-Event-ID across a restart of its process, with no gap and no duplicate.
// The safety-net poll is set to an hour here, so what arrives was carried by NOTIFY.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const streams: SseStream[] = [];

interface Proc {
  port: number;
  url: string;
  child: ChildProcess;
  exited: Promise<unknown>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startApi(port: number): Promise<Proc> {
  const child = spawn(tsx, ['api/src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEARCH_RELAY: 'false',
      WEB_BUILD_DIR: path.join(root, '.data/no-web-build'),
      LIVE_POLL_SECONDS: '3600',
      RATE_LIMIT_AUTH_PER_MIN: '100000',
      RATE_LIMIT_WRITES_PER_MIN: '100000',
      FEED_ORIGIN_MOVES_PER_10MIN: '100000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (up) break;
    if (child.exitCode !== null || i > 600) {
      child.kill('SIGKILL');
      throw new Error(`API on port ${port} did not start`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, url, child, exited };
}

async function stopApi(p: Proc): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await p.exited;
}

async function person(base: string, home?: { lat: number; lon: number }) {
  const handle = uniqueHandle('lp');
  const res = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ handle, displayName: `LP ${handle}`, email: `${handle}@example.test`, password: PASSWORD }),
  });
  expect(res.status).toBe(201);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const send = async (method: string, p: string, body: unknown) => {
    const r = await fetch(`${base}${p}`, { method, headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
    expect(r.status).toBeLessThan(300);
    return (await r.json()) as { id: string };
  };
  if (home) await send('PUT', '/api/me/home', home);
  return { cookie, send, post: (body: unknown) => send('POST', '/api/posts', body) };
}

async function stream(base: string, query: string, headers: Record<string, string> = {}) {
  const s = await openStream(`${base}/api/stream?${query}`, headers);
  streams.push(s);
  expect(s.status).toBe(200);
  await s.next((m) => m.event === 'ready' || m.event === 'post');
  return s;
}

const isPost = (id: string) => (m: { event: string; data: unknown }) => m.event === 'post' && (m.data as { postId: string }).postId === id;

let a: Proc;
let b: Proc;

beforeAll(async () => {
  [a, b] = await Promise.all([freePort().then(startApi), freePort().then(startApi)]);
}, 180_000);

afterAll(async () => {
  for (const s of streams) s.close();
  await Promise.all([a, b].filter(Boolean).map(stopApi));
});

describe('live updates across API processes', () => {
  it('a write on process A reaches a stream on process B, only for viewers allowed to see it', async () => {
    const place = randomPlace();
    const author = await person(a.url, place);
    const neighbour = await person(b.url, offsetMeters(place, 150, 0));
    const stranger = await person(b.url, offsetMeters(place, 25_000, 0));
    const q = `lat=${place.lat}&lon=${place.lon}&radius=1000`;
    const onB = await stream(b.url, q, { cookie: neighbour.cookie });
    const strangerOnB = await stream(b.url, q, { cookie: stranger.cookie });

    const secret = await author.post(postBody(place, { audience: 'neighbors' }));
    const written = Date.now();
    const open = await author.post(postBody(place));
    await onB.next(isPost(open.id), 10_000);
    await strangerOnB.next(isPost(open.id), 10_000);
    console.log(`live: a write on A reached a stream on B after ${Date.now() - written} ms (poll off: carried by NOTIFY)`);
    expect(postIds(onB)).toEqual([secret.id, open.id]);
    expect(postIds(strangerOnB)).toEqual([open.id]);
  });

  it('a stream resumes with Last-Event-ID across a restart of its process: no gap, no duplicate', async () => {
    const place = randomPlace();
    const author = await person(a.url);
    // 1 km: a res-8 display centroid may lie ~530 m from the exact point (and the origin snaps to ~170 m cells)
    const q = `lat=${place.lat}&lon=${place.lon}&radius=1000`;
    const before = await stream(b.url, q);
    const p1 = await author.post(postBody(place, { title: 'before restart' }));
    await before.next(isPost(p1.id), 10_000);
    const resumeFrom = before.lastEventId()!;

    await stopApi(b);
    const p2 = await author.post(postBody(place, { title: 'while B was down' }));
    const p3 = await author.post(postBody(place, { title: 'also while down' }));
    b = await startApi(b.port);

    const after = await stream(b.url, q, { 'last-event-id': resumeFrom });
    await after.next(isPost(p3.id), 10_000);
    const p4 = await author.post(postBody(place, { title: 'after restart' }));
    await after.next(isPost(p4.id), 10_000);
    expect(postIds(after)).toEqual([p2.id, p3.id, p4.id]);
    expect(postIds(before)).toEqual([p1.id]);
  });

  it("a notification rings the recipient's bell on a stream held by the other process, and nobody else's", async () => {
    const place = randomPlace();
    const author = await person(b.url, place);
    const commenter = await person(a.url, offsetMeters(place, 100, 0));
    const q = `lat=${place.lat}&lon=${place.lon}&radius=1000`;
    const authorOnB = await stream(b.url, q, { cookie: author.cookie });
    const commenterOnB = await stream(b.url, q, { cookie: commenter.cookie });
    const post = await author.post(postBody(place));
    await commenter.send('POST', `/api/posts/${post.id}/comments`, { body: 'Saw your cat near the Späti' });
    const bell = await authorOnB.next((m) => m.event === 'notifications', 10_000);
    expect(bell.id).toMatch(/^\d+$/);
    // events reach a stream in id order: once a later post arrived, any bell meant for the commenter would have too
    const later = await author.post(postBody(place));
    await commenterOnB.next(isPost(later.id), 10_000);
    expect(commenterOnB.messages.some((m) => m.event === 'notifications')).toBe(false);
  });
});
