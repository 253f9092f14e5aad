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
import { and, compare } from './filter.ts';
import { HIGHLIGHT_MARKERS } from './highlight.ts';
import { postsIndexSettings } from './index-settings.ts';
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

/** Meilisearch unreachable, too slow, or the index not there yet: the caller should degrade, not fail hard. */
export function isSearchUnavailable(error: unknown): boolean {
  if (error instanceof MeilisearchRequestError || error instanceof MeilisearchRequestTimeOutError) return true;
  if (error instanceof MeilisearchTaskTimeOutError) return true;
  if (error instanceof MeilisearchApiError) {
    const code = error.cause?.code;
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

export function createPostsIndex(conn: SearchConnection, uid = `${conn.indexPrefix}${POSTS_INDEX}`, wait: WaitOptions = DEFAULT_WAIT) {
  const index = (name = uid): Index<PostDocument> => conn.client.index<PostDocument>(name);

  async function waitAll(tasks: { taskUid: number }[]): Promise<void> {
    const done = await conn.client.tasks.waitForTasks(
      tasks.map((t) => t.taskUid),
      { timeout: wait.timeoutMs, interval: wait.intervalMs },
    );
    const failed = done.find((t) => t.status !== 'succeeded');
    if (failed) throw new SearchTaskFailedError(failed);
  }

  /** Creates the index if missing and applies settings, waiting for both. Safe to repeat. */
  async function ensure(name = uid, synonyms?: Record<string, string[]>): Promise<void> {
    try {
      await conn.client.getIndex(name);
    } catch (error) {
      if (!(error instanceof MeilisearchApiError && error.cause?.code === 'index_not_found')) throw error;
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

    /** Queues whole-document replacements and deletions; Meilisearch applies tasks in the order they are queued. */
    async enqueue(upserts: PostDocument[], deletes: number[], name = uid): Promise<{ taskUid: number }[]> {
      const tasks: { taskUid: number }[] = [];
      if (upserts.length) tasks.push(await index(name).addDocuments(upserts, { primaryKey: 'id' }));
      if (deletes.length) tasks.push(await index(name).deleteDocuments(deletes));
      return tasks;
    },

    /** Resolves once every task succeeded; throws SearchTaskFailedError otherwise. */
    async waitFor(tasks: { taskUid: number }[]): Promise<void> {
      if (tasks.length) await waitAll(tasks);
    },

    /** enqueue + waitFor. */
    async apply(upserts: PostDocument[], deletes: number[], name = uid): Promise<void> {
      const tasks: { taskUid: number }[] = [];
      if (upserts.length) tasks.push(await index(name).addDocuments(upserts, { primaryKey: 'id' }));
      if (deletes.length) tasks.push(await index(name).deleteDocuments(deletes));
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
        // no index yet means nothing was indexed yet: an empty result, not an outage
        if (error instanceof MeilisearchApiError && error.cause?.code === 'index_not_found') {
          return { hits: [], offset: req.offset, limit: req.limit, estimatedTotalHits: 0, processingTimeMs: 0, query: req.q, facetDistribution: {} };
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

    /** Atomically exchanges the contents of the live index and a freshly built one. */
    async swapWith(otherUid: string): Promise<void> {
      const task = await conn.client.swapIndexes([{ indexes: [uid, otherUid], rename: false }]).waitTask({ timeout: 60_000, interval: 100 });
      if (task.status !== 'succeeded') throw new SearchTaskFailedError(task);
    },

    async drop(name: string): Promise<void> {
      await conn.client.deleteIndexIfExists(name);
    },
  };
}

export type PostsIndex = ReturnType<typeof createPostsIndex>;
