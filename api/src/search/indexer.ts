import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import type { SearchConnection } from './meili.client.ts';
import { createOutboxRelay, type RelayOptions } from './outbox.relay.ts';
import { createPostsIndex } from './posts.index.ts';
import { createReconciler } from './reconciler.ts';

export interface IndexerOptions {
  /** LISTEN for outbox inserts on this database */
  databaseUrl: string;
  reconcileIntervalMs: number;
  relay?: Partial<RelayOptions>;
}

/** The background side of search in one API process: the outbox relay and the drift reconciler. */
export function createSearchIndexer(db: Db, conn: SearchConnection, logger: Logger, options: IndexerOptions) {
  const index = createPostsIndex(conn);
  const relay = createOutboxRelay({
    db,
    index,
    healthy: () => conn.healthy(),
    logger: logger.child({ component: 'search-relay' }),
    options: { listenUrl: options.databaseUrl, ...options.relay },
  });
  const reconciler = createReconciler({ db, index, logger: logger.child({ component: 'search-reconciler' }) });
  return {
    relay,
    reconciler,
    /** Applies index settings (awaited when Meilisearch is up; retried in the background when not), then runs. */
    async start(): Promise<void> {
      await relay.start();
      if (options.reconcileIntervalMs > 0) reconciler.start(options.reconcileIntervalMs);
    },
    async stop(): Promise<void> {
      reconciler.stop();
      await relay.stop();
    },
  };
}
