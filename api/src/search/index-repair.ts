import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { createAdvisoryLockRepository } from '../repositories/advisory-lock.repository.ts';
import type { SearchConnection } from './meili.client.ts';
import type { PostsIndex } from './posts.index.ts';
import { reindexPosts } from './reindex.ts';

/**
 * Keeps the posts index fit to use. When it is missing (Meilisearch lost its data, someone deleted it) or
 * mis-configured (created bare, without our settings), it is rebuilt from PostgreSQL with the right settings and put in
 * place atomically; searches answer 503 meanwhile. The relay and the reconciler of a process share one repair: whoever
 * notices first starts it and the other waits for it. Across processes an advisory lock lets one rebuild while the
 * others find the lock taken, hold their writes back, and see a ready index when they look again.
 */

export interface IndexRepairDeps {
  db: Db;
  conn: SearchConnection;
  index: PostsIndex;
  logger: Pick<Logger, 'info' | 'warn'>;
}

export class IndexRepair {
  readonly #deps: IndexRepairDeps;
  #rebuild: AbortController | undefined;
  /** the last look found the index ready, and nothing has suggested otherwise since */
  #ready = false;
  #inFlight: Promise<boolean> | undefined;

  constructor(deps: IndexRepairDeps) {
    this.#deps = deps;
  }

  /** Abandons a rebuild in progress (shutdown): the partial index is dropped and the next start begins again. */
  stop(): void {
    this.#rebuild?.abort();
  }

  /** Something suggested the index is gone (a write found no index, Meilisearch restarted): look before the next write. */
  invalidate(): void {
    this.#ready = false;
  }

  /**
   * True once the index is ready: at once if it was a moment ago, else after a look and, if need be, a rebuild.
   * False while another process rebuilds it (ask again later). Throws when Meilisearch cannot be reached.
   */
  ensureReady(): Promise<boolean> {
    if (this.#ready) return Promise.resolve(true);
    this.#inFlight ??= this.#inspectAndRepair().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Looks at the index even if it was ready a moment ago (the reconciler's periodic check), repairing if need be. */
  async verify(): Promise<boolean> {
    if (this.#inFlight) return this.#inFlight;
    if ((await this.#deps.index.inspect()) === 'ready') return (this.#ready = true);
    this.#ready = false;
    return this.ensureReady();
  }

  async #inspectAndRepair(): Promise<boolean> {
    const { db, conn, index, logger } = this.#deps;
    const state = await index.inspect();
    if (state === 'ready') return (this.#ready = true);
    logger.warn({ index: index.uid, state }, 'search index is missing or mis-configured; rebuilding it from PostgreSQL');
    const started = Date.now();
    const outcome = await createAdvisoryLockRepository(db).tryWithLock(`search-index-repair:${index.uid}`, async () => {
      // another process may have finished a rebuild between our look and our lock
      if ((await index.inspect()) === 'ready') return undefined;
      this.#rebuild = new AbortController();
      try {
        return await reindexPosts({ db, conn, logger: { info: () => undefined }, signal: this.#rebuild.signal });
      } finally {
        this.#rebuild = undefined;
      }
    });
    if (!outcome.acquired) {
      logger.info({ index: index.uid }, 'another process is rebuilding the search index; waiting for it');
      return false;
    }
    if (outcome.value) logger.info({ index: index.uid, ...outcome.value, ms: Date.now() - started }, 'search index rebuilt');
    return (this.#ready = true);
  }
}
