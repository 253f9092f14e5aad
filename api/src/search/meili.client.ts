import { createHash, createHmac } from 'node:crypto';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';

export interface SearchConnection {
  client: Meilisearch;
  indexPrefix: string;
  /** a key that may only add/delete documents (see document-writer.ts); absent: the writer provisions its own */
  writerKey?: string;
  healthy(): Promise<boolean>;
}

export function createSearchConnection(url: string, apiKey: string | undefined, indexPrefix: string, writerKey?: string): SearchConnection {
  const client = new Meilisearch({
    host: url,
    apiKey,
    timeout: 5000,
    // Measured: compressed responses over a few kB (any search with highlights) took ~45 ms instead of ~3 ms through
    // Node's fetch — the compressed body arrives in pieces that wait on delayed ACKs. Meilisearch sits next to the API,
    // so compression buys nothing.
    requestInit: { headers: { 'Accept-Encoding': 'identity' } },
  });
  return {
    client,
    indexPrefix,
    ...(writerKey ? { writerKey } : {}),
    async healthy() {
      try {
        return (await client.health()).status === 'available';
      } catch {
        return false;
      }
    },
  };
}

// Scoped API keys. The app never searches with the master key: requests read with a search-only key, the reconciler,
// repair and reindex manage indexes with an indexing key, and the relay writes documents with a writer key that cannot
// create an index (document-writer.ts explains why); all limited to this deployment's indexes (`<prefix>*`).
// Meilisearch computes a key's value as HMAC-SHA256(master key, uid), so with a fixed uid per role and prefix every
// process derives the same keys without asking, and creating them (ensureScopedKeys) is idempotent.

export type KeyRole = 'search' | 'indexing' | 'writer';

export const KEY_ACTIONS: Record<KeyRole, string[]> = {
  search: ['search'],
  indexing: ['search', 'documents.*', 'indexes.*', 'settings.*', 'tasks.get', 'stats.get'],
  writer: ['documents.add', 'documents.delete'],
};
const ROLES = Object.keys(KEY_ACTIONS) as KeyRole[];

export type ScopedKeys = Record<KeyRole, string>;

/** A stable uid in UUID v4 layout (Meilisearch wants one) for a role and index prefix. */
export function scopedKeyUid(role: KeyRole, indexPrefix: string): string {
  const h = createHash('sha256').update(`hexhood:${role}:${indexPrefix}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function deriveScopedKeys(masterKey: string, indexPrefix: string): ScopedKeys {
  const derive = (role: KeyRole) => createHmac('sha256', masterKey).update(scopedKeyUid(role, indexPrefix)).digest('hex');
  return { search: derive('search'), indexing: derive('indexing'), writer: derive('writer') };
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Creates the keys in Meilisearch with the master key, or re-creates one that is missing (Meilisearch lost its data) or
 * whose rights differ. Safe to repeat; the server repeats it every few seconds so a wiped Meilisearch gets them back.
 */
export async function ensureScopedKeys(url: string, masterKey: string, indexPrefix: string): Promise<void> {
  const admin = createSearchConnection(url, masterKey, indexPrefix).client;
  const indexes = [`${indexPrefix}*`];
  for (const role of ROLES) {
    const uid = scopedKeyUid(role, indexPrefix);
    const actions = KEY_ACTIONS[role];
    try {
      const existing = await admin.getKey(uid);
      if (sameSet(existing.actions, actions) && sameSet(existing.indexes, indexes) && !existing.expiresAt) continue;
      await admin.deleteKey(uid); // a key's rights cannot be changed in place; the same uid gives the same value
    } catch (error) {
      if (!(error instanceof MeilisearchApiError && error.cause?.code === 'api_key_not_found')) throw error;
    }
    await admin.createKey({
      uid,
      name: `hexhood-${role}:${indexPrefix}`,
      description: `Hexhood ${role} key for indexes ${indexes[0]}`,
      actions,
      indexes,
      expiresAt: null,
    });
  }
}
