import { createHash } from 'node:crypto';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';
import type { SearchConnection } from './meili.client.ts';

/**
 * Document writes go through an API key that may add and delete documents but not create indexes. Meilisearch creates
 * a missing index on the first document write whenever the key may create indexes (the master key may), and such an
 * index has none of our settings: filtered searches fail and every later write fills the wrong index. With this key
 * the write fails instead (its task ends with `index_not_found`), which is the cue to rebuild the index properly.
 *
 * The key has a fixed uid per index prefix, so every process (and a restarted Meilisearch that lost its keys) ends up
 * with the same one; provisioning is get-or-create and safe to race.
 */

const ACTIONS = ['documents.add', 'documents.delete'];

export interface WriteClient {
  client: Meilisearch;
  /** true when Meilisearch itself refuses to create an index on these writes; false: check the index first */
  guarded: boolean;
}

/** A stable UUID (v4 layout, as Meilisearch expects) derived from the index prefix. */
export function writerKeyUid(indexPrefix: string): string {
  const bytes = createHash('sha256').update(`hexhood search document writer:${indexPrefix}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const writerKeyName = (indexPrefix: string) => `hexhood-writer:${indexPrefix}`;

const apiCode = (error: unknown) => (error instanceof MeilisearchApiError ? error.cause?.code : undefined);

export function createDocumentWriter(conn: SearchConnection) {
  let current: Promise<WriteClient> | undefined;
  // A writer key given by the server (derived from the master key, kept in Meilisearch by ensureScopedKeys): no key
  // management rights needed here.
  const fixed: WriteClient | undefined = conn.writerKey
    ? { client: new Meilisearch({ ...conn.client.config, apiKey: conn.writerKey }), guarded: true }
    : undefined;

  async function keyValue(): Promise<string> {
    const uid = writerKeyUid(conn.indexPrefix);
    try {
      return (await conn.client.getKey(uid)).key;
    } catch (error) {
      if (apiCode(error) !== 'api_key_not_found') throw error;
    }
    try {
      return (
        await conn.client.createKey({
          uid,
          name: writerKeyName(conn.indexPrefix),
          description: 'Hexhood search relay: writes post documents, never creates an index',
          actions: ACTIONS,
          indexes: [`${conn.indexPrefix}*`],
          expiresAt: null,
        })
      ).key;
    } catch (error) {
      // another process created it between our get and our create
      if (apiCode(error) === 'api_key_already_exists') return (await conn.client.getKey(uid)).key;
      throw error;
    }
  }

  async function provision(): Promise<WriteClient> {
    try {
      const key = await keyValue();
      return { client: new Meilisearch({ ...conn.client.config, apiKey: key }), guarded: true };
    } catch (error) {
      // The configured key may not manage keys (or Meilisearch runs without a master key): fall back to it, and the
      // caller checks that the index exists before each write.
      if (error instanceof MeilisearchApiError && [400, 401, 403].includes(error.response.status)) return { client: conn.client, guarded: false };
      throw error;
    }
  }

  return {
    client(): Promise<WriteClient> {
      if (fixed) return Promise.resolve(fixed);
      current ??= provision().catch((error: unknown) => {
        current = undefined;
        throw error;
      });
      return current;
    },

    /** Forgets the key (Meilisearch lost it, e.g. its data was wiped); the next write provisions it again. */
    forget(): void {
      current = undefined;
    },
  };
}

export type DocumentWriter = ReturnType<typeof createDocumentWriter>;
