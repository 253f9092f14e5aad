import {
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
  type Index,
  type SearchParams,
  type SearchResponse,
  type Task,
} from 'meilisearch';
import { createDocumentWriter, type DocumentWriter } from './document-writer.ts';
import { and, compare } from './filter.ts';
import { HIGHLIGHT_MARKERS } from './highlight.ts';
import { postsIndexSettings, settingsMatch } from './index-settings.ts';
import type { SearchConnection } from './meili.client.ts';
import type { PostDocument } from './post-document.ts';

// The posts index: the only code that talks to Meilisearch about posts. Everything that writes waits for its task.

export const POSTS_INDEX = 'posts';

export interface WaitOptions {
  /** per task; a task still queued after this fails the write so the outbox row is retried */
  timeoutMs: number;
  intervalMs: number;
}

const DEFAULT_WAIT: WaitOptions = { timeoutMs: 10_000, intervalMs: 25 };

/**
 * The index is missing, has the wrong settings, or our write key is gone (Meilisearch lost its data): nothing a retry
 * of the same request fixes, but the index repair does (search/index-repair.ts). Searches answer 503 meanwhile.
 */
export class SearchIndexNotReadyError extends Error {
  constructor(readonly state: IndexState | 'key-lost') {
    super(`search index not ready: ${state}`);
  }
}

/** What inspect() finds: only `ready` may be searched and written. */
export type IndexState = 'ready' | 'missing' | 'misconfigured';

const apiCode = (error: unknown) => (error instanceof MeilisearchApiError ? error.cause?.code : undefined);

/** Meilisearch unreachable, too slow, or the index not there yet: the caller should degrade, not fail hard. */
export function isSearchUnavailable(error: unknown): boolean {
  if (error instanceof SearchIndexNotReadyError) return true;
  if (error instanceof MeilisearchRequestError || error instanceof MeilisearchRequestTimeOutError) return true;
  if (error instanceof MeilisearchTaskTimeOutError) return true;
  if (error instanceof MeilisearchApiError) {
    const code = error.cause?.code;
    // a key Meilisearch no longer knows: it lost its data and the server is putting the keys back (server.ts)
    if (code === 'invalid_api_key' || code === 'missing_authorization_header') return true;
    return code === 'index_not_found' || (error.response?.status ?? 0) >= 500;
  }
  return false;
}

export class SearchTaskFailedError extends Error {
  constructor(readonly task: Task) {
    super(`search task ${task.uid} ${task.status}: ${task.error?.code ?? ''} ${task.error?.message ?? ''}`.trim());
  }
}

export interface PostHit {
  id: number;
  created_at: number;
  _formatted?: { title?: string; body?: string };
}

export interface PostSearchRequest {
  q: string;
  filter: string;
  sort?: string[];
  limit: number;
  offset: number;
  facets: string[];
  cropLength: number;
}

// Settings that a search needs and a bare (auto-created) index lacks show up as these errors.
const SETTINGS_ERRORS = new Set(['invalid_search_filter', 'invalid_search_sort', 'invalid_search_facets']);

export function createPostsIndex(
  conn: SearchConnection,
  uid = `${conn.indexPrefix}${POSTS_INDEX}`,
  wait: WaitOptions = DEFAULT_WAIT,
  writer: DocumentWriter = createDocumentWriter(conn),
) {
  const index = (name = uid): Index<PostDocument> => conn.client.index<PostDocument>(name);

  async function waitAll(tasks: { taskUid: number }[]): Promise<void> {
    const done = await conn.client.tasks.waitForTasks(
      tasks.map((t) => t.taskUid),
      { timeout: wait.timeoutMs, interval: wait.intervalMs },
    );
    const failed = done.find((t) => t.status !== 'succeeded');
    // the write key cannot create indexes, so a write to a deleted index fails rather than making a bare one
    if (failed?.error?.code === 'index_not_found') throw new SearchIndexNotReadyError('missing');
    if (failed) throw new SearchTaskFailedError(failed);
  }

  async function exists(name: string): Promise<boolean> {
    try {
      await conn.client.getIndex(name);
      return true;
    } catch (error) {
      if (apiCode(error) === 'index_not_found') return false;
      throw error;
    }
  }

  /** Whether the index exists with our primary key and settings (a bare auto-created index has neither). */
  async function inspect(name = uid): Promise<IndexState> {
    let primaryKey: string | undefined;
    try {
      primaryKey = (await conn.client.getIndex(name)).primaryKey;
    } catch (error) {
      if (apiCode(error) === 'index_not_found') return 'missing';
      throw error;
    }
    if (primaryKey !== undefined && primaryKey !== null && primaryKey !== 'id') return 'misconfigured';
    return settingsMatch(postsIndexSettings(), await index(name).getSettings()) ? 'ready' : 'misconfigured';
  }

  /** Queues whole-document replacements and deletions through the write key, which can never create an index. */
  async function enqueue(upserts: PostDocument[], deletes: number[], name = uid): Promise<{ taskUid: number }[]> {
    if (!upserts.length && !deletes.length) return [];
    const { client, guarded } = await writer.client();
    // without a key of our own the check narrows the gap to a moment, and inspect() catches what slips through
    if (!guarded && !(await exists(name))) throw new SearchIndexNotReadyError('missing');
    const target = client.index<PostDocument>(name);
    const tasks: { taskUid: number }[] = [];
    try {
      if (upserts.length) tasks.push(await target.addDocuments(upserts, { primaryKey: 'id' }));
      if (deletes.length) tasks.push(await target.deleteDocuments(deletes));
    } catch (error) {
      if (apiCode(error) !== 'invalid_api_key') throw error;
      writer.forget(); // Meilisearch lost its keys, so it lost its indexes too
      throw new SearchIndexNotReadyError('key-lost');
    }
    return tasks;
  }

  /** Creates the index if missing and applies settings, waiting for both. Safe to repeat. */
  async function ensure(name = uid, synonyms?: Record<string, string[]>): Promise<void> {
    if (!(await exists(name))) {
      const task = await conn.client.createIndex(name, { primaryKey: 'id' }).waitTask({ timeout: wait.timeoutMs, interval: wait.intervalMs });
      // another process may have created it between our check and our create; that is fine
      if (task.status !== 'succeeded' && task.error?.code !== 'index_already_exists') throw new SearchTaskFailedError(task);
    }
    // settings changes can reindex everything, so they get a generous wait
    const task = await index(name).updateSettings(postsIndexSettings(synonyms)).waitTask({ timeout: 300_000, interval: 100 });
    if (task.status !== 'succeeded') throw new SearchTaskFailedError(task);
  }

  return {
    uid,
    ensure,
    inspect,

    /** Queues whole-document replacements and deletions; Meilisearch applies tasks in the order they are queued. */
    enqueue,

    /** Resolves once every task succeeded; throws SearchTaskFailedError otherwise. */
    async waitFor(tasks: { taskUid: number }[]): Promise<void> {
      if (tasks.length) await waitAll(tasks);
    },

    /** enqueue + waitFor. */
    async apply(upserts: PostDocument[], deletes: number[], name = uid): Promise<void> {
      const tasks = await enqueue(upserts, deletes, name);
      if (tasks.length) await waitAll(tasks);
    },

    async search(req: PostSearchRequest): Promise<SearchResponse<PostHit>> {
      const params: SearchParams = {
        filter: req.filter,
        limit: req.limit,
        offset: req.offset,
        facets: req.facets,
        attributesToRetrieve: ['id', 'created_at'],
        attributesToHighlight: ['title', 'body'],
        attributesToCrop: ['body'],
        cropLength: req.cropLength,
        cropMarker: '…',
        highlightPreTag: HIGHLIGHT_MARKERS.pre,
        highlightPostTag: HIGHLIGHT_MARKERS.post,
        ...(req.sort ? { sort: req.sort } : {}),
      };
      try {
        return await index().search<PostHit>(req.q, params);
      } catch (error) {
        // A missing index is being rebuilt (it is renamed into place only when full), and a bare one rejects our
        // filters: both are "not ready" (503), not a bug in the request. A filter error on a healthy index stays one.
        const code = apiCode(error);
        if (code === 'index_not_found') throw new SearchIndexNotReadyError('missing');
        if (code && SETTINGS_ERRORS.has(code)) {
          const state = await inspect();
          if (state !== 'ready') throw new SearchIndexNotReadyError(state);
        }
        throw error;
      }
    },

    /** (id, version) of indexed documents with ids in [fromId, toId), paged. */
    async versionsInRange(fromId: number, toId: number, pageSize = 5000): Promise<{ id: number; version: number }[]> {
      const out: { id: number; version: number }[] = [];
      for (let offset = 0; ; offset += pageSize) {
        const page = await index().getDocuments<{ id: number; version: number }>({
          filter: and(compare('id', '>=', fromId), compare('id', '<', toId)),
          fields: ['id', 'version'],
          limit: pageSize,
          offset,
        });
        out.push(...page.results);
        if (page.results.length < pageSize) return out;
      }
    },

    /** Largest indexed id (0 when empty). */
    async maxId(): Promise<number> {
      const res = await index().search<{ id: number }>('', { sort: ['id:desc'], limit: 1, attributesToRetrieve: ['id'] });
      return res.hits[0]?.id ?? 0;
    },

    async documentCount(name = uid): Promise<number> {
      return (await index(name).getStats()).numberOfDocuments;
    },

    /**
     * Puts a freshly built index in place of the live one, atomically: swaps their contents, or — when the live index
     * is missing — renames the new one, so searches see 503 until the full index appears, never an empty one.
     */
    async replaceWith(builtUid: string): Promise<void> {
      const swap = async (rename: boolean) =>
        conn.client.swapIndexes([{ indexes: rename ? [builtUid, uid] : [uid, builtUid], rename }]).waitTask({ timeout: 60_000, interval: 100 });
      if (!(await exists(uid))) {
        const renamed = await swap(true);
        if (renamed.status === 'succeeded') return;
        // someone else put an index there meanwhile: swap with it instead
        if (renamed.error?.code !== 'index_already_exists') throw new SearchTaskFailedError(renamed);
      }
      const task = await swap(false);
      if (task.status !== 'succeeded') throw new SearchTaskFailedError(task);
    },

    async drop(name: string): Promise<void> {
      await conn.client.deleteIndexIfExists(name);
    },
  };
}

export type PostsIndex = ReturnType<typeof createPostsIndex>;
