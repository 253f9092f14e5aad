import { randomBytes } from 'node:crypto';
import { MeilisearchApiError } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchConnection, deriveScopedKeys, ensureScopedKeys, scopedKeyUid } from '../../src/search/meili.client.ts';
import { testConfig } from '../helpers.ts';

// The app searches with a search-only key and indexes with a key limited to documents, settings and tasks of its own
// indexes; neither is the master key. These run against the real Meilisearch with a prefix of their own.

const config = testConfig();
const masterKey = config.MEILI_MASTER_KEY!;
const prefix = `${config.MEILI_INDEX_PREFIX}keys_${randomBytes(3).toString('hex')}_`;
const admin = createSearchConnection(config.MEILI_URL, masterKey, prefix).client;
const keys = deriveScopedKeys(masterKey, prefix);
// a generous bound: the shared Meilisearch works through other tests' tasks first
const WAIT = { timeout: 60_000, interval: 100 };

async function status(p: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    if (error instanceof MeilisearchApiError) return error.response?.status ?? -1;
    throw error;
  }
}

beforeAll(async () => {
  expect(masterKey, 'npm test passes the embedded Meilisearch key').toBeTruthy();
  await ensureScopedKeys(config.MEILI_URL, masterKey, prefix);
  await ensureScopedKeys(config.MEILI_URL, masterKey, prefix); // idempotent
  await admin.createIndex(`${prefix}posts`, { primaryKey: 'id' }).waitTask(WAIT);
  await admin.createIndex(`${config.MEILI_INDEX_PREFIX}other_${randomBytes(3).toString('hex')}`, { primaryKey: 'id' }).waitTask(WAIT);
});

afterAll(async () => {
  for (const role of ['search', 'indexing'] as const) await admin.deleteKey(scopedKeyUid(role, prefix)).catch(() => undefined);
  const { results } = await admin.getIndexes({ limit: 1000 });
  for (const index of results)
    if (index.uid.startsWith(prefix) || index.uid.startsWith(`${config.MEILI_INDEX_PREFIX}other_`)) await admin.deleteIndex(index.uid).waitTask(WAIT);
});

describe('scoped Meilisearch keys', () => {
  it('are created in Meilisearch with the values the app derives from the master key', async () => {
    const stored = await admin.getKey(scopedKeyUid('search', prefix));
    expect(stored.key).toBe(keys.search);
    expect(stored.actions).toEqual(['search']);
    expect(stored.indexes).toEqual([`${prefix}*`]);
    expect((await admin.getKey(scopedKeyUid('indexing', prefix))).key).toBe(keys.indexing);
    expect(keys.search).not.toBe(masterKey);
  });

  it('the search key searches its own indexes and can do nothing else', async () => {
    const reader = createSearchConnection(config.MEILI_URL, keys.search, prefix).client;
    expect(await status(reader.index(`${prefix}posts`).search('x'))).toBe('ok');
    expect(await status(reader.index(`${prefix}posts`).addDocuments([{ id: 1 }]))).toBe(403);
    expect(await status(reader.index(`${prefix}posts`).updateSettings({ searchableAttributes: ['title'] }))).toBe(403);
    expect(await status(reader.getKeys())).toBe(403);
    expect(await status(reader.index(`${config.MEILI_INDEX_PREFIX}other`).search('x'))).toBe(403);
  });

  it('the indexing key writes documents and settings of its own indexes, but cannot manage keys', async () => {
    const writer = createSearchConnection(config.MEILI_URL, keys.indexing, prefix).client;
    const task = await writer
      .index(`${prefix}posts`)
      .addDocuments([{ id: 1, title: 'hello' }])
      .waitTask(WAIT);
    expect(task.status).toBe('succeeded');
    expect(await status(writer.index(`${prefix}posts`).updateSettings({ searchableAttributes: ['title'] }))).toBe('ok');
    expect(await status(writer.getKeys())).toBe(403);
    expect(await status(writer.createIndex(`${config.MEILI_INDEX_PREFIX}elsewhere`))).toBe(403);
  });

  it('a key whose rights were changed by hand is put back', async () => {
    const uid = scopedKeyUid('search', prefix);
    await admin.deleteKey(uid);
    await admin.createKey({ uid, actions: ['*'], indexes: ['*'], expiresAt: null });
    await ensureScopedKeys(config.MEILI_URL, masterKey, prefix);
    const stored = await admin.getKey(uid);
    expect(stored.actions).toEqual(['search']);
    expect(stored.key).toBe(keys.search);
  });
});
